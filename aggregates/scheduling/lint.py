"""Warnings about a request and its cloud: extra specs nothing reads, quirks, no-op metadata."""

from __future__ import annotations

from .context import PreviewContext
from .extra_specs_ops import OPERATORS, requirement_error, requirement_warnings
from .node import HOST_STATE_ATTRIBUTES
from .resources import XS_KEY

# Extra specs that steer scheduling through data the preview does not hold.
_UNMODELLED_PREFIXES = (
    "hw:numa_",
    "hw:mem_page_size",
    "hw:mem_encryption",
    "hw:pmem",
    "hw:tpm_",
    "hw:maxphysaddr_mode",
    "hw:pci_numa_affinity_policy",
    "hw:ephemeral_encryption",
    "os:secure_boot",
    "pci_passthrough:alias",
    "accel:device_profile",
)
_RATIO_KEYS = ("cpu_allocation_ratio", "ram_allocation_ratio", "disk_allocation_ratio")


def lint_request(ctx: PreviewContext) -> None:
    """Add warnings (and request-level errors Nova's API would raise) to the context."""
    _check_flavor_access(ctx)
    _check_zone(ctx)
    _lint_extra_specs(ctx)
    _lint_aggregates(ctx)
    config = ctx.config
    if config.aggregate_image_properties_isolation_namespace:
        ctx.warnings.append(
            "aggregate_image_properties_isolation_namespace is deprecated since Nova 33.0.0; "
            "consider enable_isolated_aggregate_filtering"
        )


def _check_flavor_access(ctx: PreviewContext) -> None:
    request = ctx.request
    flavor = request.flavor
    if request.move:
        return
    # nova-scheduling.md §1: a disabled or inaccessible flavor is a 400 before scheduling.
    if flavor.disabled:
        ctx.errors.append(f"400: Flavor {flavor.id} could not be found. (the flavor is disabled)")
    elif (
        not flavor.is_public
        and not request.is_admin
        and request.project_id not in flavor.access_project_ids
    ):
        ctx.errors.append(
            f"400: Flavor {flavor.id} could not be found. (private flavor, project "
            f"{request.project_id!r} has no access)"
        )


def _check_zone(ctx: PreviewContext) -> None:
    zone = ctx.zone
    steps = ctx.zone_steps
    if steps is not None and steps.refusal is not None and not ctx.request.move:
        ctx.errors.append(steps.refusal)  # checked before the forced host is even looked at
        return
    destination = ctx.destination
    if destination is not None and destination.forced:
        target = ":".join(part or "" for part in (destination.host, destination.node))
        ctx.warnings.append(
            f"forced destination {target!r}: Nova skips every filter for it; "
            "the instance gets the host's own zone"
        )
        return
    if steps is not None and not steps.restricted_to:
        default = " (the default zone)" if zone == ctx.config.default_availability_zone else ""
        ctx.warnings.append(
            f"no aggregate has availability_zone={zone!r}{default}, so Nova does not confine "
            "the request to it (hosts of every zone qualify)"
        )


def _lint_extra_specs(ctx: PreviewContext) -> None:
    enabled = set(ctx.config.enabled_filters)
    aggregate_filter = "AggregateInstanceExtraSpecsFilter" in enabled
    capabilities_filter = "ComputeCapabilitiesFilter" in enabled
    for key, value in ctx.extra_specs.items():
        readers = []
        if key == "group_policy" or XS_KEY.match(key):
            # Read by the Placement request (§3.3).
            if aggregate_filter and key == "group_policy":
                ctx.warnings.append(
                    "group_policy has no colon, so AggregateInstanceExtraSpecsFilter also "
                    "requires it in aggregate metadata"
                )
            continue
        scope = key.split(":", 1)
        if len(scope) == 1:
            if aggregate_filter:
                readers.append("AggregateInstanceExtraSpecsFilter")
            if capabilities_filter and (
                key in HOST_STATE_ATTRIBUTES or key == "io_workload" or key.startswith("num_")
            ):
                readers.append("ComputeCapabilitiesFilter")
                ctx.warnings.append(
                    f"unscoped extra spec {key!r} names a host attribute or stat, so "
                    "ComputeCapabilitiesFilter checks it as a capability"
                )
            if key == "hide_hypervisor_id" and aggregate_filter:
                ctx.warnings.append(
                    "hide_hypervisor_id has no colon, so AggregateInstanceExtraSpecsFilter "
                    "requires it in aggregate metadata"
                )
            if not readers:
                ctx.warnings.append(
                    f"unscoped extra spec {key!r} is read by no enabled filter "
                    "(AggregateInstanceExtraSpecsFilter is not in enabled_filters), "
                    "so it has no effect on scheduling"
                )
        elif scope[0] == "aggregate_instance_extra_specs":
            if aggregate_filter:
                readers.append("AggregateInstanceExtraSpecsFilter")
            else:
                ctx.warnings.append(
                    f"extra spec {key!r} is read by no enabled filter "
                    "(AggregateInstanceExtraSpecsFilter is not in enabled_filters)"
                )
        elif scope[0] == "capabilities" or key == "hw:maxphysaddr_bits":
            if capabilities_filter:
                readers.append("ComputeCapabilitiesFilter")
            else:
                ctx.warnings.append(
                    f"extra spec {key!r} is read by no enabled filter "
                    "(ComputeCapabilitiesFilter is not in enabled_filters)"
                )
        elif key.startswith(_UNMODELLED_PREFIXES):
            ctx.warnings.append(
                f"extra spec {key!r} steers scheduling in ways the preview does not model"
            )
        if not readers:
            continue
        requirement = value if key != "hw:maxphysaddr_bits" else ">= " + value
        error = requirement_error(requirement, key)
        if error is not None:
            ctx.warnings.append(
                f"flavor error: Nova cannot evaluate {key}={value!r}: {error.message}"
            )
        ctx.warnings.extend(requirement_warnings(requirement, key))
        words = value.split()
        plain = not words or words[0] not in OPERATORS
        if "AggregateInstanceExtraSpecsFilter" in readers and "," in value and plain:
            ctx.warnings.append(
                f"{key}: aggregate metadata values are split on commas, so {value!r} can never "
                "match"
            )


def _lint_aggregates(ctx: PreviewContext) -> None:
    # The aggregates' own warnings: the same for every request on the cloud, made once.
    ctx.warnings.extend(ctx.table.cached(("lint-aggregates",), lambda: _aggregate_warnings(ctx)))


def _aggregate_warnings(ctx: PreviewContext) -> list[str]:
    warnings: list[str] = []
    for aggregate in ctx.aggregates:
        for key in aggregate.metadata or {}:
            if key in _RATIO_KEYS:
                # §5.2 / §9.12: only the removed Aggregate{Core,Ram,Disk}Filter read these.
                warnings.append(
                    f"aggregate {aggregate.name}: metadata {key} has no effect (its filter was "
                    "removed in Nova 22.0.0); allocation ratios come from each host's Placement "
                    "inventory"
                )
    return warnings

"""Placement request pre-filters (Nova 34 request_filter.py): aggregate and trait constraints."""

from __future__ import annotations

from collections.abc import Callable

from .context import CodedColumn, Column, PreviewContext
from .results import StepResult
from .state import (
    COMPUTE_STATUS_DISABLED,
    MIN_COMPUTE_VERSION_OWNER_TRAIT,
    OWNER_NOVA,
    HostState,
)
from .table import SERVICE
from .zones import zone_aggregates as aggregates_of_zone

TENANT_METADATA_KEY = "filter_tenant_id"

PreFilter = Callable[[PreviewContext], Column | None]


def require_tenant_aggregate(ctx: PreviewContext) -> Column | None:
    """§5.3.1: confine a project listed (exact value) under a filter_tenant_id* key."""
    config = ctx.config
    name = "require_tenant_aggregate"
    if not config.limit_tenants_to_placement_aggregate:
        return None
    project = ctx.request.project_id
    tenant_aggregates = {
        index
        for index, aggregate in enumerate(ctx.aggregates)
        if any(
            key.startswith(TENANT_METADATA_KEY) and value == project
            for key, value in (aggregate.metadata or {}).items()
        )
    }
    if not tenant_aggregates:
        if config.placement_aggregate_required_for_tenants:
            ctx.errors.append(
                f"require_tenant_aggregate: no aggregate is reserved for project {project!r} and "
                "placement_aggregate_required_for_tenants is set: NoValidHost "
                "(No hosts available for tenant)"
            )
            return StepResult(name, False, f"No hosts available for tenant {project!r}")
        return StepResult(
            name, True, f"no aggregate lists project {project!r}: the project is not confined"
        )
    names = ", ".join(sorted(ctx.aggregates[index].name for index in tenant_aggregates))
    fail = StepResult(name, False, f"not in an aggregate for project {project!r} ({names})")
    passes: dict[str, StepResult] = {}

    def verdict(class_id: int) -> StepResult:
        hits = [i for i in ctx.classes[class_id] if i in tenant_aggregates]
        if not hits:
            return fail
        label = ", ".join(ctx.aggregates[i].name for i in hits)
        found = passes.get(label)
        if found is None:
            found = passes[label] = StepResult(
                name, True, f"in aggregate {label} for project {project!r}"
            )
        return found

    return ctx.per_class(verdict)


def map_az_to_placement_aggregate(ctx: PreviewContext) -> Column | None:
    """§5.3.2: a requested zone confines to its aggregates, but only if some aggregate has it."""
    name = "map_az_to_placement_aggregate"
    zone = ctx.zone
    if not zone:
        return StepResult(name, True, "no availability zone requested")
    zone_aggregates = set(aggregates_of_zone(ctx))
    if not zone_aggregates:
        return StepResult(
            name,
            True,
            f"no aggregate carries availability zone {zone!r}, so Nova does not restrict hosts",
        )
    names = ", ".join(sorted(ctx.aggregates[index].name for index in zone_aggregates))
    fail = StepResult(name, False, f"not in availability zone {zone!r} (aggregates: {names})")
    passes: dict[str, StepResult] = {}

    def verdict(class_id: int) -> StepResult:
        hits = [i for i in ctx.classes[class_id] if i in zone_aggregates]
        if not hits:
            return fail
        label = ", ".join(ctx.aggregates[i].name for i in hits)
        found = passes.get(label)
        if found is None:
            found = passes[label] = StepResult(
                name, True, f"in availability zone {zone!r} (aggregate {label})"
            )
        return found

    return ctx.per_class(verdict)


def require_image_type_support(ctx: PreviewContext) -> Column | None:
    """Requires COMPUTE_IMAGE_TYPE_<disk format> when the option is on (not for volume boots)."""
    request = ctx.request
    if not ctx.config.query_placement_for_image_type_support or request.is_bfv:
        return None
    if not request.image_disk_format:
        return None
    trait = f"COMPUTE_IMAGE_TYPE_{request.image_disk_format.upper()}"
    return _require_traits(ctx, "require_image_type_support", (trait,))


def compute_status_filter(ctx: PreviewContext) -> Column | None:
    """Always on: forbids COMPUTE_STATUS_DISABLED, the trait of a disabled compute service."""
    name = "compute_status_filter"
    passed = StepResult(name, True, "service enabled (no COMPUTE_STATUS_DISABLED trait)")

    def failure(reason: str | None) -> StepResult:
        detail = f" ({reason})" if reason else ""
        return StepResult(
            name, False, f"service disabled{detail}: provider has COMPUTE_STATUS_DISABLED"
        )

    if ctx.any_set("traits"):
        # Placement's own traits decide, whatever the service record says.
        results = [
            failure(host.disabled_reason)
            if (host.is_disabled if host.traits is None else COMPUTE_STATUS_DISABLED in host.traits)
            else passed
            for host in ctx.hosts
        ]
        return results if any(result is not passed for result in results) else passed
    if not ctx.disabled_reasons:
        return passed

    def column() -> CodedColumn:
        table = [passed, passed, passed] + [failure(reason) for reason in ctx.disabled_reasons]
        return CodedColumn(table, ctx.table.service_array)

    return ctx.table.cached((SERVICE, name), column)


def isolate_aggregates(ctx: PreviewContext) -> Column | None:
    """§5.3.3: aggregates with trait:T=required the request does not require are forbidden."""
    name = "isolate_aggregates"
    if not ctx.config.enable_isolated_aggregate_filtering:
        return None
    required = ctx.resource_request.required_traits
    forbidden: dict[int, list[str]] = {}
    for index, aggregate in enumerate(ctx.aggregates):
        missing = [
            key[len("trait:") :]
            for key, value in (aggregate.metadata or {}).items()
            if key.startswith("trait:")
            and value == "required"
            and key[len("trait:") :] not in required
        ]
        if missing:
            forbidden[index] = sorted(missing)
    passed = StepResult(name, True, "in no aggregate isolated for traits the request lacks")
    if not forbidden:
        return passed
    failures: dict[str, StepResult] = {}

    def verdict(class_id: int) -> StepResult:
        hits = [i for i in ctx.classes[class_id] if i in forbidden]
        if not hits:
            return passed
        reason = "; ".join(
            f"aggregate {ctx.aggregates[i].name} requires trait(s) {', '.join(forbidden[i])}"
            for i in hits
        )
        found = failures.get(reason)
        if found is None:
            found = failures[reason] = StepResult(name, False, reason)
        return found

    return ctx.per_class(verdict)


_IMAGE_TRAIT_PREFIXES = (
    ("hw_cdrom_bus", "COMPUTE_STORAGE_BUS"),
    ("hw_disk_bus", "COMPUTE_STORAGE_BUS"),
    ("hw_video_model", "COMPUTE_GRAPHICS_MODEL"),
    ("hw_vif_model", "COMPUTE_NET_VIF_MODEL"),
    ("hw_architecture", "HW_ARCH"),
    ("hw_emulation_architecture", "COMPUTE_ARCH"),
    ("hw_viommu_model", "COMPUTE_VIOMMU"),
)


def transform_image_metadata(ctx: PreviewContext) -> Column | None:
    """With image_metadata_prefilter, image bus/model/arch properties become required traits."""
    if not ctx.config.image_metadata_prefilter:
        return None
    traits = [
        f"{prefix}_{str(ctx.image_props[key]).replace('-', '_').upper()}"
        for key, prefix in _IMAGE_TRAIT_PREFIXES
        if key in ctx.image_props
    ]
    if not traits:
        return StepResult("transform_image_metadata", True, "image asks for no traits")
    return _require_traits(ctx, "transform_image_metadata", tuple(traits))


def accelerators_filter(ctx: PreviewContext) -> Column | None:
    if not ctx.extra_specs.get("accel:device_profile"):
        return None
    return _require_traits(ctx, "accelerators_filter", ("COMPUTE_ACCELERATORS",))


def packed_virtqueue_filter(ctx: PreviewContext) -> Column | None:
    flavor_value = ctx.extra_specs.get("hw:virtio_packed_ring")
    wanted = (
        str(flavor_value).strip().lower() in ("1", "t", "true", "on", "y", "yes")
        if flavor_value is not None
        else bool(ctx.image_props.get("hw_virtio_packed_ring"))
    )
    if not wanted:
        return None
    return _require_traits(ctx, "packed_virtqueue_filter", ("COMPUTE_NET_VIRTIO_PACKED",))


def virtio_sound_filter(ctx: PreviewContext) -> Column | None:
    model = ctx.extra_specs.get("hw:sound_model") or ctx.image_props.get("hw_sound_model")
    if model != "virtio":
        return None
    return _require_traits(ctx, "virtio_sound_filter", ("COMPUTE_SOUND_MODEL_VIRTIO",))


def owner_nova_filter(ctx: PreviewContext) -> Column | None:
    """New in 34: requires OWNER_NOVA once every compute reports service version >= 73."""
    if not ctx.hosts or any(
        host.service_version is None or host.service_version < MIN_COMPUTE_VERSION_OWNER_TRAIT
        for host in ctx.hosts
    ):
        return None
    return _require_traits(ctx, "owner_nova_filter", (OWNER_NOVA,), assume_present=True)


def _require_traits(
    ctx: PreviewContext, name: str, traits: tuple[str, ...], assume_present: bool = False
) -> Column:
    for trait in traits:
        ctx.required_root_traits.setdefault(trait, name)
    label = ", ".join(traits)
    passed = StepResult(name, True, f"provider has {label}")
    unknown = StepResult(
        name,
        True,
        f"assumed: a Nova 34 compute reports {label}"
        if assume_present
        else f"not evaluated: host traits unknown (needs {label})",
    )
    failures: dict[tuple[str, ...], StepResult] = {}

    def verdict(host: HostState) -> StepResult:
        if host.traits is None:
            return unknown
        missing = tuple(trait for trait in traits if trait not in host.traits)
        if not missing:
            return passed
        found = failures.get(missing)
        if found is None:
            found = failures[missing] = StepResult(
                name, False, f"provider lacks required trait {', '.join(missing)}"
            )
        return found

    results = [verdict(host) for host in ctx.hosts]
    if not assume_present and any(result is unknown for result in results):
        ctx.warnings.append(f"{name}: trait {label} not checked on hosts without trait data")
    return results


# nova-scheduling.md §5.3: ALL_REQUEST_FILTERS order. routed_networks_filter,
# remote_managed_ports_filter, ephemeral_encryption_filter and tpm_secret_security_filter
# need ports, networks or vTPM data the preview does not have.
PRE_FILTERS: tuple[tuple[str, PreFilter], ...] = (
    ("require_tenant_aggregate", require_tenant_aggregate),
    ("map_az_to_placement_aggregate", map_az_to_placement_aggregate),
    ("require_image_type_support", require_image_type_support),
    ("compute_status_filter", compute_status_filter),
    ("isolate_aggregates", isolate_aggregates),
    ("transform_image_metadata", transform_image_metadata),
    ("accelerators_filter", accelerators_filter),
    ("packed_virtqueue_filter", packed_virtqueue_filter),
    ("virtio_sound_filter", virtio_sound_filter),
    ("owner_nova_filter", owner_nova_filter),
)


# The step name of the requested zone's pre-filter in verdicts (pages fold the hosts it rejects).
ZONE_PREFILTER = map_az_to_placement_aggregate.__name__

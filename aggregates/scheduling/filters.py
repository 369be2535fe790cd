"""Nova 34 host filters under their class names, each giving a verdict and a reason per host."""

from __future__ import annotations

import ipaddress
import json
import re
from collections.abc import Callable

from .context import CodedColumn, Column, PreviewContext
from .extra_specs_ops import ExtraSpecError, match
from .image_props import canonical_architecture, prop_str
from .node import HOST_STATE_ATTRIBUTES, UNMODELLED_ATTRIBUTES, node_attribute, node_stats
from .results import StepResult
from .state import HostState
from .table import SERVICE

Filter = Callable[[PreviewContext], Column]


class Verdicts:
    """Interns a step's results so hosts with the same verdict share one object."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._cache: dict[tuple[bool, str, bool], StepResult] = {}

    def __call__(self, passed: bool, reason: str, error: bool = False) -> StepResult:
        key = (passed, reason, error)
        found = self._cache.get(key)
        if found is None:
            found = self._cache[key] = StepResult(self.name, passed, reason, error)
        return found


def _per_host(ctx: PreviewContext, verdict: Callable[[HostState], StepResult]) -> Column:
    results = [verdict(host) for host in ctx.hosts]
    first = results[0] if results else None
    if first is not None and all(result is first for result in results):
        return first
    return results


def compute_filter(ctx: PreviewContext) -> Column:
    """§5.4.1: the nova-compute service must be enabled and up."""
    if not any(ctx.service_codes):
        return _COMPUTE_PASSED
    return ctx.table.cached((SERVICE, "ComputeFilter"), lambda: _compute_column(ctx))


_COMPUTE_PASSED = StepResult("ComputeFilter", True, "service enabled and up")


def _compute_column(ctx: PreviewContext) -> CodedColumn:
    verdicts = Verdicts("ComputeFilter")
    table = [
        _COMPUTE_PASSED,
        verdicts(False, "service forced down"),
        verdicts(False, "service down (no recent heartbeat)"),
    ] + [
        verdicts(False, f"service disabled ({reason})" if reason else "service disabled")
        for reason in ctx.disabled_reasons
    ]
    return CodedColumn(table, ctx.table.service_array)


_NOT_EVALUATED = object()  # a host attribute the preview has no data for
_IGNORED = object()  # an unscoped key this host has no attribute or stat for


def _resolve_capability(
    ctx: PreviewContext, host: HostState, path: list[str], stats: dict[str, str]
) -> object:
    """ComputeCapabilitiesFilter._get_capabilities: None when Nova finds nothing."""
    cap: object = None
    for index, part in enumerate(path):
        if index == 0:
            if part in UNMODELLED_ATTRIBUTES:
                return _NOT_EVALUATED
            value = (
                node_attribute(host, part, ctx.config) if part in HOST_STATE_ATTRIBUTES else None
            )
            cap = stats.get(part) if value is None else value
        else:
            if isinstance(cap, str):
                try:
                    cap = json.loads(cap)
                except ValueError:
                    return None
            # A non-dict object has no such attribute and no stats: Nova gives up.
            cap = cap.get(part) if isinstance(cap, dict) else None
        if cap is None:
            return None
    return cap


def compute_capabilities_filter(ctx: PreviewContext) -> Column:
    """§5.4.2: `capabilities:` keys, and unscoped keys naming a host attribute or stat."""
    verdicts = Verdicts("ComputeCapabilitiesFilter")
    specs = dict(ctx.extra_specs)
    bits = specs.get("hw:maxphysaddr_bits")
    if bits is not None:
        specs["capabilities:cpu_info:maxphysaddr:bits"] = ">= " + bits
        del specs["hw:maxphysaddr_bits"]
    checks: list[tuple[str, list[str], str, bool]] = []  # key, path, requirement, unscoped
    for key, requirement in specs.items():
        scope = key.split(":")
        if len(scope) == 1:
            checks.append((key, scope, requirement, True))
        elif scope[0] == "capabilities":
            checks.append((key, scope[1:], requirement, False))
    relevant = [
        check
        for check in checks
        if not check[3] or check[0] in HOST_STATE_ATTRIBUTES or check[0] == "io_workload"
    ]
    if len(relevant) < len(checks) and (
        ctx.any_set("stats") or ctx.any_set("instances_by_project")
    ):
        relevant = checks  # an unscoped key may name a stat some host reports
    passed = verdicts(True, "host capabilities satisfy the flavor")
    if not relevant:
        return verdicts(True, "no capability extra specs to check")
    cache: dict[tuple[object, ...], StepResult] = {}

    def verdict(host: HostState) -> StepResult:
        stats = dict(node_stats(host))
        values: list[object] = []
        for key, path, _, unscoped in relevant:
            if unscoped and key not in HOST_STATE_ATTRIBUTES and key not in stats:
                values.append(_IGNORED)
                continue
            values.append(_resolve_capability(ctx, host, path, stats))
        signature = tuple(
            value if value is None or value is _IGNORED or value is _NOT_EVALUATED else str(value)
            for value in values
        )
        found = cache.get(signature)
        if found is None:
            found = cache[signature] = _capability_verdict(verdicts, relevant, signature, passed)
        return found

    return _per_host(ctx, verdict)


def _capability_verdict(
    verdicts: Verdicts,
    checks: list[tuple[str, list[str], str, bool]],
    values: tuple[object, ...],
    passed: StepResult,
) -> StepResult:
    for (key, _, requirement, _), value in zip(checks, values, strict=True):
        if value is _IGNORED:
            continue
        if value is _NOT_EVALUATED:
            return verdicts(True, f"not evaluated: {key} reads host data the preview lacks")
        if value is None:
            return verdicts(False, f"{key}: the host has no such capability")
        try:
            if not match(str(value), requirement, key):
                return verdicts(False, f"{key}: {str(value)!r} does not match {requirement!r}")
        except ExtraSpecError as exc:
            return verdicts(False, f"Nova would fail on {key}: {exc.message}", error=True)
    return passed


def _version_str(version: int) -> str:
    # oslo versionutils.convert_version_to_str: 6001002 -> "6.1.2".
    parts = []
    while version:
        parts.insert(0, str(version % 1000))
        version //= 1000
    return ".".join(parts)


_PREDICATE = re.compile(r"^\s*(<=|>=|<|>|!=|==)\s*([^\s,]+)\s*$")


def _version_tuple(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in text.split("."))


def _satisfies(predicate: str, version: str) -> bool:
    """oslo VersionPredicate(...).satisfied_by; ValueError on a malformed predicate."""
    have = _version_tuple(version)
    for clause in predicate.split(","):
        found = _PREDICATE.match(clause)
        if not found:
            raise ValueError(f"bad version restriction syntax: {clause!r}")
        op, wanted = found.groups()
        want = _version_tuple(wanted)
        ok = {
            "<": have < want,
            "<=": have <= want,
            ">": have > want,
            ">=": have >= want,
            "==": have == want,
            "!=": have != want,
        }[op]
        if not ok:
            return False
    return True


def image_properties_filter(ctx: PreviewContext) -> Column:
    """§5.4.12: image arch / hypervisor type / vm mode against the host's supported instances."""
    verdicts = Verdicts("ImagePropertiesFilter")
    props = ctx.image_props
    arch = props.get("hw_architecture")
    default_arch = ctx.config.image_properties_default_architecture
    if arch is None and default_arch is not None:
        arch = canonical_architecture(default_arch)
    wanted = (arch, props.get("img_hv_type"), props.get("hw_vm_mode"))
    if not any(wanted):
        return verdicts(True, "image asks for no architecture, hypervisor type or vm mode")
    label = ", ".join(
        f"{name}={value}"
        for name, value in zip(("arch", "hv_type", "vm_mode"), wanted, strict=True)
        if value
    )
    required_version = props.get("img_hv_requested_version")
    required_bits = props.get("hw_maxphysaddr_bits")
    cache: dict[tuple[object, ...], StepResult] = {}

    def decide(host: HostState) -> StepResult:
        supported = host.supported_instances
        if not supported:
            return verdicts(False, f"image needs {label}; host advertises no supported instances")
        for triple in supported:
            if any(value and value not in triple for value in wanted):
                continue
            if required_version and host.hypervisor_version:
                try:
                    if not _satisfies(str(required_version), _version_str(host.hypervisor_version)):
                        continue
                except ValueError as exc:
                    return verdicts(
                        False, f"Nova would fail on img_hv_requested_version: {exc}", error=True
                    )
            if required_bits:
                cpu_info = host.cpu_info if isinstance(host.cpu_info, dict) else {}
                bits = (cpu_info.get("maxphysaddr") or {}).get("bits")  # type: ignore[union-attr]
                if bits and bits < required_bits:
                    continue
            return verdicts(True, f"host supports {label}")
        return verdicts(False, f"image needs {label}; host supports {[list(t) for t in supported]}")

    def verdict(host: HostState) -> StepResult:
        key = (host.supported_instances, host.hypervisor_version, id(host.cpu_info))
        found = cache.get(key)
        if found is None:
            found = cache[key] = decide(host)
        return found

    return _per_host(ctx, verdict)


def group_hosts(ctx: PreviewContext) -> frozenset[str]:
    """The hosts of the request's group: given, or where its members run (all the hosts')."""
    group = ctx.request.group
    assert group is not None
    if group.hosts is not None:
        return group.hosts
    return frozenset(host.name for host in ctx.hosts if host.instance_uuids & group.members)


def server_group_anti_affinity_filter(ctx: PreviewContext) -> Column:
    """§5.4.11: with policy anti-affinity, fewer than max_server_per_host members on the host."""
    verdicts = Verdicts("ServerGroupAntiAffinityFilter")
    group = ctx.request.group
    if group is None or group.policy != "anti-affinity":
        return verdicts(True, "request has no anti-affinity server group")
    limit = group.max_server_per_host or 1
    members = group.members
    limits: list[int | None] = []
    ctx.slot_limits.append(limits)

    def verdict(host: HostState) -> StepResult:
        here = len(host.instance_uuids & members)
        limits.append(max(limit - here, 0))
        if here < limit:
            return verdicts(True, f"{here} group member(s) on the host, limit {limit}")
        return verdicts(
            False, f"anti-affinity: {here} group member(s) already on the host, limit {limit}"
        )

    return _per_host(ctx, verdict)


def server_group_affinity_filter(ctx: PreviewContext) -> Column:
    """§5.4.11: with policy affinity, the host must be one the group already uses (if any)."""
    verdicts = Verdicts("ServerGroupAffinityFilter")
    group = ctx.request.group
    if group is None or group.policy != "affinity":
        return verdicts(True, "request has no affinity server group")
    hosts = group_hosts(ctx)
    if not hosts:
        return verdicts(True, "the affinity group has no hosts yet")
    names = ", ".join(sorted(hosts))
    passed = verdicts(True, "host already runs members of the affinity group")
    failed = verdicts(False, f"affinity: the group's members run on {names}")
    return _per_host(ctx, lambda host: passed if host.name in hosts else failed)


def aggregate_instance_extra_specs_filter(ctx: PreviewContext) -> Column:
    """§5.4.3: unscoped and aggregate_instance_extra_specs: keys against aggregate metadata."""
    verdicts = Verdicts("AggregateInstanceExtraSpecsFilter")
    if not ctx.extra_specs:
        return verdicts(True, "flavor has no extra specs")
    checks: list[tuple[str, str, str]] = []
    for key, requirement in ctx.extra_specs.items():
        scope = key.split(":", 1)
        if len(scope) > 1:
            if scope[0] != "aggregate_instance_extra_specs":
                continue
            checks.append((key, scope[1], requirement))
        else:
            checks.append((key, key, requirement))
    if not checks:
        return verdicts(True, "no unscoped or aggregate_instance_extra_specs: keys")
    labels = ", ".join(f"{meta_key}={requirement}" for _, meta_key, requirement in checks)
    passed = verdicts(True, f"aggregate metadata satisfies {labels}")

    def verdict(class_id: int) -> StepResult:
        metadata = ctx.class_metadata(class_id)
        for key, meta_key, requirement in checks:
            values = metadata.get(meta_key)
            if not values:
                where = ctx.class_names(class_id)
                if where == "no aggregate":
                    return verdicts(False, f"host is in no aggregate, so no metadata {meta_key!r}")
                return verdicts(False, f"aggregate metadata ({where}) lacks {meta_key!r}")
            matched = False
            error: ExtraSpecError | None = None
            for value in sorted(values):
                try:
                    matched = match(value, requirement, key) or matched
                except ExtraSpecError as exc:
                    error = exc
            if error is not None:
                # Nova walks a set: it raises unless a match happens to come first.
                maybe = " (or passes, depending on set order)" if matched else ""
                return verdicts(False, f"Nova would fail on {key}{maybe}: {error.message}", True)
            if not matched:
                shown = ", ".join(repr(v) for v in sorted(values))
                return verdicts(
                    False,
                    f"{meta_key}: none of the aggregate values {{{shown}}} matches {requirement!r}",
                )
        return passed

    return ctx.per_class(verdict)


def aggregate_multi_tenancy_isolation(ctx: PreviewContext) -> Column:
    """§5.4.4: filter_tenant_id* values (comma-split, all aggregates) must list the project."""
    verdicts = Verdicts("AggregateMultiTenancyIsolation")
    project = ctx.request.project_id
    open_result = verdicts(True, "host is open to every project (no filter_tenant_id)")

    def verdict(class_id: int) -> StepResult:
        tenants: set[str] = set()
        for key, values in ctx.class_metadata(class_id).items():
            if key.startswith("filter_tenant_id"):
                tenants.update(values)
        if not tenants:
            return open_result
        if project in tenants:
            return verdicts(True, f"project {project!r} is listed in filter_tenant_id")
        shown = ", ".join(sorted(tenants))
        return verdicts(False, f"host reserved for projects {{{shown}}} (filter_tenant_id)")

    return ctx.per_class(verdict)


def aggregate_image_properties_isolation(ctx: PreviewContext) -> Column:
    """§5.4.5: metadata keys that are image properties must list the image's value."""
    verdicts = Verdicts("AggregateImagePropertiesIsolation")
    props = ctx.image_props
    passed = verdicts(True, "image properties agree with aggregate metadata")
    if not props:
        return verdicts(True, "request has no image properties")
    namespace = ctx.config.aggregate_image_properties_isolation_namespace
    prefix = (namespace or "") + ctx.config.aggregate_image_properties_isolation_separator

    def verdict(class_id: int) -> StepResult:
        for key, options in ctx.class_metadata(class_id).items():
            if namespace and not key.startswith(prefix):
                continue
            value = props.get(key)
            if value and prop_str(value) not in options:
                shown = ", ".join(sorted(options))
                return verdicts(
                    False,
                    f"image {key}={prop_str(value)!r} is not among aggregate values {{{shown}}}",
                )
        return passed

    return ctx.per_class(verdict)


def aggregate_type_affinity_filter(ctx: PreviewContext) -> Column:
    """§5.4.6: aggregate `instance_type` lists, if any, must name the flavor."""
    verdicts = Verdicts("AggregateTypeAffinityFilter")
    flavor = ctx.request.flavor.name
    open_result = verdicts(True, "no aggregate restricts flavors (instance_type)")

    def verdict(class_id: int) -> StepResult:
        values = ctx.class_values(class_id, "instance_type")
        if not values:
            return open_result
        for aggregate, value in values:
            if flavor in [part.strip() for part in value.split(",")]:
                return verdicts(True, f"aggregate {aggregate} allows flavor {flavor!r}")
        shown = "; ".join(f"{aggregate}: {value}" for aggregate, value in values)
        return verdicts(False, f"flavor {flavor!r} is not in instance_type ({shown})")

    return ctx.per_class(verdict)


def _aggregate_limit(ctx: PreviewContext, class_id: int, key: str, default: int) -> tuple[int, str]:
    """validate_num_values: the minimum int over the host's aggregates, else the option."""
    values = ctx.class_values(class_id, key)
    if not values:
        return default, f"{key} option"
    try:
        lowest = min(int(value) for _, value in values)
    except ValueError:
        # §5.4.7: one unparsable value (e.g. "5,10") means the option value is used.
        ctx.warnings.append(
            f"aggregate {key} values {[value for _, value in values]} are not all integers: "
            f"Nova uses the option value {default}"
        )
        return default, f"{key} option (aggregate value unparsable)"
    sources = ", ".join(name for name, value in values if int(value) == lowest)
    return lowest, f"aggregate {sources}"


def _count_filter(
    ctx: PreviewContext,
    name: str,
    counted: str,
    count_of: Callable[[HostState], int],
    limit_of: Callable[[int], tuple[int, str]],
    track_slots: bool,
) -> Column:
    verdicts = Verdicts(name)
    limits = {class_id: limit_of(class_id) for class_id in ctx.table.class_ids}
    per_host_limits: list[int | None] = []
    if track_slots:
        ctx.slot_limits.append(per_host_limits)
    results: list[StepResult] = []
    for host, class_id in zip(ctx.hosts, ctx.host_class, strict=True):
        count = count_of(host)
        limit, source = limits[class_id]
        if track_slots:
            per_host_limits.append(max(limit - count, 0))
        if count < limit:
            results.append(verdicts(True, f"{counted} below the limit ({source})"))
        else:
            results.append(verdicts(False, f"{count} {counted}, limit {limit} ({source})"))
    first = results[0] if results else verdicts(True, "no hosts")
    return first if all(result is first for result in results) else results


def num_instances_filter(ctx: PreviewContext) -> Column:
    """§5.4.7: fewer than max_instances_per_host instances."""
    option = ctx.config.max_instances_per_host
    return _count_filter(
        ctx,
        "NumInstancesFilter",
        "instances",
        lambda host: host.num_instances,
        lambda class_id: (option, "max_instances_per_host"),
        True,
    )


def aggregate_num_instances_filter(ctx: PreviewContext) -> Column:
    option = ctx.config.max_instances_per_host
    return _count_filter(
        ctx,
        "AggregateNumInstancesFilter",
        "instances",
        lambda host: host.num_instances,
        lambda class_id: _aggregate_limit(ctx, class_id, "max_instances_per_host", option),
        True,
    )


def io_ops_filter(ctx: PreviewContext) -> Column:
    """§5.4.8: fewer than max_io_ops_per_host I/O-heavy operations (unknown counts as 0)."""
    option = ctx.config.max_io_ops_per_host
    return _count_filter(
        ctx,
        "IoOpsFilter",
        "I/O operations",
        lambda host: host.num_io_ops or 0,
        lambda class_id: (option, "max_io_ops_per_host"),
        False,
    )


def aggregate_io_ops_filter(ctx: PreviewContext) -> Column:
    option = ctx.config.max_io_ops_per_host
    return _count_filter(
        ctx,
        "AggregateIoOpsFilter",
        "I/O operations",
        lambda host: host.num_io_ops or 0,
        lambda class_id: _aggregate_limit(ctx, class_id, "max_io_ops_per_host", option),
        False,
    )


def isolated_hosts_filter(ctx: PreviewContext) -> Column:
    """§5.4.9: isolated images only on isolated hosts (and, if restricted, the reverse)."""
    verdicts = Verdicts("IsolatedHostsFilter")
    config = ctx.config
    isolated_hosts = set(config.isolated_hosts)
    restrict = config.restrict_isolated_hosts_to_isolated_images
    if not config.isolated_images:
        passed = verdicts(True, "no isolated images configured")
        if not restrict:
            return passed
        failed = verdicts(False, "isolated host, and no isolated images are configured")
        return _per_host(ctx, lambda host: failed if host.name in isolated_hosts else passed)
    image_isolated = ctx.request.image_id in config.isolated_images
    image_label = "isolated image" if image_isolated else "non-isolated image"

    def verdict(host: HostState) -> StepResult:
        host_isolated = host.name in isolated_hosts
        ok = image_isolated == host_isolated if restrict else (not image_isolated) or host_isolated
        host_label = "isolated host" if host_isolated else "non-isolated host"
        return verdicts(ok, f"{image_label} on {host_label}")

    return _per_host(ctx, verdict)


def same_host_filter(ctx: PreviewContext) -> Column:
    """§5.4.10: with a same_host hint, the host must run one of those instances."""
    verdicts = Verdicts("SameHostFilter")
    wanted = frozenset(ctx.request.same_host)
    if not wanted:
        return verdicts(True, "no same_host hint")
    passed = verdicts(True, "host runs an instance named in same_host")
    failed = verdicts(False, "host runs none of the same_host instances")
    return _per_host(ctx, lambda host: passed if host.instance_uuids & wanted else failed)


def different_host_filter(ctx: PreviewContext) -> Column:
    verdicts = Verdicts("DifferentHostFilter")
    avoided = frozenset(ctx.request.different_host)
    if not avoided:
        return verdicts(True, "no different_host hint")
    passed = verdicts(True, "host runs none of the different_host instances")
    failed = verdicts(False, "host runs an instance named in different_host")
    return _per_host(ctx, lambda host: failed if host.instance_uuids & avoided else passed)


def simple_cidr_affinity_filter(ctx: PreviewContext) -> Column:
    verdicts = Verdicts("SimpleCIDRAffinityFilter")
    near = ctx.request.build_near_host_ip
    if not near:
        return verdicts(True, "no build_near_host_ip hint")
    try:
        network = ipaddress.ip_network(f"{near}{ctx.request.cidr}", strict=False)
    except ValueError as exc:
        return verdicts(False, f"Nova would fail on the build_near_host_ip hint: {exc}", True)

    def verdict(host: HostState) -> StepResult:
        try:
            inside = ipaddress.ip_address(host.host_ip or "") in network
        except ValueError:
            return verdicts(
                False, f"Nova would fail: host_ip {host.host_ip!r} is not an address", True
            )
        return verdicts(inside, f"host_ip {'in' if inside else 'outside'} {network}")

    return _per_host(ctx, verdict)


def metrics_filter(ctx: PreviewContext) -> Column:
    verdicts = Verdicts("MetricsFilter")
    wanted = {name for name, _ in ctx.config.metrics_weights}
    passed = verdicts(True, "host reports every weighed metric")
    if not wanted:
        return passed

    def verdict(host: HostState) -> StepResult:
        missing = sorted(wanted - set(host.metrics or {}))
        return (
            passed if not missing else verdicts(False, f"host lacks metrics {', '.join(missing)}")
        )

    return _per_host(ctx, verdict)


def all_hosts_filter(ctx: PreviewContext) -> Column:
    return StepResult("AllHostsFilter", True, "passes every host")


def json_filter(ctx: PreviewContext) -> Column:
    return StepResult("JsonFilter", True, "no query hint")


_NUMA_KEYS = ("hw:numa_nodes", "hw:cpu_policy", "hw:mem_page_size", "hw:cpu_realtime")


def numa_topology_filter(ctx: PreviewContext) -> Column:
    asked = [key for key in _NUMA_KEYS if key in ctx.extra_specs]
    asked += [
        key
        for key in ("hw_numa_nodes", "hw_cpu_policy", "hw_mem_page_size")
        if key in ctx.image_props
    ]
    if not asked:
        return StepResult("NUMATopologyFilter", True, "no NUMA topology requested")
    ctx.warnings.append(
        f"NUMATopologyFilter not evaluated: needs host NUMA data ({', '.join(asked)})"
    )
    return StepResult("NUMATopologyFilter", True, "not evaluated: needs host NUMA topology")


def pci_passthrough_filter(ctx: PreviewContext) -> Column:
    if "pci_passthrough:alias" not in ctx.extra_specs:
        return StepResult("PciPassthroughFilter", True, "no PCI devices requested")
    ctx.warnings.append("PciPassthroughFilter not evaluated: needs host PCI device pools")
    return StepResult("PciPassthroughFilter", True, "not evaluated: needs host PCI device pools")


FILTERS: dict[str, Filter] = {
    "AggregateImagePropertiesIsolation": aggregate_image_properties_isolation,
    "AggregateInstanceExtraSpecsFilter": aggregate_instance_extra_specs_filter,
    "AggregateIoOpsFilter": aggregate_io_ops_filter,
    "AggregateMultiTenancyIsolation": aggregate_multi_tenancy_isolation,
    "AggregateNumInstancesFilter": aggregate_num_instances_filter,
    "AggregateTypeAffinityFilter": aggregate_type_affinity_filter,
    "AllHostsFilter": all_hosts_filter,
    "ComputeCapabilitiesFilter": compute_capabilities_filter,
    "ComputeFilter": compute_filter,
    "DifferentHostFilter": different_host_filter,
    "ImagePropertiesFilter": image_properties_filter,
    "IoOpsFilter": io_ops_filter,
    "IsolatedHostsFilter": isolated_hosts_filter,
    "JsonFilter": json_filter,
    "MetricsFilter": metrics_filter,
    "NUMATopologyFilter": numa_topology_filter,
    "NumInstancesFilter": num_instances_filter,
    "PciPassthroughFilter": pci_passthrough_filter,
    "SameHostFilter": same_host_filter,
    "ServerGroupAffinityFilter": server_group_affinity_filter,
    "ServerGroupAntiAffinityFilter": server_group_anti_affinity_filter,
    "SimpleCIDRAffinityFilter": simple_cidr_affinity_filter,
}

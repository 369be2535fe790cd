"""What /metrics exports of each cloud, as Prometheus metric families, from the same reads the
pages and the API show (utilisation rollups, the slots matrix, the last sync run).

A fixed number of queries per cloud, whatever its size. Memory and disk are in bytes, as
Prometheus names them (`_bytes`); capacity is Placement's (total − reserved) × ratio."""

from collections import Counter
from collections.abc import Iterator

from django.db.models import Count, Min, Q
from django.db.models.fields.json import KeyTextTransform
from prometheus_client.core import GaugeMetricFamily

from aggregates import utilisation
from aggregates.choices import HostStatus, Level, SyncStatus
from aggregates.models import Aggregate, Cloud, Host, SyncRun
from aggregates.models.aggregates import AZ_KEY
from aggregates.queries import page_cache
from aggregates.queries.sync import latest_sync_run

MIB, GIB = 1024**2, 1024**3
# metric suffix, rollup field, unit factor
RESOURCES = (
    ("vcpus", "vcpus", 1),
    ("memory_bytes", "memory_mb", MIB),
    ("disk_bytes", "local_gb", GIB),
)
CHANGES = ("created", "updated", "gone", "deleted")
# key, name, help, labels of the families beside capacity
FAMILIES = (
    (
        "slots",
        "stackboard_flavor_slots",
        "Further instances of a flavor that fit per availability zone (the preview's count)",
        ["cloud", "zone", "flavor"],
    ),
    (
        "disabled_zone",
        "stackboard_hosts_disabled",
        "Compute hosts whose service is disabled, per availability zone",
        ["cloud", "zone"],
    ),
    (
        "disabled_aggregate",
        "stackboard_hosts_disabled_aggregate",
        "Compute hosts whose service is disabled, per host aggregate",
        ["cloud", "aggregate"],
    ),
    (
        "last_success",
        "stackboard_sync_last_success_timestamp_seconds",
        "When the cloud's last successful sync finished (Unix time)",
        ["cloud"],
    ),
    ("duration", "stackboard_sync_duration_seconds", "How long the last sync took", ["cloud"]),
    (
        "status",
        "stackboard_sync_status",
        "1 for the status of the cloud's last sync, 0 for the others",
        ["cloud", "status"],
    ),
    (
        "changes",
        "stackboard_sync_changes",
        "Rows the cloud's last sync changed (drift), by action",
        ["cloud", "action"],
    ),
    (
        "held",
        "stackboard_sync_held_removals",
        "Removals the last sync held, waiting for an admin or the next sync",
        ["cloud"],
    ),
)


def cloud_families(clouds: list[Cloud]) -> Iterator[GaugeMetricFamily]:
    """Every per-cloud family, each holding the samples of all `clouds`."""
    families = _families()
    for cloud in clouds:
        _capacity(families, cloud, "zone", Level.AVAILABILITY_ZONE)
        _capacity(families, cloud, "aggregate", Level.AGGREGATE)
        _slots(families["slots"], cloud)
        _disabled(families, cloud)
        _sync(families, cloud)
    yield from families.values()


def _families() -> dict[str, GaugeMetricFamily]:
    families = {}
    for scope in ("zone", "aggregate"):
        for resource, _, _ in RESOURCES:
            for kind, words in (("capacity", "Capacity"), ("used", "Used"), ("free", "Free")):
                families[f"{kind}_{resource}_{scope}"] = GaugeMetricFamily(
                    f"stackboard_{kind}_{resource}" + ("" if scope == "zone" else "_aggregate"),
                    f"{words} {resource.replace('_', ' ')} per availability zone"
                    if scope == "zone"
                    else f"{words} {resource.replace('_', ' ')} per host aggregate",
                    labels=["cloud", scope],
                )
    for key, name, words, labels in FAMILIES:
        families[key] = GaugeMetricFamily(name, words, labels=labels)
    return families


def _capacity(families, cloud: Cloud, scope: str, level: Level) -> None:
    for row in utilisation.rollups(cloud, level):
        for resource, field, factor in RESOURCES:
            capacity = getattr(row, f"{field}_capacity")
            used = getattr(row, f"{field}_used")
            labels = [cloud.slug, row.name]
            families[f"capacity_{resource}_{scope}"].add_metric(labels, capacity * factor)
            families[f"used_{resource}_{scope}"].add_metric(labels, used * factor)
            families[f"free_{resource}_{scope}"].add_metric(
                labels, max(0, capacity - used) * factor
            )


def _slots(family: GaugeMetricFamily, cloud: Cloud) -> None:
    matrix = page_cache.slots_matrix(cloud)
    for row in matrix.rows:
        for zone, slots in zip(matrix.zones, row.by_zone, strict=True):
            family.add_metric([cloud.slug, zone, row.flavor_id], slots)


def _disabled(families, cloud: Cloud) -> None:
    disabled = Host.objects.filter(cloud=cloud, status=HostStatus.DISABLED)
    zones = Counter(
        zone or cloud.default_availability_zone
        for zone in disabled.annotate(
            zone=Min(
                KeyTextTransform(AZ_KEY, "aggregates__metadata"),
                filter=Q(aggregates__metadata__has_key=AZ_KEY, aggregates__gone_since=None),
            )
        ).values_list("zone", flat=True)
    )
    for zone, count in sorted(zones.items()):
        families["disabled_zone"].add_metric([cloud.slug, zone], count)
    by_aggregate = Aggregate.objects.filter(cloud=cloud).annotate(
        disabled=Count(
            "hosts",
            filter=Q(hosts__status=HostStatus.DISABLED, hosts__gone_since=None),
        )
    )
    for name, count in by_aggregate.values_list("name", "disabled"):
        families["disabled_aggregate"].add_metric([cloud.slug, name], count)


def _sync(families, cloud: Cloud) -> None:
    succeeded = SyncRun.objects.filter(cloud=cloud, status=SyncStatus.SUCCEEDED)
    if last := succeeded.order_by("-finished_at").values_list("finished_at", flat=True).first():
        families["last_success"].add_metric([cloud.slug], last.timestamp())
    run = latest_sync_run(cloud)
    if run is None:
        return
    if run.duration_ms is not None:
        families["duration"].add_metric([cloud.slug], run.duration_ms / 1000)
    for status in SyncStatus.values:
        families["status"].add_metric([cloud.slug, status], float(run.status == status))
    for action in CHANGES:
        families["changes"].add_metric([cloud.slug, action], getattr(run, action))
    families["held"].add_metric([cloud.slug], run.held_count if run.holds_removals else 0)

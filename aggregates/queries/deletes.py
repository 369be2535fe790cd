"""What a delete takes with it, in words, for the confirmation step: a constant number of
queries whatever the number of related rows."""

from dataclasses import dataclass, field

from aggregates.models import Aggregate, Cloud, Flavor, Host, Server, ServerGroup, SyncRun
from aggregates.queries.clouds import rows_of_cloud

NAMED_AT_MOST = 20  # servers named on a confirmation; more are counted


@dataclass(frozen=True)
class DeleteSummary:
    """`what` ("cloud devstack"), what goes with it, what stays behind, and refusals ahead."""

    what: str
    goes_with: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    refusal: str = ""


def _count(number: int, singular: str, plural: str | None = None) -> str:
    return f"{number:,} {singular if number == 1 else plural or singular + 's'}"


def cloud_delete_summary(cloud: Cloud) -> DeleteSummary:
    kinds = {
        "hosts": (Host, "host"),
        "aggregates": (Aggregate, "aggregate"),
        "flavors": (Flavor, "flavor"),
        "servers": (Server, "server"),
        "server_groups": (ServerGroup, "server group"),
        "sync_runs": (SyncRun, "sync run"),
    }
    counts = (
        Cloud.objects.filter(pk=cloud.pk)
        .annotate(**{f"n_{key}": rows_of_cloud(model) for key, (model, _) in kinds.items()})
        .values(*(f"n_{key}" for key in kinds))
        .get()
    )
    goes_with = [_count(counts[f"n_{key}"], word) for key, (_, word) in kinds.items()]
    goes_with.append("its utilisation history")
    notes = []
    if cloud.is_connected:
        notes.append(
            "Nothing changes in the cloud's compute API: Stackboard only stops mirroring it."
        )
    return DeleteSummary(f"cloud {cloud.name}", goes_with, notes)


def _server_names(servers) -> str:
    names = [str(server) for server in servers.order_by("name", "uuid")[: NAMED_AT_MOST + 1]]
    shown = ", ".join(names[:NAMED_AT_MOST])
    return shown + (", …" if len(names) > NAMED_AT_MOST else "")


def host_delete_summary(host: Host) -> DeleteSummary:
    """Its aggregate memberships go; Nova refuses while it hosts instances (named)."""
    aggregates = sorted(a.name for a in host.aggregates.all())
    goes_with = [f"its membership of {', '.join(aggregates)}"] if aggregates else []
    servers = Server.objects.filter(host=host)
    count = servers.count()
    refusal = ""
    if count:
        refusal = (
            f"Nova refuses to delete a compute service that hosts instances: "
            f"{_count(count, 'server')} ({_server_names(servers)}). Migrate or delete them first."
        )
    return DeleteSummary(f"host {host.name}", goes_with, refusal=refusal)


def flavor_delete_summary(flavor: Flavor) -> DeleteSummary:
    """Servers keep running on a deleted flavor (Nova allows it): named, as a note."""
    servers = Server.objects.filter(flavor=flavor)
    count = servers.count()
    goes_with = ["its extra specs"]
    if not flavor.is_public:
        goes_with.append("its access list")
    notes = []
    if count:
        notes.append(
            f"{_count(count, 'server')} still use it ({_server_names(servers)}). Nova allows "
            "deleting a flavor in use: they keep running with the flavor as it was at boot, "
            "but no new server can boot with it."
        )
    return DeleteSummary(f"flavor {flavor.name}", goes_with, notes)

"""Reads of hosts and their servers for pages and the API, in a constant number of queries."""

from django.db.models import (
    Prefetch,
    QuerySet,
)

from aggregates.models import Aggregate, Cloud, Host, Server, ServerGroup


def _aggregates_brief() -> Prefetch:
    return Prefetch(
        "aggregates", queryset=Aggregate.objects.only("id", "name", "metadata").order_by("name")
    )


def hosts_for_table(cloud: Cloud) -> QuerySet[Host]:
    """Hosts of `cloud` with their aggregates (for zone and names) in two queries."""
    return (
        Host.objects.filter(cloud=cloud)
        .select_related("cloud")
        .prefetch_related(_aggregates_brief())
        .order_by("name")
    )


def host_names(cloud: Cloud, *, starting: str = "", limit: int = 20) -> list[str]:
    """Host names for a type-ahead, prefix match first."""
    hosts = Host.objects.filter(cloud=cloud)
    if starting:
        hosts = hosts.filter(name__icontains=starting)
    return list(hosts.order_by("name").values_list("name", flat=True)[:limit])


def servers_for_table(cloud: Cloud) -> QuerySet[Server]:
    return (
        Server.objects.filter(cloud=cloud)
        .select_related("host", "flavor", "server_group")
        .order_by("name", "uuid")
    )


def server_groups_for_table(cloud: Cloud) -> QuerySet[ServerGroup]:
    """Server groups with their members' uuids (two queries at any size)."""
    members = Prefetch("members", queryset=Server.objects.only("uuid", "server_group_id"))
    return (
        ServerGroup.objects.filter(cloud=cloud).prefetch_related(members).order_by("name", "uuid")
    )


def servers_on_host(host: Host) -> QuerySet[Server]:
    return Server.objects.filter(host=host).select_related("flavor").order_by("name", "uuid")


def count_instances(hosts: list[Host]) -> int:
    """Instances (any state) on these hosts; Nova counts soft-deleted ones too."""
    return Server.objects.filter(host__in=hosts).count()

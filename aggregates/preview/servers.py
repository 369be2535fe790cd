"""The engine asked about one existing server: where it could migrate to, why it failed to boot."""

from __future__ import annotations

import time
import uuid

from aggregates.choices import ServerStatus
from aggregates.errors import InvalidInput, ServerNotFound
from aggregates.models import Cloud, Server
from aggregates.preview.as_booted import UsageAt, hosts_as_at, usage_at
from aggregates.preview.drain import server_groups
from aggregates.preview.loader import BOOTED_FLAVOR_COLUMNS, booted_flavor, load_cloud
from aggregates.preview.run import PreviewOutcome
from aggregates.scheduling import RequestSpec, preview

REPLAY_TIMES = ("now", "creation")  # a failed server replayed: the cloud now, or at its boot


def migration_targets(cloud: Cloud, server_uuid: str) -> tuple[Server, PreviewOutcome]:
    """A cold migration's scheduling: the server's own flavor, project and server group, its
    host left out as Nova's RequestSpec.ignore_hosts leaves it out (never even filtered)."""
    server = _server(cloud, server_uuid)
    if server.host is None:
        raise InvalidInput(f"Server {server.uuid} runs on no host.", field="server")
    zone = server.requested_zone or None  # a move keeps to the zone asked for at boot
    return server, _replay(cloud, server, exclude=server.host.name, zone=zone, move=True)


def explain_failure(
    cloud: Cloud, server_uuid: str, at: str = "now"
) -> tuple[Server, PreviewOutcome]:
    """A server in ERROR replayed against the mirror: its flavor, project, the zone it asked for
    and its group, every host's verdict (the step rejecting most hosts comes first in the
    summary). `at`: the cloud as it is now, or at the server's creation (from the history)."""
    if at not in REPLAY_TIMES:
        raise InvalidInput(f"'{at}' is not one of {', '.join(REPLAY_TIMES)}.", field="at")
    server = _server(cloud, server_uuid)
    if server.status != ServerStatus.ERROR:
        raise InvalidInput(
            f"Server {server.uuid} is {server.status}, not ERROR: nothing to explain.",
            field="server",
        )
    # Before 2.96 an unscheduled server's OS-EXT-AZ zone is the one it asked for.
    zone = server.requested_zone or server.availability_zone or None
    usage = _usage_at_boot(cloud, server) if at == "creation" else None
    return server, _replay(cloud, server, exclude=None, zone=zone, move=False, usage=usage)


def _usage_at_boot(cloud: Cloud, server: Server) -> UsageAt:
    if server.booted_at is None:
        raise InvalidInput(f"When server {server.uuid} was booted is not known.", field="at")
    found = usage_at(cloud, server.booted_at)
    if found is None:
        raise InvalidInput(
            f"{cloud.name} has no utilisation history at or before "
            f"{server.booted_at:%Y-%m-%d %H:%M} UTC, when server {server.uuid} was booted.",
            field="at",
        )
    return found


def _server(cloud: Cloud, server_uuid: str) -> Server:
    try:
        uuid.UUID(str(server_uuid))
    except ValueError:
        raise InvalidInput(f"'{server_uuid}' is not a server uuid.", field="server") from None
    found = (
        Server.objects.filter(cloud=cloud, uuid=server_uuid)
        .select_related("host", "flavor")
        .first()
    )
    if found is None:  # an unknown object in the path: 404, as Nova's InstanceNotFound
        raise ServerNotFound(f"Instance {server_uuid} could not be found.", field="server")
    if found.flavor is None and found.flavor_vcpus is None:
        raise InvalidInput(
            f"The flavor of server {found.uuid} ({found.flavor_name}) is no longer in the mirror.",
            field="server",
        )
    return found


def _replay(
    cloud: Cloud,
    server: Server,
    *,
    exclude: str | None,
    zone: str | None,
    move: bool,
    usage: UsageAt | None = None,
):
    started = time.perf_counter()
    inputs = load_cloud(cloud, with_servers=True)
    today = inputs.flavors.get(server.flavor.flavor_id) if server.flavor else None
    flavor = booted_flavor(today, tuple(getattr(server, name) for name in BOOTED_FLAVOR_COLUMNS))
    groups = server_groups({server.server_group_id} if server.server_group_id else set())
    hosts = [host for host in inputs.hosts_with_instances() if host.name != exclude]
    notes: list[str] = []
    if usage is not None:
        hosts, notes = hosts_as_at(hosts, usage)
    request = RequestSpec(
        flavor=flavor,
        project_id=server.project_id,
        availability_zone=zone,
        group=groups.get(server.server_group_id),
        is_admin=True,
        move=move,
    )
    loaded = time.perf_counter()
    result = preview(hosts, inputs.aggregates, request, inputs.config)
    result.warnings[:0] = notes
    done = time.perf_counter()
    return PreviewOutcome(
        result=result,
        inputs=inputs,
        flavor=flavor,
        timings_ms={"load": (loaded - started) * 1000, "engine": (done - loaded) * 1000},
    )

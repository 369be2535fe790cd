"""The engine asked about one existing server: where it could migrate to, why it failed to boot."""

from __future__ import annotations

import time
import uuid

from aggregates.choices import ServerStatus
from aggregates.errors import InvalidInput, ServerNotFound
from aggregates.models import Cloud, Server
from aggregates.preview.drain import server_groups
from aggregates.preview.loader import BOOTED_FLAVOR_COLUMNS, booted_flavor, load_cloud
from aggregates.preview.run import PreviewOutcome
from aggregates.scheduling import RequestSpec, preview


def migration_targets(cloud: Cloud, server_uuid: str) -> tuple[Server, PreviewOutcome]:
    """A cold migration's scheduling: the server's own flavor, project and server group, its
    host left out as Nova's RequestSpec.ignore_hosts leaves it out (never even filtered)."""
    server = _server(cloud, server_uuid)
    if server.host is None:
        raise InvalidInput(f"Server {server.uuid} runs on no host.", field="server")
    zone = server.requested_zone or None  # a move keeps to the zone asked for at boot
    return server, _replay(cloud, server, exclude=server.host.name, zone=zone, move=True)


def explain_failure(cloud: Cloud, server_uuid: str) -> tuple[Server, PreviewOutcome]:
    """A server in ERROR replayed against the mirror as it is now: its flavor, project, the zone
    it asked for and its group, every host's verdict (the step rejecting most hosts comes first
    in the summary)."""
    server = _server(cloud, server_uuid)
    if server.status != ServerStatus.ERROR:
        raise InvalidInput(
            f"Server {server.uuid} is {server.status}, not ERROR: nothing to explain.",
            field="server",
        )
    # Before 2.96 an unscheduled server's OS-EXT-AZ zone is the one it asked for.
    zone = server.requested_zone or server.availability_zone or None
    return server, _replay(cloud, server, exclude=None, zone=zone, move=False)


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


def _replay(cloud: Cloud, server: Server, *, exclude: str | None, zone: str | None, move: bool):
    started = time.perf_counter()
    inputs = load_cloud(cloud, with_servers=True)
    today = inputs.flavors.get(server.flavor.flavor_id) if server.flavor else None
    flavor = booted_flavor(today, tuple(getattr(server, name) for name in BOOTED_FLAVOR_COLUMNS))
    groups = server_groups({server.server_group_id} if server.server_group_id else set())
    hosts = [host for host in inputs.hosts_with_instances() if host.name != exclude]
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
    done = time.perf_counter()
    return PreviewOutcome(
        result=result,
        inputs=inputs,
        flavor=flavor,
        timings_ms={"load": (loaded - started) * 1000, "engine": (done - loaded) * 1000},
    )

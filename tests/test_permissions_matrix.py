"""Permissions matrix: every URL pattern × every role × every method, against ONE table.

How to add a URL (a one-line change): add an entry to `MATRIX` below, keyed by the URL's full name
(with its namespace, as `reverse()` takes it):

    "aggregates:placement_preview": E("cloud", GET=ADMIN, POST=ADMIN),

- the first argument names a kwargs builder in `KWARGS` (add one there if the URL needs new kwargs
  or a new sample object in `build_samples`);
- each keyword is a method the URL supports, with the roles that may use it (a level below);
  every other role, and every role for a method left out, must be refused: 401/403/404, a
  redirect to sign-in, or 405 (which of the two a view answers first, the method check or the
  permission check, is the view's business: DRF checks write permission before the method, pages
  the method before an object's permission; neither grants anything);
- a URL whose access depends on the object (e.g. an executive-session item) takes a list of entries,
  one per sample object.

A URL without an entry, or an entry whose URL no longer exists, fails `test_every_url_has_an_entry`.
Every request runs in a transaction that is rolled back, so writes never change the next request;
empty forms and empty JSON bodies are sent, since what is checked is who gets past the door.
No page a non-board role may read contains a word of an executive-session meeting or item.
"""

import datetime
from typing import NamedTuple
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from aggregates.models import ServerGroup, SyncRun
from aggregates.tests.factories import (
    AggregateFactory,
    CloudFactory,
    FlavorFactory,
    HostFactory,
    ServerFactory,
)
from dashboard import services as dashboard_services
from roadmap.tests.factories import (
    ActionItemFactory,
    BoardItemFactory,
    BoardMeetingFactory,
    MeetupFactory,
    ProjectFactory,
    RsvpFactory,
    juno,
    make_blueprint,
    milestone,
)

ROLES = ("anon", "member", "lead", "board", "admin", "superuser")
METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")

# Levels: the roles that pass. `lead` leads the sample project and organises the sample meetup;
# `superuser` is Django's superuser in no role group, holding every permission.
PUBLIC = frozenset(ROLES)
SIGNED_IN = frozenset({"member", "lead", "board", "admin", "superuser"})
LEAD = frozenset({"lead", "admin", "superuser"})  # leads (of the sample project) and admins
ORGANISER = frozenset({"lead", "admin", "superuser"})  # the sample meetup's organiser and admins
BOARD = frozenset({"board", "admin", "superuser"})  # board members and admins write the board
EXECUTIVE = frozenset({"board", "superuser"})  # executive sessions: not cloud admins
ADMIN = frozenset({"admin", "superuser"})  # cloud admins

# Text only executive sessions carry: no page a role outside EXECUTIVE reads may contain it.
SECRET = "Executive-only-7f3a"


class Entry(NamedTuple):
    """One matrix entry: the kwargs builder's name and the roles per supported method."""

    kwargs: str
    access: dict[str, frozenset]


def E(kwargs: str, **access: frozenset) -> Entry:
    return Entry(kwargs, access)


PUB_READ = {"GET": PUBLIC}
MATRIX: dict[str, Entry | list[Entry]] = {
    # Site: overview, profile, audit log, sign-in, health, favicon
    "dashboard:overview": E("none", **PUB_READ),
    "dashboard:profile": E("none", GET=SIGNED_IN, POST=SIGNED_IN),
    # A signed-in user revokes only their own tokens (the service refuses others' with a message).
    "dashboard:apitoken_revoke": E("token", POST=SIGNED_IN),
    "dashboard:auditentry_list": E("none", GET=ADMIN),
    # Django's LoginView takes PUT as POST (rate-limited alike); signed-in users are sent to the
    # overview whatever the method (that redirect counts as allowed).
    "login": E("none", GET=PUBLIC, POST=PUBLIC, PUT=PUBLIC, PATCH=SIGNED_IN, DELETE=SIGNED_IN),
    "logout": E("none", POST=PUBLIC),
    "health": E("none", **PUB_READ),
    "favicon": E("none", **PUB_READ),  # a redirect to the static SVG, for everyone
    "metrics": E("none"),  # a scrape token, not a role (dashboard/tests/test_metrics.py)
    # Clouds (pages): members see clouds, zones and usable flavors; hosts and aggregates are admins'
    "aggregates:cloud_list": E("none", GET=SIGNED_IN),
    "aggregates:cloud_create": E("none", GET=ADMIN, POST=ADMIN),
    "aggregates:cloud_detail": E("cloud", GET=SIGNED_IN),
    "aggregates:cloud_update": E("cloud", GET=ADMIN, POST=ADMIN),
    "aggregates:cloud_delete": E("cloud", GET=ADMIN, POST=ADMIN),
    "aggregates:host_list": E("cloud", GET=ADMIN),
    "aggregates:cloud_utilisation": E("cloud", GET=ADMIN),
    "aggregates:cloud_utilisation_export": E("cloud", GET=ADMIN),
    "aggregates:cloud_heatmap": E("cloud", GET=ADMIN),
    "aggregates:cloud_capacity": E("cloud", GET=ADMIN),
    "aggregates:cloud_capacity_export": E("cloud", GET=ADMIN),
    "aggregates:cloud_capacity_matrix": E("cloud", GET=ADMIN),
    "aggregates:cloud_capacity_matrix_export": E("cloud", GET=ADMIN),
    "aggregates:cloud_run_out_export": E("cloud", GET=ADMIN),
    "aggregates:cloud_scheduler": E("cloud", GET=ADMIN, POST=ADMIN),
    "aggregates:placement_preview": E("cloud", GET=ADMIN),
    "aggregates:placement_preview_host": E("cloud", GET=ADMIN),
    "aggregates:placement_preview_apply": E("cloud", POST=ADMIN),
    "aggregates:placement_preview_remove_change": E("cloud", POST=ADMIN),
    "aggregates:drain_plan": E("cloud", GET=ADMIN),
    "aggregates:drain_plan_export": E("cloud", GET=ADMIN),
    "aggregates:resilience": E("cloud", GET=ADMIN),
    "aggregates:server_migration_targets": E("server", GET=ADMIN),
    "aggregates:server_migration_targets_export": E("server", GET=ADMIN),
    "aggregates:server_failure": E("server", GET=ADMIN),
    "aggregates:server_failure_export": E("server", GET=ADMIN),
    "aggregates:servergroup_list": E("cloud", GET=ADMIN, POST=ADMIN),
    "aggregates:servergroup_delete": E("server_group", POST=ADMIN),
    "aggregates:host_create": E("cloud", GET=ADMIN, POST=ADMIN),
    "aggregates:host_names": E("cloud", GET=ADMIN),
    "aggregates:host_detail": E("host", GET=ADMIN),
    "aggregates:server_list": E("cloud", GET=ADMIN),
    "aggregates:host_set_status": E("host_pk", POST=ADMIN),
    "aggregates:host_update": E("host_pk", GET=ADMIN, POST=ADMIN),
    "aggregates:host_delete": E("host_pk", GET=ADMIN, POST=ADMIN),
    "aggregates:aggregate_list": E("cloud", GET=ADMIN),
    "aggregates:aggregate_create": E("cloud", GET=ADMIN, POST=ADMIN),
    "aggregates:aggregate_detail": E("aggregate", GET=ADMIN),
    "aggregates:aggregate_update": E("aggregate", POST=ADMIN),
    "aggregates:aggregate_set_metadata": E("aggregate", POST=ADMIN),
    "aggregates:aggregate_add_host": E("aggregate", POST=ADMIN),
    "aggregates:aggregate_remove_host": E("aggregate", POST=ADMIN),
    "aggregates:aggregate_delete": E("aggregate", POST=ADMIN),
    "aggregates:zone_list": E("cloud", GET=SIGNED_IN),
    "aggregates:flavor_list": E("cloud", GET=SIGNED_IN),
    "aggregates:flavor_create": E("cloud", GET=ADMIN, POST=ADMIN),
    "aggregates:flavor_detail": [
        E("flavor", GET=SIGNED_IN),
        E("private_flavor", GET=ADMIN),  # members see only the flavors they may use
    ],
    "aggregates:flavor_delete": [
        E("flavor", GET=ADMIN, POST=ADMIN),
        E("private_flavor", GET=ADMIN, POST=ADMIN),
    ],
    "aggregates:flavor_set_extra_spec": E("flavor", POST=ADMIN),
    "aggregates:flavor_delete_extra_spec": E("flavor", POST=ADMIN),
    "aggregates:flavor_add_access": E("private_flavor", POST=ADMIN),
    "aggregates:flavor_remove_access": E("private_flavor", POST=ADMIN),
    "aggregates:cloud_sync": E("cloud_sync", GET=ADMIN),
    "aggregates:cloud_sync_now": E("cloud_sync", POST=ADMIN),
    "aggregates:cloud_sync_status": E("cloud_sync", GET=ADMIN),
    "aggregates:cloud_sync_interval": E("cloud_sync", POST=ADMIN),
    "aggregates:cloud_sync_confirm_held": E("cloud_sync", POST=ADMIN),
    "aggregates:syncrun_detail": E("syncrun", GET=ADMIN),
    # Roadmap (pages): anyone reads; leads of the project and admins write
    "roadmap:index": E("none", **PUB_READ),
    "roadmap:blueprint_list": E("none", **PUB_READ),
    "roadmap:blueprint_create": E("none", GET=LEAD, POST=LEAD),
    "roadmap:project_detail": E("project", **PUB_READ),
    "roadmap:project_import": E("project", GET=LEAD, POST=LEAD),
    "roadmap:project_feed": E("project", **PUB_READ),
    "roadmap:release_preview": E("project_series", **PUB_READ),
    "roadmap:blueprint_detail": E("blueprint", **PUB_READ),
    "roadmap:blueprint_update": E("blueprint", GET=LEAD, POST=LEAD),
    "roadmap:blueprint_delete": E("blueprint", GET=LEAD, POST=LEAD),
    "roadmap:series_detail": E("series", **PUB_READ),
    "roadmap:milestone_detail": E("milestone", **PUB_READ),
    # Meetups (pages): anyone reads; leads organise; the organiser and admins edit; members RSVP
    "roadmap:meetup_list": E("none", **PUB_READ),
    "roadmap:meetup_create": E("none", GET=LEAD, POST=LEAD),
    "roadmap:meetup_detail": E("meetup", **PUB_READ),
    "roadmap:meetup_update": E("meetup", GET=ORGANISER, POST=ORGANISER),
    "roadmap:meetup_delete": E("meetup", GET=ORGANISER, POST=ORGANISER),
    "roadmap:meetup_rsvp": E("meetup", POST=SIGNED_IN),
    "roadmap:meetup_travel": E("series", **PUB_READ),
    "roadmap:meetup_calendar": E("none", **PUB_READ),
    "roadmap:meetup_project_calendar": E("project", **PUB_READ),
    # Board (pages): anyone reads public sessions; board members and admins write them; executive
    # sessions are the board's (and superusers') alone, reads and writes
    "roadmap:board_index": E("none", **PUB_READ),
    "roadmap:boardmeeting_create": E("none", GET=BOARD, POST=BOARD),
    "roadmap:boardmeeting_detail": [
        E("meeting", **PUB_READ),
        E("exec_meeting", GET=EXECUTIVE),
    ],
    "roadmap:boardmeeting_update": [
        E("meeting", GET=BOARD, POST=BOARD),
        E("exec_meeting", GET=EXECUTIVE, POST=EXECUTIVE),
    ],
    "roadmap:boardmeeting_delete": [
        E("meeting", GET=BOARD, POST=BOARD),
        E("exec_meeting", GET=EXECUTIVE, POST=EXECUTIVE),
    ],
    "roadmap:boarditem_create": E("meeting", GET=BOARD, POST=BOARD),
    "roadmap:boarditem_list": E("none", **PUB_READ),
    "roadmap:boarditem_export": E("none", **PUB_READ),
    "roadmap:boarditem_detail": [E("item", **PUB_READ), E("exec_item", GET=EXECUTIVE)],
    "roadmap:boarditem_update": [
        E("item", GET=BOARD, POST=BOARD),
        E("exec_item", GET=EXECUTIVE, POST=EXECUTIVE),
    ],
    "roadmap:boarditem_delete": [
        E("item", GET=BOARD, POST=BOARD),
        E("exec_item", GET=EXECUTIVE, POST=EXECUTIVE),
    ],
    "roadmap:actionitem_create": E("item", GET=BOARD, POST=BOARD),
    "roadmap:actionitem_list": E("none", **PUB_READ),
    "roadmap:actionitem_update": [
        E("action", GET=BOARD, POST=BOARD),
        E("exec_action", GET=EXECUTIVE, POST=EXECUTIVE),
    ],
    "roadmap:actionitem_delete": [
        E("action", GET=BOARD, POST=BOARD),
        E("exec_action", GET=EXECUTIVE, POST=EXECUTIVE),
    ],
    "roadmap:boardmeeting_calendar": E("none", **PUB_READ),
    "roadmap:boarditem_feed": E("none", **PUB_READ),
    # API: root, schema and docs are public
    "api-root": E("none", **PUB_READ),
    "api-me": E("none", GET=SIGNED_IN),
    "api-audit-log": E("none", GET=ADMIN),
    "schema": E("none", **PUB_READ),
    "api-docs": E("none", **PUB_READ),
    # API: clouds
    "api-cloud-list": E("none", GET=SIGNED_IN, POST=ADMIN),
    "api-cloud-detail": E("cloud", GET=SIGNED_IN, PATCH=ADMIN, DELETE=ADMIN),
    "api-host-list": E("cloud", GET=ADMIN, POST=ADMIN),
    "api-utilisation-list": E("cloud", GET=ADMIN),
    "api-utilisation-history": E("cloud", GET=ADMIN),
    "api-cloud-capacity": E("cloud", GET=ADMIN),
    "api-cloud-scheduler": E("cloud", GET=ADMIN, PUT=ADMIN, PATCH=ADMIN),
    "api-placement-preview": E("cloud", POST=ADMIN),
    "api-placement-preview-apply": E("cloud", POST=ADMIN),
    "api-drain-plan": E("cloud", POST=ADMIN),
    "api-resilience": E("cloud", GET=ADMIN),
    "api-server-migration-targets": E("server", GET=ADMIN),
    "api-server-failure": E("server", GET=ADMIN),
    "api-host-detail": E("host", GET=ADMIN, PATCH=ADMIN, DELETE=ADMIN),
    "api-aggregate-list": E("cloud", GET=ADMIN, POST=ADMIN),
    "api-aggregate-detail": E("aggregate", GET=ADMIN, PUT=ADMIN, PATCH=ADMIN, DELETE=ADMIN),
    "api-aggregate-action": E("aggregate", POST=ADMIN),
    "api-zone-list": E("cloud", GET=SIGNED_IN),
    "api-flavor-list": E("cloud", GET=SIGNED_IN, POST=ADMIN),
    "api-flavor-detail": [
        E("flavor", GET=SIGNED_IN, PUT=ADMIN, DELETE=ADMIN),
        E("private_flavor", GET=ADMIN, PUT=ADMIN, DELETE=ADMIN),
    ],
    "api-flavor-extra-specs": E("flavor", GET=SIGNED_IN, POST=ADMIN),
    "api-flavor-extra-spec": E("extra_spec", GET=SIGNED_IN, PUT=ADMIN, DELETE=ADMIN),
    "api-flavor-access": E("private_flavor", GET=ADMIN, POST=ADMIN),
    "api-flavor-access-detail": E("flavor_access", DELETE=ADMIN),
    "api-server-list": E("cloud", GET=ADMIN),
    "api-server-group-list": E("cloud", GET=ADMIN, POST=ADMIN),
    "api-syncrun-list": E("cloud", GET=ADMIN),
    "api-cloud-sync": E("cloud", POST=ADMIN),
    "api-cloud-sync-confirm-held": E("cloud", POST=ADMIN),
    # API: roadmap (release calendar: admins)
    "api-project-list": E("none", GET=PUBLIC, POST=LEAD),
    "api-project-detail": E("api_project", GET=PUBLIC, PUT=LEAD, PATCH=LEAD, DELETE=LEAD),
    "api-project-release-preview": E("api_project_series", **PUB_READ),
    "api-series-list": E("none", GET=PUBLIC, POST=ADMIN),
    "api-series-detail": E("api_series", GET=PUBLIC, PUT=ADMIN, PATCH=ADMIN, DELETE=ADMIN),
    "api-milestone-list": E("none", GET=PUBLIC, POST=ADMIN),
    "api-milestone-detail": E("api_milestone", GET=PUBLIC, PUT=ADMIN, PATCH=ADMIN, DELETE=ADMIN),
    "api-blueprint-list": E("none", GET=PUBLIC, POST=LEAD),
    "api-blueprint-import-collection": E("none", POST=LEAD),
    "api-blueprint-detail": E("pk_blueprint", GET=PUBLIC, PUT=LEAD, PATCH=LEAD, DELETE=LEAD),
    # API: meetups and board
    "meetup-list": E("none", GET=PUBLIC, POST=LEAD),
    "meetup-detail": E("pk_meetup", GET=PUBLIC, PUT=ORGANISER, PATCH=ORGANISER, DELETE=ORGANISER),
    "meetup-rsvp": E("pk_meetup", GET=PUBLIC, POST=SIGNED_IN, PUT=SIGNED_IN, DELETE=SIGNED_IN),
    "boardmeeting-list": E("none", GET=PUBLIC, POST=BOARD),
    "boardmeeting-detail": [
        E("pk_meeting", GET=PUBLIC, PUT=BOARD, PATCH=BOARD, DELETE=BOARD),
        E("pk_exec_meeting", GET=EXECUTIVE, PUT=EXECUTIVE, PATCH=EXECUTIVE, DELETE=EXECUTIVE),
    ],
    "boarditem-list": E("none", GET=PUBLIC, POST=BOARD),
    "boarditem-detail": [
        E("pk_item", GET=PUBLIC, PUT=BOARD, PATCH=BOARD, DELETE=BOARD),
        E("pk_exec_item", GET=EXECUTIVE, PUT=EXECUTIVE, PATCH=EXECUTIVE, DELETE=EXECUTIVE),
    ],
    "actionitem-list": E("none", GET=PUBLIC, POST=BOARD),
    "actionitem-detail": [
        E("pk_action", GET=PUBLIC, PUT=BOARD, PATCH=BOARD, DELETE=BOARD),
        E("pk_exec_action", GET=EXECUTIVE, PUT=EXECUTIVE, PATCH=EXECUTIVE, DELETE=EXECUTIVE),
    ],
}

# kwargs builders: sample objects (a namespace from `build_samples`) → reverse() kwargs.
KWARGS = {
    "none": lambda s: {},
    "token": lambda s: {"token_id": s.token.pk},
    "cloud": lambda s: {"slug": s.cloud.slug},
    "cloud_sync": lambda s: {"cloud_slug": s.cloud.slug},
    "syncrun": lambda s: {"cloud_slug": s.cloud.slug, "run_id": s.syncrun.pk},
    "host": lambda s: {"slug": s.cloud.slug, "name": s.host.name},
    "host_pk": lambda s: {"slug": s.cloud.slug, "pk": s.host.pk},
    "server": lambda s: {"slug": s.cloud.slug, "server_uuid": str(s.server.uuid)},
    "server_group": lambda s: {"slug": s.cloud.slug, "group_uuid": s.server_group.uuid},
    "aggregate": lambda s: {"slug": s.cloud.slug, "pk": s.aggregate.pk},
    "flavor": lambda s: {"slug": s.cloud.slug, "flavor_id": s.flavor.flavor_id},
    "private_flavor": lambda s: {"slug": s.cloud.slug, "flavor_id": s.private_flavor.flavor_id},
    "extra_spec": lambda s: {
        "slug": s.cloud.slug,
        "flavor_id": s.flavor.flavor_id,
        "key": "hw:cpu_policy",
    },
    "flavor_access": lambda s: {
        "slug": s.cloud.slug,
        "flavor_id": s.private_flavor.flavor_id,
        "tenant": "tenant-a",
    },
    "project": lambda s: {"project_name": s.project.name},
    "project_series": lambda s: {"project_name": s.project.name, "series_name": "juno"},
    "blueprint": lambda s: {"project_name": s.project.name, "name": s.blueprint.name},
    "series": lambda s: {"series_name": "juno"},
    "milestone": lambda s: {"milestone_name": "juno-2"},
    "meetup": lambda s: {"meetup_id": s.meetup.pk},
    "meeting": lambda s: {"meeting_id": s.meeting.pk},
    "exec_meeting": lambda s: {"meeting_id": s.exec_meeting.pk},
    "item": lambda s: {"item_id": s.item.pk},
    "exec_item": lambda s: {"item_id": s.exec_item.pk},
    "action": lambda s: {"action_id": s.action.pk},
    "exec_action": lambda s: {"action_id": s.exec_action.pk},
    "api_project": lambda s: {"name": s.project.name},
    "api_project_series": lambda s: {"name": s.project.name, "series_name": "juno"},
    "api_series": lambda s: {"name": "juno"},
    "api_milestone": lambda s: {"name": "juno-2"},
    "pk_blueprint": lambda s: {"pk": s.blueprint.pk},
    "pk_meetup": lambda s: {"pk": s.meetup.pk},
    "pk_meeting": lambda s: {"pk": s.meeting.pk},
    "pk_exec_meeting": lambda s: {"pk": s.exec_meeting.pk},
    "pk_item": lambda s: {"pk": s.item.pk},
    "pk_exec_item": lambda s: {"pk": s.exec_item.pk},
    "pk_action": lambda s: {"pk": s.action.pk},
    "pk_exec_action": lambda s: {"pk": s.exec_action.pk},
}

SKIPPED_PREFIXES = ("django-admin/",)


def site_url_patterns() -> list[tuple[str | None, str]]:
    """(full name or None, route) of every pattern of the site, namespaces included."""
    static = (url.lstrip("/") for url in (settings.STATIC_URL, settings.MEDIA_URL) if url)
    skipped = SKIPPED_PREFIXES + tuple(prefix for prefix in static if prefix)
    found = []

    def walk(patterns, prefix: str, namespaces: tuple[str, ...]) -> None:
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if route.startswith(skipped):
                continue
            if isinstance(pattern, URLResolver):
                inner = namespaces + ((pattern.namespace,) if pattern.namespace else ())
                walk(pattern.url_patterns, route, inner)
            elif isinstance(pattern, URLPattern):
                name = ":".join(namespaces + (pattern.name,)) if pattern.name else None
                found.append((name, route))

    walk(get_resolver().url_patterns, "", ())
    return found


def test_every_url_has_an_entry():
    patterns = site_url_patterns()
    names = {name for name, _ in patterns if name}
    missing = sorted(f"{name}  ({route})" for name, route in patterns if name not in MATRIX)
    gone = sorted(set(MATRIX) - names)
    assert not missing, "URL patterns without an entry in MATRIX:\n" + "\n".join(missing)
    assert not gone, "MATRIX entries for URLs that no longer exist:\n" + "\n".join(gone)
    unknown = sorted({e.kwargs for entry in MATRIX.values() for e in _entries(entry)} - set(KWARGS))
    assert not unknown, f"unknown kwargs builders: {unknown}"


def _entries(entry: Entry | list[Entry]) -> list[Entry]:
    return entry if isinstance(entry, list) else [entry]


class Samples:
    """The sample objects every request of one test may address."""


def build_samples(users: dict) -> Samples:
    s = Samples()
    lead, board = users["lead"], users["board"]
    s.token, _ = dashboard_services.create_api_token(users["member"], name="matrix")
    s.cloud = CloudFactory(slug="matrix-cloud")
    s.host = HostFactory(cloud=s.cloud, name="matrix-host")
    s.aggregate = AggregateFactory(
        cloud=s.cloud, name="matrix-agg", availability_zone="matrix-az", hosts=[s.host]
    )
    s.flavor = FlavorFactory(
        cloud=s.cloud, flavor_id="m1", extra_specs={"hw:cpu_policy": "dedicated"}
    )
    s.private_flavor = FlavorFactory(
        cloud=s.cloud, flavor_id="m2", is_public=False, access_project_ids=["tenant-a"]
    )
    s.server = ServerFactory(host=s.host, flavor=s.flavor)
    s.server_group = ServerGroup.objects.create(cloud=s.cloud, name="g", policy="affinity")
    s.syncrun = SyncRun.objects.create(cloud=s.cloud, status="ok", started_at=timezone.now())
    s.project = ProjectFactory(name="matrix-project", leads=[lead])
    s.blueprint = make_blueprint(
        s.project, "matrix-blueprint", series=juno(), milestone=milestone("juno-2")
    )
    s.meetup = MeetupFactory(project=s.project, organiser=lead)
    for user in users.values():  # so that each role has an answer to withdraw
        RsvpFactory(meetup=s.meetup, user=user)
    s.meeting = BoardMeetingFactory(title="Public board meeting")
    s.item = BoardItemFactory(meeting=s.meeting, topic="Public agenda item")
    s.action = ActionItemFactory(item=s.item, owner=board, description="Public follow-up")
    # Executive session: a whole meeting, and one item of the public meeting.
    s.exec_meeting = BoardMeetingFactory(
        title=f"{SECRET} meeting", executive_session=True, date=datetime.date(2014, 10, 1)
    )
    s.exec_item = BoardItemFactory(
        meeting=s.exec_meeting, topic=f"{SECRET} item", summary=SECRET, executive_session=True
    )
    s.exec_action = ActionItemFactory(item=s.exec_item, owner=board, description=f"{SECRET} act")
    BoardItemFactory(
        meeting=s.meeting, topic=f"{SECRET} topic", decision=SECRET, executive_session=True
    )
    return s


def expected(entry: Entry, role: str, method: str) -> str:
    return "allowed" if role in entry.access.get(method, ()) else "refused"


def outcome(response) -> str:
    """ "refused": 401/403/404/405 or a redirect to sign-in; anything else is "allowed"."""
    if response.status_code in (401, 403, 404, 405):
        return "refused"
    redirect = response.status_code in (301, 302, 303, 307, 308)
    if redirect and urlsplit(response["Location"]).path == reverse(settings.LOGIN_URL):
        return "refused"
    return "allowed"


def body_of(response) -> bytes:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


def request(client: Client, method: str, url: str):
    """Inside a transaction rolled back afterwards: a DELETE or POST changes nothing lasting."""
    kwargs = {}
    if method != "GET" and url.startswith("/api/"):
        kwargs = {"data": "{}", "content_type": "application/json"}
    elif method in ("PUT", "PATCH", "DELETE"):
        kwargs = {"data": "", "content_type": "application/x-www-form-urlencoded"}
    with transaction.atomic():
        response = getattr(client, method.lower())(url, **kwargs)
        body = body_of(response)
        transaction.set_rollback(True)
    return response, body


@pytest.fixture
def no_api_throttling(monkeypatch):
    """Thousands of requests in a minute: the API's rate limits are not what is tested here."""
    from rest_framework.throttling import SimpleRateThrottle

    monkeypatch.setattr(SimpleRateThrottle, "allow_request", lambda self, request, view: True)


@pytest.mark.django_db
@pytest.mark.parametrize("url_name", sorted(MATRIX))
def test_permissions(
    url_name, admin_user, lead_user, board_user, member_user, superuser_user, no_api_throttling
):
    users = {
        "member": member_user,
        "lead": lead_user,
        "board": board_user,
        "admin": admin_user,
        "superuser": superuser_user,
    }
    samples = build_samples(users)
    clients = {"anon": Client()}
    for role, user in users.items():
        clients[role] = Client()
        clients[role].force_login(user)

    mismatches = []
    for entry in _entries(MATRIX[url_name]):
        url = reverse(url_name, kwargs=KWARGS[entry.kwargs](samples))
        for role in ROLES:
            client = clients[role]
            for method in METHODS:
                want = expected(entry, role, method)
                try:
                    response, body = request(client, method, url)
                except Exception as exc:  # a 500 is a mismatch too, reported with the rest
                    mismatches.append((url, role, method, want, repr(exc)))
                    continue
                got = outcome(response)
                if got != want:
                    mismatches.append((url, role, method, want, response.status_code))
                if role not in EXECUTIVE and SECRET.encode() in body:
                    mismatches.append((url, role, method, "no executive text", "leaked"))
                session = client.cookies.get(settings.SESSION_COOKIE_NAME)
                if role != "anon" and not (session and session.value):
                    client.force_login(users[role])  # signed out by sign-out's POST

    assert not mismatches, "\n".join(map(str, mismatches))

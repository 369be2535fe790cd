"""Server groups of local clouds (connected clouds mirror Nova's), and the rule a boot into one
must respect: a hard policy decides which hosts may take the new member."""

from typing import Any

from django.db import IntegrityError, transaction

from aggregates.choices import GroupPolicy
from aggregates.errors import DuplicateName, InvalidInput, LocalCloudOnly
from aggregates.models import Cloud, Host, Server, ServerGroup
from aggregates.services.validation import User, check_name
from dashboard import audit


def create_server_group(
    cloud: Cloud,
    *,
    actor: User,
    name: Any,
    policy: Any,
    project_id: Any,
    max_server_per_host: Any = None,
) -> ServerGroup:
    """Nova's os-server-groups create (2.64+): a policy; `max_server_per_host` (anti-affinity)."""
    if cloud.is_connected:
        raise LocalCloudOnly(f"Server groups of connected cloud {cloud.slug} come from Nova.")
    if policy not in GroupPolicy.values:
        raise InvalidInput(
            f"Invalid input for field/attribute policy. Value: {policy}. "
            f"'{policy}' is not one of {', '.join(GroupPolicy.values)}",
            field="policy",
        )
    if max_server_per_host is not None:
        if policy != GroupPolicy.ANTI_AFFINITY:
            raise InvalidInput(
                "Only anti-affinity policy supports rules.", field="max_server_per_host"
            )
        if (
            isinstance(max_server_per_host, bool)
            or not isinstance(max_server_per_host, int)
            or max_server_per_host < 1
        ):
            raise InvalidInput(
                "'max_server_per_host' must be an integer of at least 1.",
                field="max_server_per_host",
            )
    try:
        with transaction.atomic():
            group = ServerGroup.objects.create(
                cloud=cloud,
                name=check_name(name),
                policy=policy,
                project_id=check_name(project_id, field="project_id"),
                max_server_per_host=max_server_per_host,
            )
            audit.record_create(actor=actor, obj=group)
    except IntegrityError as exc:  # the uuid is ours: only a race on it lands here
        raise DuplicateName("Server group already exists.", field="name") from exc
    return group


def delete_server_group(group: ServerGroup, *, actor: User) -> None:
    """Nova's os-server-groups delete: the group goes, its members stay (in no group)."""
    if group.cloud.is_connected:
        raise LocalCloudOnly(f"Server groups of connected cloud {group.cloud.slug} come from Nova.")
    with transaction.atomic(), audit.recording_delete(actor=actor, obj=group):
        group.delete()


def group_refusal(group: ServerGroup, host: Host) -> str:
    """Why a hard policy keeps a new member off `host` (Nova's scheduler would), or ''."""
    members = Server.objects.filter(server_group=group, host__isnull=False)
    if group.policy == GroupPolicy.ANTI_AFFINITY:
        limit = group.max_server_per_host or 1
        here = members.filter(host=host).count()
        if here >= limit:
            return (
                f"anti-affinity group {group.name} already has {here} member(s) on {host.name} "
                f"(limit {limit})"
            )
    elif group.policy == GroupPolicy.AFFINITY:
        hosts = set(members.values_list("host__name", flat=True))
        if hosts and host.name not in hosts:
            return f"affinity group {group.name} runs on {', '.join(sorted(hosts))}"
    return ""

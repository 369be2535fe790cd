"""Server groups mirrored from the compute API: policy, rules, members; a bad reply writes none."""

import pytest

from aggregates.models import Server, ServerGroup
from aggregates.sync import reconcile
from aggregates.sync.client import ComputeClient
from aggregates.sync.errors import InvalidReply

pytestmark = pytest.mark.django_db


def servers_named(simulator, *names):
    return [s.id for s in simulator.state.servers.values() if s.name in names]


@pytest.fixture
def groups(simulator):
    """Three groups over more than one page (the simulator serves 2 a page)."""
    state = simulator.state
    state.create_server_group(
        "spread",
        "anti-affinity",
        members=servers_named(simulator, "cool-1", "web-1"),
        max_server_per_host=2,
    )
    state.create_server_group("together", "affinity", project_id="p-demo")
    state.create_server_group("loose", "soft-anti-affinity")
    return state.server_groups


def test_groups_are_mirrored_with_their_policy_rule_and_members(connected_cloud, simulator, groups):
    reconcile.sync_cloud(connected_cloud)

    stored = {g.name: g for g in ServerGroup.objects.filter(cloud=connected_cloud)}
    assert {name: (g.policy, g.max_server_per_host) for name, g in stored.items()} == {
        "spread": ("anti-affinity", 2),
        "together": ("affinity", None),
        "loose": ("soft-anti-affinity", None),
    }
    assert stored["together"].project_id == "p-demo"
    members = Server.objects.filter(cloud=connected_cloud, server_group=stored["spread"])
    assert sorted(members.values_list("name", flat=True)) == ["cool-1", "web-1"]
    assert simulator.app.requests.count(("GET", "/v2.1/os-server-groups")) == 3  # 2 + 1 + empty


def test_before_2_64_the_policy_comes_from_policies(clouds_yaml, simulator, groups):
    # sim-2.87 is above 2.64 too; the reply shape below 2.64 is read from a capped client.
    simulator.write_clouds_yaml(clouds_yaml, "sim-2.60", compute_api_version="2.60")

    listed = {g.name: g for g in ComputeClient("sim-2.60").list_server_groups()}

    assert (listed["spread"].policy, listed["spread"].max_server_per_host) == (
        "anti-affinity",
        None,
    )


def test_a_group_gone_from_nova_is_removed_and_its_members_freed(
    connected_cloud, simulator, groups
):
    reconcile.sync_cloud(connected_cloud)
    spread = next(g for g in groups.values() if g.name == "spread")
    del groups[spread.id]

    reconcile.sync_cloud(connected_cloud)

    assert not ServerGroup.objects.filter(cloud=connected_cloud, name="spread").exists()
    assert not Server.objects.filter(cloud=connected_cloud, server_group__isnull=False).exists()


@pytest.mark.parametrize(
    ("field", "named"),
    [
        ("members", r"server_groups\[0\]\.members: expected array, got 'garbage'"),
        ("rules", r"server_groups\[0\]\.rules: expected object, got 'garbage'"),
        ("policy", r"server_groups\[0\]\.policy: expected one of .*got 'garbage'"),
    ],
)
def test_a_group_of_the_wrong_shape_fails_the_sync_naming_the_field_and_writes_nothing(
    connected_cloud, simulator, groups, field, named
):
    reconcile.sync_cloud(connected_cloud)
    before = sorted(ServerGroup.objects.values_list("name", "policy", "max_server_per_host"))
    simulator.state.create_server_group("late", "affinity")
    simulator.app.inject("mangle", path="/os-server-groups", field=field)

    with pytest.raises(InvalidReply, match=named):
        reconcile.sync_cloud(connected_cloud)

    assert sorted(ServerGroup.objects.values_list("name", "policy", "max_server_per_host")) == (
        before
    )
    connected_cloud.refresh_from_db()
    assert connected_cloud.last_sync_status == "failed"
    assert "server_groups[0]." + field in connected_cloud.last_sync_error


def test_a_server_in_two_groups_is_refused_naming_the_members(clouds_yaml, simulator, groups):
    simulator.state.create_server_group(
        "again", "affinity", members=servers_named(simulator, "cool-1")
    )

    with pytest.raises(InvalidReply, match=r"members: server .* is also a member of group"):
        ComputeClient("sim").list_server_groups()

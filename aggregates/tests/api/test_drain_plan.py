"""Drain plan API: the CLI tour's coolhardware servers, what-if, order, consumption, bad input."""

import pytest
from django.urls import reverse

from aggregates import services
from aggregates.errors import InvalidInput
from aggregates.models import Aggregate, Cloud, Server
from aggregates.tests.factories import CloudFactory, FlavorFactory, HostFactory
from aggregates.tests.tour import tour_with_cool_servers

pytestmark = pytest.mark.django_db


@pytest.fixture
def tour(admin_user) -> Cloud:
    return tour_with_cool_servers(admin_user)


def drain(client, cloud, **body):
    return client.post(
        reverse("api-drain-plan", args=[cloud.slug]), body, content_type="application/json"
    )


def test_draining_devstack_strands_both_coolhardware_servers_naming_the_filter(admin_client, tour):
    response = drain(admin_client, tour, hosts=["devstack"])

    assert response.status_code == 200, response.content
    plan = response.json()
    assert plan["summary"] == {"servers": 2, "placed": 0, "unplaceable": 2}
    for move in plan["moves"]:
        assert move["destination"] is None
        (rejection,) = move["rejections"]
        assert rejection["step"] == "AggregateInstanceExtraSpecsFilter"
        assert [example["host"] for example in rejection["examples"]] == ["compute-2"]
        assert "coolhardware" in rejection["examples"][0]["reason"]


def test_what_if_compute2_joins_aggregate1_places_both_there(admin_client, tour):
    response = drain(
        admin_client,
        tour,
        hosts=["devstack"],
        changes=[{"action": "add_host", "aggregate": "test-aggregate1", "host": "compute-2"}],
    )

    plan = response.json()
    assert plan["summary"]["placed"] == 2
    assert {move["destination"] for move in plan["moves"]} == {"compute-2"}
    # Nothing was written: the stored cloud still strands them.
    assert drain(admin_client, tour, hosts=["devstack"]).json()["summary"]["placed"] == 0


def test_each_placement_uses_up_room_before_the_next(admin_client, admin_user):
    cloud = CloudFactory()
    source = HostFactory(cloud=cloud, name="a-source", vcpus=64, memory_mb=65536, local_gb=500)
    for name in ("b-small", "c-small"):
        HostFactory(
            cloud=cloud,
            name=name,
            vcpus=4,
            memory_mb=8192,
            local_gb=100,
            cpu_allocation_ratio=1.0,
            reserved_host_cpus=0,
        )
    big = FlavorFactory(cloud=cloud, flavor_id="big", name="big", vcpus=4, ram=4096, disk=10)
    small = FlavorFactory(cloud=cloud, flavor_id="small", name="small", vcpus=1, ram=512, disk=1)
    for name, flavor in (("s1", small), ("b1", big), ("b2", big), ("b3", big)):
        services.create_server(
            cloud, actor=admin_user, name=name, host=source, flavor=flavor, project_id="p"
        )

    plan = drain(admin_client, cloud, hosts=["a-source"]).json()

    # Largest first; two 4-vCPU hosts at ratio 1.0 take one big server each, then nothing fits.
    assert [move["server"]["name"] for move in plan["moves"]] == ["b1", "b2", "b3", "s1"]
    assert sorted(m["destination"] for m in plan["moves"][:2]) == ["b-small", "c-small"]
    assert plan["moves"][2]["destination"] is None
    assert plan["moves"][2]["rejections"][0]["step"] == "Placement"
    assert plan["moves"][3]["destination"] is None
    (zone,) = plan["zones"]
    assert (zone["hosts"], zone["vcpus"]) == (2, 8)
    assert (zone["vcpus_used_before"], zone["vcpus_used_after"]) == (0, 8)


def test_drain_of_an_aggregate_and_of_a_zone(admin_client, tour):
    by_aggregate = drain(admin_client, tour, aggregate="test-aggregate2").json()
    by_zone = drain(admin_client, tour, zone="test-az").json()

    assert by_aggregate["drained"] == by_zone["drained"] == ["devstack"]
    assert by_zone["summary"]["unplaceable"] == 2


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"hosts": ["nope"]}, "hosts"),
        ({"hosts": []}, "hosts"),
        ({}, "hosts"),
        ({"zone": "atlantis"}, "zone"),
        ({"aggregate": "missing"}, "aggregate"),
        ({"aggregate": "test-aggregate1", "zone": "nova"}, "zone"),
        ({"hosts": "devstack"}, "hosts"),
        ({"hosts": ["devstack"], "changes": [{"action": "explode"}]}, "changes[0].action"),
    ],
)
def test_bad_input_is_a_400_naming_the_field(admin_client, tour, body, field):
    response = drain(admin_client, tour, **body)

    assert response.status_code == 400, response.content
    assert field in [error["field"] for error in response.json()["errors"]]


def test_an_empty_aggregate_cannot_be_drained(admin_client, tour):
    Aggregate.objects.create(cloud=tour, name="empty")

    response = drain(admin_client, tour, aggregate="empty")

    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "aggregate"


def test_only_cloud_admins_plan(client, django_user_model, tour):
    member = django_user_model.objects.create_user("lead", password="pw")
    client.force_login(member)

    assert drain(client, tour, hosts=["devstack"]).status_code == 403


def _group_cloud(admin_user, hosts: list[str], policy: str, members: dict[str, str]):
    """A local cloud of `hosts`, a server group of `policy`, its members on the given hosts."""
    cloud = CloudFactory()
    by_name = {name: HostFactory(cloud=cloud, name=name) for name in hosts}
    flavor = FlavorFactory(cloud=cloud, flavor_id="1", name="tiny", vcpus=1, ram=512, disk=1)
    group = services.create_server_group(
        cloud, actor=admin_user, name="g", policy=policy, project_id="p"
    )
    for server, host in members.items():
        services.create_server(
            cloud,
            actor=admin_user,
            name=server,
            host=by_name[host],
            flavor=flavor,
            project_id="p",
            server_group=group,
        )
    return cloud


def test_anti_affinity_never_puts_two_members_on_one_host(admin_client, admin_user):
    cloud = _group_cloud(admin_user, ["a", "b", "c"], "anti-affinity", {"s1": "a", "s2": "b"})

    one = drain(admin_client, cloud, hosts=["a"]).json()
    both = drain(admin_client, cloud, hosts=["a", "b"]).json()

    assert [move["destination"] for move in one["moves"]] == ["c"]
    placed = [move for move in both["moves"] if move["destination"]]
    (stranded,) = [move for move in both["moves"] if not move["destination"]]
    assert [move["destination"] for move in placed] == ["c"]
    assert stranded["rejections"][0]["step"] == "ServerGroupAntiAffinityFilter"
    assert stranded["rejections"][0]["examples"][0]["host"] == "c"


def test_affinity_members_cannot_leave_their_host(admin_client, admin_user):
    # Nova computes the group's hosts from every member, the migrating one included, and the
    # source host is never a destination: a cold migration of an affinity member finds no host.
    cloud = _group_cloud(admin_user, ["a", "b"], "affinity", {"s1": "a", "s2": "a"})

    plan = drain(admin_client, cloud, hosts=["a"]).json()

    assert plan["summary"]["unplaceable"] == 2
    assert {m["rejections"][0]["step"] for m in plan["moves"]} == {"ServerGroupAffinityFilter"}


def test_a_boot_into_a_group_respects_its_hard_policy(admin_user):
    cloud = _group_cloud(admin_user, ["a", "b"], "anti-affinity", {"s1": "a"})
    group = cloud.server_groups.get()
    flavor = cloud.flavors.get()

    with pytest.raises(InvalidInput, match="anti-affinity group g already has 1 member"):
        services.create_server(
            cloud,
            actor=admin_user,
            name="s2",
            host=cloud.hosts.get(name="a"),
            flavor=flavor,
            project_id="p",
            server_group=group,
        )


def test_a_server_keeps_to_the_zone_it_asked_for(admin_client, admin_user):
    cloud = CloudFactory()
    source, same_zone, other_zone = (HostFactory(cloud=cloud, name=n) for n in ("a", "b", "c"))
    zone = services.create_aggregate(cloud, actor=admin_user, name="z1", availability_zone="z1")
    for host in (source, same_zone):
        services.add_host_to_aggregate(zone, host.name, actor=admin_user)
    flavor = FlavorFactory(cloud=cloud, flavor_id="1", vcpus=1, ram=256, disk=1)
    pinned = services.create_server(
        cloud, actor=admin_user, name="pinned", host=source, flavor=flavor, project_id="p"
    )
    services.create_server(
        cloud, actor=admin_user, name="fill", host=same_zone, flavor=flavor, project_id="p"
    )
    Server.objects.filter(pk=pinned.pk).update(requested_zone="z1")  # as a sync mirrors it

    both = drain(admin_client, cloud, hosts=["a", "b"]).json()

    moves = {move["server"]["name"]: move for move in both["moves"]}
    assert moves["fill"]["destination"] == "c"  # asked for no zone: any host
    assert moves["pinned"]["destination"] is None, moves  # z1 has no host left
    assert moves["pinned"]["rejections"], moves["pinned"]
    assert moves["pinned"]["rejections"][0]["step"] == "map_az_to_placement_aggregate"


@pytest.mark.parametrize("hosts", [3, 40])
def test_drain_queries_do_not_grow_with_hosts_or_servers(
    admin_client, admin_user, hosts, django_assert_max_num_queries
):
    cloud = CloudFactory(slug="dq")
    made = HostFactory.create_batch(hosts, cloud=cloud)
    flavor = FlavorFactory(cloud=cloud, flavor_id="1", vcpus=1, ram=256, disk=1)
    group = services.create_server_group(
        cloud, actor=admin_user, name="g", policy="anti-affinity", project_id="p"
    )
    for index, host in enumerate(made):
        services.create_server(
            cloud,
            actor=admin_user,
            name=f"s{index}",
            host=host,
            flavor=flavor,
            project_id="p",
            server_group=group if index % 2 else None,
        )
    drained = [host.name for host in made[: hosts // 2 + 1]]

    with django_assert_max_num_queries(14):
        api = drain(admin_client, cloud, hosts=drained)
    with django_assert_max_num_queries(20):
        page = admin_client.get(
            reverse("aggregates:drain_plan", args=[cloud.slug]),
            [("drain", f"host:{name}") for name in drained],
        )

    assert api.json()["summary"]["servers"] == len(drained)
    assert page.status_code == 200

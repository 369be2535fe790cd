"""The CLI tour of DESIGN.md and what Nova shows after it (harness samples, nova 34)."""

from aggregates.models import Cloud

# From the harness's recorded GET /os-aggregates, /os-availability-zone and flavor 100.
NOVA_AFTER_TOUR = {
    "aggregates": {
        "test-aggregate1": {
            "availability_zone": None,
            "hosts": [],
            "metadata": {"coolhardware": "true"},
        },
        "test-aggregate2": {
            "availability_zone": "test-az",
            "hosts": ["devstack"],
            "metadata": {"availability_zone": "test-az"},
        },
    },
    "zones": [("nova", True), ("test-az", True)],
    "flavor": {
        "id": "100",
        "name": "m1.coolhardware",
        "ram": 2048,
        "disk": 20,
        "vcpus": 2,
        "is_public": True,
        "extra_specs": {"coolhardware": "true"},
    },
}


def tour_state(cloud: Cloud) -> dict:
    """The same picture of a cloud, read from our database."""
    from aggregates import queries

    aggregates = {
        a.name: {
            "availability_zone": a.availability_zone,
            "hosts": [h.name for h in a.hosts.all()],
            "metadata": a.metadata,
        }
        for a in queries.aggregates_for_table(cloud)
    }
    flavor = cloud.flavors.get(flavor_id="100")
    return {
        "aggregates": aggregates,
        "zones": [(z.name, z.available) for z in queries.availability_zones(cloud)],
        "flavor": {
            "id": flavor.flavor_id,
            "name": flavor.name,
            "ram": flavor.ram,
            "disk": flavor.disk,
            "vcpus": flavor.vcpus,
            "is_public": flavor.is_public,
            "extra_specs": flavor.extra_specs,
        },
    }


def tour_with_cool_servers(admin_user) -> Cloud:
    """The CLI tour after devstack joined test-aggregate1, two m1.coolhardware servers on it."""
    from aggregates import services
    from aggregates.demo import tour as demo
    from aggregates.models import Aggregate, Flavor, Host

    demo._seed_devstack(admin_user)
    cloud = Cloud.objects.get(slug="devstack")
    aggregate1 = Aggregate.objects.get(cloud=cloud, name="test-aggregate1")
    services.add_host_to_aggregate(aggregate1, "devstack", actor=admin_user)
    devstack = Host.objects.get(cloud=cloud, name="devstack")
    flavor = Flavor.objects.get(cloud=cloud, flavor_id="100")
    for name in ("cool-1", "cool-2"):
        services.create_server(
            cloud, actor=admin_user, name=name, host=devstack, flavor=flavor, project_id="demo"
        )
    return cloud

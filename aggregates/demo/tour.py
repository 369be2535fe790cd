"""Demo data: the CLI tour of DESIGN.md as local cloud "devstack", and a generated 300-host cloud,
each with six weeks of utilisation history.

Deterministic (seeded) and idempotent: a cloud that already exists is left as it is.
"""

import random
import uuid
from datetime import datetime

from django.utils import timezone

from aggregates import services
from aggregates.choices import Resolution
from aggregates.demo.synthetic import synthetic_history
from aggregates.errors import InvalidInput
from aggregates.models import Cloud, UtilisationSample
from aggregates.scheduling import DEFAULT_ENABLED_FILTERS

# Nova's DefaultFlavorsFixture / devstack flavors: id, name, vcpus, ram MB, disk GB.
NOVA_DEFAULT_FLAVORS = [
    ("1", "m1.tiny", 1, 512, 1),
    ("2", "m1.small", 1, 2048, 20),
    ("3", "m1.medium", 2, 4096, 40),
    ("4", "m1.large", 4, 8192, 80),
    ("5", "m1.xlarge", 8, 16384, 160),
]
LAB_SEED = 20261125
LAB_ZONES = ("az-1", "az-2", "az-3")
LAB_TENANT = "6f70656e737461636b20342065766572"
HISTORY_DAYS = 42  # what retention leaves of six weeks: raw 2 days, hourly to 30, then daily


def seed(*, users: dict) -> str:
    admin = users["admin"]
    summaries = [_seed_devstack(admin), _seed_lab(admin)]
    return "; ".join(summaries)


def _seed_devstack(admin) -> str:
    """The CLI tour: the same aggregates, zone, hosts, metadata, flavor and extra spec as Nova."""
    if Cloud.objects.filter(slug="devstack").exists():
        return "cloud devstack already there"
    cloud = services.create_cloud(actor=admin, slug="devstack", name="DevStack", region="RegionOne")
    services.update_cloud(
        cloud,
        actor=admin,
        scheduler_config={
            "enabled_filters": [*DEFAULT_ENABLED_FILTERS, "AggregateInstanceExtraSpecsFilter"]
        },
    )
    services.create_host(
        cloud, actor=admin, name="devstack", vcpus=8, memory_mb=16384, local_gb=200
    )
    services.create_host(
        cloud, actor=admin, name="compute-2", vcpus=4, memory_mb=8192, local_gb=100
    )
    for flavor_id, name, vcpus, ram, disk in NOVA_DEFAULT_FLAVORS:
        services.create_flavor(
            cloud, actor=admin, flavor_id=flavor_id, name=name, vcpus=vcpus, ram=ram, disk=disk
        )
    aggregate1 = services.create_aggregate(cloud, actor=admin, name="test-aggregate1")
    aggregate2 = services.create_aggregate(
        cloud, actor=admin, name="test-aggregate2", availability_zone="test-az"
    )
    services.add_host_to_aggregate(aggregate2, "devstack", actor=admin)
    services.set_aggregate_metadata(aggregate1, {"coolhardware": "true"}, actor=admin)
    flavor = services.create_flavor(
        cloud, actor=admin, flavor_id="100", name="m1.coolhardware", ram=2048, disk=20, vcpus=2
    )
    services.set_flavor_extra_specs(flavor, {"coolhardware": "true"}, actor=admin)
    history = seed_history(cloud)
    return f"cloud devstack: the CLI tour (2 hosts, 2 aggregates, 6 flavors); {history}"


LAB_FLAVORS = [
    # id, name, vcpus, ram, disk, is_public, extra specs
    ("g1.small", "g1.small", 1, 2048, 20, True, {}),
    ("g1.medium", "g1.medium", 2, 4096, 40, True, {}),
    ("g1.large", "g1.large", 4, 8192, 80, True, {}),
    ("g1.xlarge", "g1.xlarge", 8, 16384, 160, True, {}),
    ("c1.large", "c1.large", 8, 8192, 40, True, {"hw:cpu_policy": "dedicated"}),
    ("m1.huge", "m1.huge", 16, 131072, 200, True, {}),
    ("s1.medium", "s1.medium", 2, 4096, 40, True, {"aggregate_instance_extra_specs:ssd": "true"}),
    (
        "s1.large",
        "s1.large",
        4,
        8192,
        80,
        True,
        {"aggregate_instance_extra_specs:ssd": "<or> true <or> yes"},
    ),
    ("gpu.small", "gpu.small", 4, 16384, 80, True, {"aggregate_instance_extra_specs:gpus": ">= 1"}),
    (
        "gpu.large",
        "gpu.large",
        8,
        32768,
        160,
        True,
        {
            "aggregate_instance_extra_specs:gpus": ">= 4",
            "aggregate_instance_extra_specs:gpu_model": "<in> A100",
        },
    ),
    (
        "t1.medium",
        "t1.medium",
        2,
        4096,
        40,
        False,
        {"aggregate_instance_extra_specs:pool": "tenant"},
    ),
    ("legacy.cool", "legacy.cool", 2, 2048, 20, True, {"coolhardware": "true"}),
]


def _seed_lab(admin) -> str:
    """About 300 hosts in 3 zones with SSD, GPU and a tenant-isolated pool; seeded, repeatable."""
    if Cloud.objects.filter(slug="lab").exists():
        return "cloud lab already there"
    rng = random.Random(LAB_SEED)
    cloud = services.create_cloud(
        actor=admin, slug="lab", name="Lab (generated)", region="RegionTwo"
    )
    services.update_cloud(
        cloud,
        actor=admin,
        scheduler_config={
            "enabled_filters": [
                *DEFAULT_ENABLED_FILTERS,
                "AggregateInstanceExtraSpecsFilter",
                "AggregateMultiTenancyIsolation",
            ],
            "cpu_allocation_ratio": 4.0,
        },
    )
    zones = {
        zone: services.create_aggregate(
            cloud, actor=admin, name=f"{zone}-hosts", availability_zone=zone
        )
        for zone in LAB_ZONES
    }
    ssd = services.create_aggregate(cloud, actor=admin, name="ssd")
    services.set_aggregate_metadata(ssd, {"ssd": "true"}, actor=admin)
    gpu = services.create_aggregate(cloud, actor=admin, name="gpu")
    services.set_aggregate_metadata(gpu, {"gpus": "4", "gpu_model": "A100,H100"}, actor=admin)
    pool = services.create_aggregate(cloud, actor=admin, name="tenant-pool")
    services.set_aggregate_metadata(
        pool, {"filter_tenant_id": LAB_TENANT, "pool": "tenant"}, actor=admin
    )

    hosts = []
    for number in range(300):
        zone = LAB_ZONES[number % 3]
        size = rng.choice([(32, 131072, 1000), (48, 196608, 2000), (64, 262144, 4000)])
        disabled = rng.random() < 0.03
        host = services.create_host(
            cloud,
            actor=admin,
            name=f"{zone}-compute-{number // 3:03d}",
            vcpus=size[0],
            memory_mb=size[1],
            local_gb=size[2],
            status="disabled" if disabled else "enabled",
            disabled_reason="maintenance" if disabled else "",
        )
        services.add_host_to_aggregate(zones[zone], host, actor=admin)
        if number % 5 == 0:
            services.add_host_to_aggregate(ssd, host, actor=admin)
        if number % 25 == 1:
            services.add_host_to_aggregate(gpu, host, actor=admin)
        if 270 <= number < 282:
            services.add_host_to_aggregate(pool, host, actor=admin)
        hosts.append(host)

    flavors = []
    for flavor_id, name, vcpus, ram, disk, is_public, specs in LAB_FLAVORS:
        flavor = services.create_flavor(
            cloud,
            actor=admin,
            flavor_id=flavor_id,
            name=name,
            vcpus=vcpus,
            ram=ram,
            disk=disk,
            is_public=is_public,
        )
        if specs:
            services.set_flavor_extra_specs(flavor, specs, actor=admin)
        if not is_public:
            services.add_flavor_access(flavor, LAB_TENANT, actor=admin)
        flavors.append(flavor)

    general = [f for f in flavors if not f.extra_specs]
    for number in range(120):
        flavor = rng.choice(general)
        project_id = rng.choice(["alpha", "beta", "gamma"])
        server_uuid = uuid.UUID(int=rng.getrandbits(128))
        for host in rng.sample(hosts[:270], 270):
            try:
                services.create_server(
                    cloud,
                    actor=admin,
                    name=f"vm-{number:03d}",
                    host=host,
                    flavor=flavor,
                    project_id=project_id,
                    server_uuid=server_uuid,
                )
                break
            except InvalidInput:
                continue  # no room there, as Placement would have found: the next host
    history = seed_history(cloud)
    return (
        f"cloud lab: {len(hosts)} hosts, 3 zones, 6 aggregates, {len(flavors)} flavors, "
        f"120 servers; {history}"
    )


def seed_history(cloud: Cloud, *, until: datetime | None = None) -> str:
    """Six weeks of plausible utilisation history up to `until` (now), once per cloud: the
    charts, trends and capacity estimates of a fresh demo have something to show."""
    downsampled = UtilisationSample.objects.filter(cloud=cloud).exclude(resolution=Resolution.RAW)
    if downsampled.exists():
        return "history already there"
    readings = synthetic_history(
        cloud, now=until or timezone.now(), days=HISTORY_DAYS, seed=LAB_SEED
    )
    return f"{HISTORY_DAYS} days of utilisation history ({readings:,} readings)"

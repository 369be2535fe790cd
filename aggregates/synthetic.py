"""A synthetic cloud of any size, bulk-inserted for tests and benchmarks."""

from aggregates.models import Aggregate, Cloud, Flavor, Host


def build_cloud(
    slug: str, hosts: int, *, zones: int = 3, aggregates: int = 6, flavors: int = 3
) -> Cloud:
    """`hosts` hosts in `zones` AZ aggregates plus `aggregates` plain ones (deterministic)."""
    cloud = Cloud.objects.create(slug=slug, name=slug.title())
    rows = Host.objects.bulk_create(
        [
            Host(
                cloud=cloud,
                name=f"{slug}-{i:05d}",
                hypervisor_hostname=f"{slug}-{i:05d}",
                vcpus=32 + 16 * (i % 3),
                memory_mb=131072,
                local_gb=1000,
                vcpus_used=(i * 7) % 100,
                memory_mb_used=(i * 4099) % 120000,
                local_gb_used=(i * 37) % 900,
                running_vms=i % 20,
                cpu_allocation_ratio=(4.0, 2.0, 1.5)[i % 3],
                reserved_host_cpus=i % 2,
                reserved_host_disk_mb=(0, 1536)[i % 2],
            )
            for i in range(hosts)
        ],
        batch_size=5000,
    )
    zoned = Aggregate.objects.bulk_create(
        [
            Aggregate(cloud=cloud, name=f"{slug}-az{z}", metadata={"availability_zone": f"az{z}"})
            for z in range(zones)
        ]
        + [
            Aggregate(cloud=cloud, name=f"{slug}-agg{a:03d}", metadata={"ssd": "true"})
            for a in range(aggregates)
        ]
    )
    through = Aggregate.hosts.through
    links = []
    for i, host in enumerate(rows):
        if i % (zones + 1):  # every (zones+1)-th host stays in the default zone
            links.append(through(aggregate_id=zoned[i % zones].pk, host_id=host.pk))
        if aggregates:
            links.append(through(aggregate_id=zoned[zones + i % aggregates].pk, host_id=host.pk))
    through.objects.bulk_create(links, batch_size=10000)
    Flavor.objects.bulk_create(
        [
            Flavor(cloud=cloud, flavor_id=str(f + 1), name=f"m1.f{f}", vcpus=2**f, ram=2048 * 2**f)
            for f in range(flavors)
        ]
    )
    return cloud

"""Deterministic factories for clouds, hosts, aggregates, flavors and servers."""

import factory

from aggregates.models import Aggregate, Cloud, Flavor, Host, Server


class CloudFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cloud
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"cloud-{n}")
    name = factory.LazyAttribute(lambda o: o.slug.title())
    region = "RegionOne"


class HostFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Host

    cloud = factory.SubFactory(CloudFactory)
    name = factory.Sequence(lambda n: f"compute-{n:04d}")
    hypervisor_hostname = factory.LazyAttribute(lambda o: o.name)
    vcpus = 8
    memory_mb = 16384
    local_gb = 200


class AggregateFactory(factory.django.DjangoModelFactory):
    """`availability_zone=` puts the zone into the metadata; `hosts=[...]` adds hosts."""

    class Meta:
        model = Aggregate
        skip_postgeneration_save = True

    class Params:
        availability_zone = None

    cloud = factory.SubFactory(CloudFactory)
    name = factory.Sequence(lambda n: f"aggregate-{n}")
    metadata = factory.LazyAttribute(
        lambda o: {"availability_zone": o.availability_zone} if o.availability_zone else {}
    )

    @factory.post_generation
    def hosts(self, create, extracted, **kwargs):
        if create and extracted:
            self.hosts.add(*extracted)


class FlavorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Flavor

    cloud = factory.SubFactory(CloudFactory)
    flavor_id = factory.Sequence(lambda n: str(1000 + n))
    name = factory.Sequence(lambda n: f"f{n}.small")
    vcpus = 1
    ram = 2048
    disk = 20


class ServerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Server

    cloud = factory.LazyAttribute(lambda o: o.host.cloud)
    host = factory.SubFactory(HostFactory)
    name = factory.Sequence(lambda n: f"server-{n}")
    project_id = "p1"


def fill_cloud(cloud: Cloud, rows: int) -> None:
    """`rows` hosts, aggregates (three zones, one host each) and flavors, in bulk."""
    hosts = Host.objects.bulk_create(
        Host(cloud=cloud, name=f"h{i:05d}", vcpus=8, memory_mb=16384, local_gb=100)
        for i in range(rows)
    )
    aggregates = Aggregate.objects.bulk_create(
        Aggregate(cloud=cloud, name=f"agg{i:05d}", metadata={"availability_zone": f"az{i % 3}"})
        for i in range(rows)
    )
    Aggregate.hosts.through.objects.bulk_create(
        Aggregate.hosts.through(aggregate=aggregates[i], host=hosts[i]) for i in range(rows)
    )
    Flavor.objects.bulk_create(
        Flavor(cloud=cloud, flavor_id=str(i), name=f"f{i}", vcpus=1, ram=512) for i in range(rows)
    )
    for host in hosts[:3]:
        ServerFactory(host=host)

"""Benchmark: server time and SQL queries of the host/aggregate/flavor pages and API lists on a
synthetic cloud (default 10,000 hosts, 500 aggregates), built and rolled back in one transaction."""

import statistics
import time

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from aggregates.models import Aggregate, Cloud, Flavor, Host


class Rollback(Exception):
    pass


class Command(BaseCommand):
    help = "Time the segregation pages and API lists on a synthetic cloud; leaves nothing behind."

    def add_arguments(self, parser):
        parser.add_argument("--hosts", type=int, default=10_000)
        parser.add_argument("--aggregates", type=int, default=500)
        parser.add_argument("--repeat", type=int, default=5)

    def handle(self, *args, hosts: int, aggregates: int, repeat: int, **options) -> None:
        try:
            with transaction.atomic():
                self._run(hosts, aggregates, repeat)
                raise Rollback
        except Rollback:
            pass

    def _run(self, host_count: int, aggregate_count: int, repeat: int) -> None:
        cloud = Cloud.objects.create(slug="bench-segregation", name="Bench")
        hosts = Host.objects.bulk_create(
            Host(cloud=cloud, name=f"bench-{i:05d}", vcpus=64, memory_mb=262144, local_gb=2000)
            for i in range(host_count)
        )
        aggs = Aggregate.objects.bulk_create(
            Aggregate(
                cloud=cloud,
                name=f"agg-{i:04d}",
                metadata={"availability_zone": f"az-{i % 3}"} if i < 3 else {"k": str(i)},
            )
            for i in range(aggregate_count)
        )
        through = Aggregate.hosts.through
        links = [through(aggregate=aggs[i % 3], host=h) for i, h in enumerate(hosts)]
        links += [
            through(aggregate=aggs[3 + i % (len(aggs) - 3)], host=h) for i, h in enumerate(hosts)
        ]
        through.objects.bulk_create(links, batch_size=5000)
        Flavor.objects.bulk_create(
            Flavor(cloud=cloud, flavor_id=str(i), name=f"f{i}", vcpus=1, ram=512)
            for i in range(300)
        )
        admin = get_user_model().objects.create_superuser("bench-admin", password="x")
        client = Client()
        client.force_login(admin)
        self.stdout.write(f"{host_count} hosts, {aggregate_count} aggregates, 300 flavors")
        targets = [
            ("page hosts", reverse("aggregates:host_list", args=[cloud.slug]), {}),
            (
                "page hosts zone+sort",
                reverse("aggregates:host_list", args=[cloud.slug]),
                {"zone": "az-1", "sort": "-memory_mb", "q": "bench-0"},
            ),
            ("page aggregates", reverse("aggregates:aggregate_list", args=[cloud.slug]), {}),
            ("page flavors", reverse("aggregates:flavor_list", args=[cloud.slug]), {}),
            ("page zones", reverse("aggregates:zone_list", args=[cloud.slug]), {}),
            ("api hosts", reverse("api-host-list", args=[cloud.slug]), {}),
            ("api aggregates", reverse("api-aggregate-list", args=[cloud.slug]), {}),
            ("api flavors", reverse("api-flavor-list", args=[cloud.slug]), {}),
        ]
        for label, url, params in targets:
            timings = []
            for _ in range(repeat):
                with CaptureQueriesContext(connection) as queries:
                    start = time.perf_counter()
                    response = client.get(url, params)
                    timings.append((time.perf_counter() - start) * 1000)
                assert response.status_code == 200, (label, response.status_code)
            self.stdout.write(
                f"{label:24s} median {statistics.median(timings):7.1f} ms   "
                f"{len(queries.captured_queries):2d} queries"
            )

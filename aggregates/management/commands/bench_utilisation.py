"""Benchmark utilisation history and pages on a synthetic cloud with a year of history: the
history's size on disk, the downsampling task, and the pages' server time and queries."""

import statistics
import time
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from aggregates import utilisation
from aggregates.demo.synthetic import build_cloud, synthetic_history
from aggregates.models import Cloud, UtilisationSample, UtilisationSeries

SLUG = "bench-utilisation"
TARGET_HOSTS = 10_000  # the size the storage target is stated for


class Command(BaseCommand):
    help = (
        "Build a cloud of --hosts hosts with a year of history (raw 2 days, hourly 30, daily "
        "365), print its size on disk (extrapolated to 10,000 hosts when smaller), time the "
        "downsampling task, then time the utilisation pages server-side and count queries."
    )

    def add_arguments(self, parser):
        parser.add_argument("--hosts", type=int, default=10_000)
        parser.add_argument("--aggregates", type=int, default=500)
        parser.add_argument("--zones", type=int, default=8)
        parser.add_argument("--flavors", type=int, default=20)
        parser.add_argument("--days", type=int, default=365, help="history to generate")
        parser.add_argument("--runs", type=int, default=5)
        parser.add_argument("--keep", action="store_true", help="keep the cloud afterwards")

    def handle(self, *args, **options):
        if connection.vendor != "postgresql":
            raise CommandError("bench_utilisation needs PostgreSQL (DATABASE_URL).")
        Cloud.objects.filter(slug=SLUG).delete()
        started = time.perf_counter()
        hosts = options["hosts"]
        cloud = build_cloud(
            SLUG,
            hosts,
            zones=options["zones"],
            aggregates=options["aggregates"],
            flavors=options["flavors"],
        )
        self.stdout.write(
            f"cloud: {hosts} hosts, {options['aggregates']} aggregates, "
            f"{options['zones']} zones in {time.perf_counter() - started:.1f} s"
        )
        now = timezone.now().replace(second=0, microsecond=0)
        try:
            started = time.perf_counter()
            readings = synthetic_history(cloud, now=now, days=options["days"])
            elapsed = time.perf_counter() - started
            self.stdout.write(
                f"history: {options['days']} days, {readings:,} readings in "
                f"{UtilisationSample.objects.filter(cloud=cloud).count():,} packed rows "
                f"in {elapsed:.1f} s"
            )
            self._storage(cloud, hosts, options["days"])
            self._time_pages(cloud, options["runs"])
            self._time_downsampling(now)
        finally:
            if not options["keep"]:
                Cloud.objects.filter(pk=cloud.pk).delete()

    def _storage(self, cloud: Cloud, hosts: int, days: int) -> None:
        tables = [model._meta.db_table for model in (UtilisationSample, UtilisationSeries)]
        with connection.cursor() as cursor:
            # Rows of earlier runs leave dead space behind until a vacuum: measure without it.
            cursor.execute(f"VACUUM (FULL, ANALYZE) {', '.join(tables)}")
            cursor.execute("SELECT pg_total_relation_size(%s), pg_total_relation_size(%s)", tables)
            samples_bytes, series_bytes = cursor.fetchone()
        others = UtilisationSample.objects.exclude(cloud=cloud).count()
        total = samples_bytes + series_bytes
        line = (
            f"storage (pg_total_relation_size, with indexes and TOAST): samples "
            f"{samples_bytes / 2**20:,.1f} MiB + series {series_bytes / 2**20:,.1f} MiB "
            f"= {total / 2**20:,.1f} MiB for {hosts:,} hosts over {days} days"
        )
        if hosts != TARGET_HOSTS or days != 365:
            estimate = total * TARGET_HOSTS / hosts * 365 / days
            line += (
                f"; extrapolated linearly to {TARGET_HOSTS:,} hosts over a year "
                f"≈ {estimate / 2**20:,.0f} MiB"
            )
        if others:
            line += f" (the table also holds {others:,} rows of other clouds)"
        self.stdout.write(line)

    def _time_downsampling(self, now) -> None:
        """The task as beat runs it: an hour later (4 raw readings per series to merge), then a
        day later (a day of raw and hourly rows merged, a day of daily rows expired)."""
        for label, later in (
            ("hourly run", timedelta(hours=1)),
            ("a day's runs", timedelta(days=1)),
        ):
            started = time.perf_counter()
            result = utilisation.downsample_utilisation(now=now + later)
            elapsed = time.perf_counter() - started
            merged = ", ".join(f"{key} {value:,}" for key, value in result.items())
            self.stdout.write(f"downsampling, {label} in one: {elapsed:.2f} s ({merged} readings)")

    def _time_pages(self, cloud: Cloud, runs: int) -> None:
        """Server time of each page, warm; the cached pages also as the first view after a
        change (the cloud touched before each run, so their cache misses)."""
        user, _ = get_user_model().objects.get_or_create(
            username="bench-utilisation-admin", defaults={"is_superuser": True, "is_staff": True}
        )
        client = Client()
        client.force_login(user)
        heatmap = reverse("aggregates:cloud_heatmap", args=[cloud.slug])
        overview = reverse("aggregates:cloud_detail", args=[cloud.slug])
        history = f"/api/v1/clouds/{cloud.slug}/utilisation/history/"
        host = cloud.hosts.order_by("name").values_list("name", flat=True).last()
        by_flavor = reverse("aggregates:cloud_capacity_matrix", args=[cloud.slug])
        one_flavor = reverse("aggregates:cloud_capacity", args=[cloud.slug]) + "?flavor=2"
        targets = [
            ("heatmap", heatmap, False),
            ("heatmap, first view after a change", heatmap, True),
            ("cloud overview", overview, False),
            ("cloud overview, first view after a change", overview, True),
            (
                "utilisation (zones + cloud chart)",
                reverse("aggregates:cloud_utilisation", args=[cloud.slug]),
                False,
            ),
            (
                "utilisation (hosts page 1)",
                reverse("aggregates:cloud_utilisation", args=[cloud.slug]) + "?level=host",
                False,
            ),
            ("home overview (tiles)", "/", False),
            ("hosts table", reverse("aggregates:host_list", args=[cloud.slug]), False),
            ("capacity (flavor 2)", one_flavor, False),
            ("capacity (flavor 2), first view after a change", one_flavor, True),
            ("capacity by flavor (all flavors)", by_flavor, False),
            ("capacity by flavor, first view after a change", by_flavor, True),
            (
                "API utilisation ?level=availability_zone",
                f"/api/v1/clouds/{cloud.slug}/utilisation/?level=availability_zone",
                False,
            ),
            ("API history ?level=cloud (all)", f"{history}?level=cloud", False),
            ("API history ?level=host (all)", f"{history}?level=host&name={host}", False),
        ]
        self.stdout.write(f"{'page':<44} {'median ms':>10} {'max ms':>8} {'queries':>8} {'KiB':>7}")
        for label, path, after_a_change in targets:
            client.get(path)  # warm caches and connections
            times = []
            queries = 0
            size = 0
            for _ in range(runs):
                if after_a_change:
                    Cloud.objects.filter(pk=cloud.pk).update(updated_at=timezone.now())
                with CaptureQueriesContext(connection) as captured:
                    started = time.perf_counter()
                    response = client.get(path)
                    content = b"".join(response) if response.streaming else response.content
                    times.append((time.perf_counter() - started) * 1000)
                if response.status_code != 200:
                    raise CommandError(f"{path} answered {response.status_code}")
                queries = len(captured.captured_queries)
                size = len(content)
            self.stdout.write(
                f"{label:<44} {statistics.median(times):>10.1f} {max(times):>8.1f} "
                f"{queries:>8} {size / 1024:>7.0f}"
            )

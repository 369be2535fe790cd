"""Benchmark the utilisation pages on a synthetic cloud with a year of downsampled history."""

import statistics
import time
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from aggregates import utilisation
from aggregates.models import Cloud, Level, Resolution, UtilisationSample
from aggregates.synthetic import build_cloud

SLUG = "bench-utilisation"
RAW_EVERY = timedelta(minutes=15)  # the periodic sample of local clouds


class Command(BaseCommand):
    help = (
        "Build a cloud of --hosts hosts with a year of history (raw 2 days, hourly 30, daily "
        "365; bulk SQL inserts), then time the utilisation pages server-side and count queries."
    )

    def add_arguments(self, parser):
        parser.add_argument("--hosts", type=int, default=10_000)
        parser.add_argument("--aggregates", type=int, default=500)
        parser.add_argument("--zones", type=int, default=8)
        parser.add_argument("--runs", type=int, default=5)
        parser.add_argument("--keep", action="store_true", help="keep the cloud afterwards")

    def handle(self, *args, **options):
        if connection.vendor != "postgresql":
            raise CommandError("bench_utilisation needs PostgreSQL (DATABASE_URL).")
        Cloud.objects.filter(slug=SLUG).delete()
        started = time.perf_counter()
        cloud = build_cloud(
            SLUG, options["hosts"], zones=options["zones"], aggregates=options["aggregates"]
        )
        self.stdout.write(
            f"cloud: {options['hosts']} hosts, {options['aggregates']} aggregates, "
            f"{options['zones']} zones in {time.perf_counter() - started:.1f} s"
        )
        started = time.perf_counter()
        rows = self._history(cloud)
        elapsed = time.perf_counter() - started
        self.stdout.write(f"history: {rows:,} sample rows in {elapsed:.1f} s")
        self._storage(cloud, rows, options["hosts"])
        try:
            self._time_pages(cloud, options["runs"])
        finally:
            if not options["keep"]:
                Cloud.objects.filter(pk=cloud.pk).delete()

    def _history(self, cloud: Cloud) -> int:
        """A year per series at the retention policy's resolutions, from the current rollups
        with a slow rise and a daily wave; amounts are sums over `samples` readings."""
        now = timezone.now().replace(second=0, microsecond=0)
        current = [
            (int(level), row) for level in Level for row in utilisation.rollup_rows(cloud, level)
        ]
        table = UtilisationSample._meta.db_table
        per_hour = int(timedelta(hours=1) / RAW_EVERY)
        spans = [
            # resolution, samples per row, first ts, last ts, step
            (Resolution.RAW, 1, now - utilisation.RAW_KEPT, now, RAW_EVERY),
            (
                Resolution.HOURLY,
                per_hour,
                now - utilisation.HOURLY_KEPT,
                now - utilisation.RAW_KEPT - timedelta(hours=1),
                timedelta(hours=1),
            ),
            (
                Resolution.DAILY,
                per_hour * 24,
                now - utilisation.DAILY_KEPT,
                now - utilisation.HOURLY_KEPT - timedelta(days=1),
                timedelta(days=1),
            ),
        ]
        amounts = utilisation.AMOUNTS
        columns = ", ".join(amounts)
        # Used amounts follow the current value × (0.6 → 1.0 over the year) × a daily wave.
        shape = (
            "(0.6 + 0.4 * (1 - extract(epoch from %(now)s - g) / 31536000.0)) "
            "* (0.9 + 0.1 * sin(extract(epoch from g) / 13751.0))"
        )
        values = ", ".join(
            f"round(v.{c} * {shape} * %(samples)s)::bigint"
            if c.endswith("_used") or c == "running_vms"
            else f"v.{c} * %(samples)s"
            for c in amounts
        )
        sql = (
            f"INSERT INTO {table} (cloud_id, level, name, resolution, ts, samples, {columns}) "
            f"SELECT %(cloud)s, v.level, v.name, %(resolution)s, g, %(samples)s, {values} "
            f"FROM unnest(%(levels)s::smallint[], %(names)s::text[], "
            + ", ".join(f"%({c})s::bigint[]" for c in amounts)
            + f") AS v(level, name, {columns}) "
            "CROSS JOIN generate_series(%(first)s::timestamptz, %(last)s::timestamptz, "
            "%(step)s::interval) AS g"
        )
        params = {
            "cloud": cloud.pk,
            "now": now,
            "levels": [level for level, _ in current],
            "names": [row["name"] for _, row in current],
            **{c: [row[c] for _, row in current] for c in amounts},
        }
        total = 0
        meta = UtilisationSample._meta
        # Bulk load: indexes rebuilt once at the end (transactional DDL: a failure undoes all).
        with transaction.atomic(), connection.cursor() as cursor:
            with connection.schema_editor(atomic=False) as editor:
                for constraint in meta.constraints:
                    editor.remove_constraint(UtilisationSample, constraint)
                for index in meta.indexes:
                    editor.remove_index(UtilisationSample, index)
            for resolution, samples, first, last, step in spans:
                cursor.execute(
                    sql,
                    params
                    | {
                        "resolution": int(resolution),
                        "samples": samples,
                        "first": first,
                        "last": last,
                        "step": step,
                    },
                )
                total += cursor.rowcount
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # fire the deferred FK checks now
            with connection.schema_editor(atomic=False) as editor:
                for constraint in meta.constraints:
                    editor.add_constraint(UtilisationSample, constraint)
                for index in meta.indexes:
                    editor.add_index(UtilisationSample, index)
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {table}")
        return total

    def _storage(self, cloud: Cloud, rows: int, hosts: int) -> None:
        table = UtilisationSample._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT pg_total_relation_size(%s), pg_relation_size(%s), count(*) FROM {table}",
                [table, table],
            )
            total_bytes, heap_bytes, all_rows = cursor.fetchone()
        per_row = total_bytes / max(all_rows, 1)
        per_host_year = rows / max(hosts, 1)
        estimate = per_row * per_host_year * 10_000
        self.stdout.write(
            f"storage: {total_bytes / 2**20:,.0f} MiB for {all_rows:,} rows "
            f"(heap {heap_bytes / 2**20:,.0f} MiB; {per_row:.0f} B/row with indexes); "
            f"{per_host_year:,.0f} rows per series-year → 10,000 hosts over a year "
            f"≈ {estimate / 2**30:.2f} GiB (incl. aggregate, zone and cloud series)"
        )

    def _time_pages(self, cloud: Cloud, runs: int) -> None:
        user, _ = get_user_model().objects.get_or_create(
            username="bench-utilisation-admin", defaults={"is_superuser": True, "is_staff": True}
        )
        client = Client()
        client.force_login(user)
        targets = [
            ("heatmap", reverse("aggregates:cloud_heatmap", args=[cloud.slug])),
            (
                "utilisation (zones + cloud chart)",
                reverse("aggregates:cloud_utilisation", args=[cloud.slug]),
            ),
            (
                "utilisation (hosts page 1)",
                reverse("aggregates:cloud_utilisation", args=[cloud.slug]) + "?level=host",
            ),
            ("cloud overview", reverse("aggregates:cloud_detail", args=[cloud.slug])),
            ("home overview (tiles)", "/"),
            ("hosts table", reverse("aggregates:host_list", args=[cloud.slug])),
            (
                "capacity (flavor 2, engine)",
                reverse("aggregates:cloud_capacity", args=[cloud.slug]) + "?flavor=2",
            ),
            (
                "API utilisation ?level=availability_zone",
                f"/api/v1/clouds/{cloud.slug}/utilisation/?level=availability_zone",
            ),
            (
                "API history ?level=cloud (1 year)",
                f"/api/v1/clouds/{cloud.slug}/utilisation/history/?level=cloud",
            ),
        ]
        self.stdout.write(f"{'page':<44} {'median ms':>10} {'max ms':>8} {'queries':>8} {'KiB':>7}")
        for label, path in targets:
            client.get(path)  # warm caches and connections
            times = []
            queries = 0
            size = 0
            for _ in range(runs):
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

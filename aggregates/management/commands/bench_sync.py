"""manage.py bench_sync: time a full sync of a large simulated cloud, then a no-change sync."""

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from aggregates.choices import CloudKind
from aggregates.demo.simulator import free_port
from aggregates.models import Cloud
from aggregates.sync import reconcile

MIRROR_TABLES = (
    "aggregates_host",
    "aggregates_aggregate",
    "aggregates_flavor",
    "aggregates_server",
    "dashboard_auditentry",
)


class WriteCounter:
    """Counts INSERT/UPDATE/DELETE statements on mirror tables (execute_wrapper)."""

    def __init__(self):
        self.statements = 0

    def __call__(self, execute, sql, params, many, context):
        head = sql.lstrip()[:6].upper()
        if head in ("INSERT", "UPDATE", "DELETE") and any(t in sql for t in MIRROR_TABLES):
            self.statements += 1
        return execute(sql, params, many, context)


class Command(BaseCommand):
    help = (
        "Sync 10,000 hypervisors, 500 aggregates and 300 flavors from the simulator; print times."
    )

    def add_arguments(self, parser):
        parser.add_argument("--hosts", type=int, default=10_000)
        parser.add_argument("--aggregates", type=int, default=500)
        parser.add_argument("--flavors", type=int, default=300)
        parser.add_argument(
            "--microversion",
            default="2.87",
            help="cap (clouds.yaml compute_api_version); 2.88+ reads usage from Placement",
        )

    def handle(self, *args, **options):
        if connection.vendor != "postgresql":
            self.stderr.write("note: DATABASE_URL is not PostgreSQL; the targets are for it.")
        folder = Path(tempfile.mkdtemp(prefix="bench-sync-"))
        clouds_yaml = folder / "clouds.yaml"
        port = free_port()
        server = subprocess.Popen(
            [
                sys.executable,
                str(Path(settings.BASE_DIR) / "manage.py"),
                "run_compute_simulator",
                "--scenario=large",
                f"--port={port}",
                f"--hosts={options['hosts']}",
                f"--aggregates={options['aggregates']}",
                f"--flavors={options['flavors']}",
                f"--clouds-yaml={clouds_yaml}",
                "--cloud-name=bench",
            ],
            stdout=subprocess.PIPE,
            text=True,
        )
        try:
            if "READY" not in (server.stdout.readline() or ""):
                raise CommandError("the simulator did not start")
            if options["microversion"]:
                text = clouds_yaml.read_text()
                clouds_yaml.write_text(
                    text.replace(
                        "auth_type:",
                        f"compute_api_version: '{options['microversion']}'\n    auth_type:",
                        1,
                    )
                )
            os.environ["OS_CLIENT_CONFIG_FILE"] = str(clouds_yaml)
            self._bench(options)
        finally:
            server.terminate()
            server.wait(timeout=30)

    def _bench(self, options):
        Cloud.objects.filter(slug="bench-sync").delete()
        cloud = Cloud.objects.create(
            slug="bench-sync", name="Bench sync", kind=CloudKind.CONNECTED, os_cloud="bench"
        )
        try:
            started = time.monotonic()
            first = reconcile.sync_cloud(cloud)
            full = time.monotonic() - started
            counter = WriteCounter()
            started = time.monotonic()
            with connection.execute_wrapper(counter):
                second = reconcile.sync_cloud(cloud)
            again = time.monotonic() - started
        finally:
            Cloud.objects.filter(pk=cloud.pk).delete()
        self.stdout.write(
            f"cloud: {options['hosts']} hypervisors, {options['aggregates']} aggregates, "
            f"{options['flavors']} flavors; compute microversion {first.microversion}; "
            f"database {connection.vendor}"
        )
        self.stdout.write(
            f"full sync:      {full:6.2f} s (write phase {first.write_ms / 1000:5.2f} s), "
            f"{first.created} rows created"
        )
        self.stdout.write(
            f"no-change sync: {again:6.2f} s (write phase {second.write_ms / 1000:5.2f} s), "
            f"{second.changed_rows} rows changed, {counter.statements} write statements on "
            "mirror tables"
        )

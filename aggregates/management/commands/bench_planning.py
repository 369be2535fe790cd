"""manage.py bench_planning: drain a zone, N+1 and one replayed request on a synthetic cloud."""

import os
import sys
import time

from django.core.management.base import BaseCommand

from aggregates.scheduling import FlavorSpec, PlannedServer, RequestSpec, plan_drain, preview
from aggregates.scheduling import resilience as n_plus_one
from aggregates.scheduling.bench import synthetic_cloud

FLAVORS = (
    FlavorSpec(id="2", name="m1.small", vcpus=1, ram=2048, disk=20),
    FlavorSpec(id="3", name="m1.medium", vcpus=2, ram=4096, disk=40),
    FlavorSpec(id="4", name="m1.large", vcpus=4, ram=8192, disk=80),
)
TARGETS = {"drain": 3.0, "n+1": 60.0, "explain": 0.1}  # seconds (issue #19)


class Command(BaseCommand):
    help = "Benchmark capacity planning on a synthetic cloud (engine only, one process)."

    def add_arguments(self, parser):
        parser.add_argument("--hosts", type=int, default=10000)
        parser.add_argument("--drain-hosts", type=int, default=1000)
        parser.add_argument("--servers-per-host", type=int, default=3)
        parser.add_argument(
            "--n1-sample", type=int, default=20, help="hosts drained to time N+1 per host"
        )

    def handle(self, *args, **options):
        load = ", ".join(f"{value:.2f}" for value in os.getloadavg())
        self.stdout.write(f"Python {sys.version.split()[0]}, {os.cpu_count()} CPUs, load {load}")
        cloud = synthetic_cloud(options["hosts"], seed=42)
        per_host = options["servers_per_host"]
        servers = [
            PlannedServer(
                uuid=f"{host.name}-{index}",
                name=f"{host.name}-vm{index}",
                host=host.name,
                flavor=FLAVORS[index % len(FLAVORS)],
                project_id="demo",
            )
            for host in cloud.hosts
            for index in range(per_host)
        ]
        drained = [host.name for host in cloud.hosts[: options["drain_hosts"]]]

        started = time.process_time()
        plan = plan_drain(cloud.hosts, cloud.aggregates, servers, drained, cloud.config)
        drain_s = time.process_time() - started
        self._row(
            f"drain {len(drained)} hosts / {len(plan.moves)} servers of {len(cloud.hosts)}",
            drain_s,
            TARGETS["drain"],
            f"{plan.placed} placed, {plan.unplaceable} unplaceable",
        )

        sample = [(host.name, [host.name]) for host in cloud.hosts[: options["n1_sample"]]]
        started = time.process_time()
        n_plus_one(cloud.hosts, cloud.aggregates, servers, sample, cloud.config)
        per_unit = (time.process_time() - started) / max(len(sample), 1)
        self._row(
            f"N+1 over every host ({len(cloud.hosts)} hosts, {len(servers)} servers), "
            f"estimated from {len(sample)} drained",
            per_unit * len(cloud.hosts),
            TARGETS["n+1"],
            f"{per_unit * 1000:.1f} ms per host",
        )

        request = RequestSpec(flavor=FLAVORS[2], project_id="demo", is_admin=True)
        started = time.process_time()
        preview(cloud.hosts, cloud.aggregates, request, cloud.config)
        self._row(
            "explain one failed server (engine)",
            time.process_time() - started,
            TARGETS["explain"],
            "",
        )

    def _row(self, label: str, seconds: float, target: float, note: str) -> None:
        verdict = "ok" if seconds <= target else "over target"
        tail = f"; {note}" if note else ""
        self.stdout.write(f"{label}: {seconds:.2f} s CPU (target {target:g} s, {verdict}){tail}")

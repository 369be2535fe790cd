"""manage.py bench_planning: drain a zone, N+1 and one replayed request on a synthetic cloud;
with `--workers N`, N+1 of a stored cloud run by one real worker, then split across N."""

import os
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from aggregates import queries, tasks
from aggregates.demo.synthetic import add_servers, build_cloud
from aggregates.models import Cloud, Host
from aggregates.scheduling import FlavorSpec, PlannedServer, RequestSpec, plan_drain, preview
from aggregates.scheduling import resilience as n_plus_one
from aggregates.scheduling.bench import synthetic_cloud

FLAVORS = (
    FlavorSpec(id="2", name="m1.small", vcpus=1, ram=2048, disk=20),
    FlavorSpec(id="3", name="m1.medium", vcpus=2, ram=4096, disk=40),
    FlavorSpec(id="4", name="m1.large", vcpus=4, ram=8192, disk=80),
)
TARGETS = {"drain": 3.0, "n+1": 60.0, "explain": 0.1}  # seconds (issue #19)
STORED_SLUG = "bench-n-plus-one"


class Command(BaseCommand):
    help = "Benchmark capacity planning on a synthetic cloud (engine only, one process)."

    def add_arguments(self, parser):
        parser.add_argument("--hosts", type=int, default=10000)
        parser.add_argument("--drain-hosts", type=int, default=1000)
        parser.add_argument("--servers-per-host", type=int, default=3)
        parser.add_argument(
            "--n1-sample", type=int, default=20, help="hosts drained to time N+1 per host"
        )
        parser.add_argument(
            "--workers",
            type=int,
            default=0,
            help="also time a whole N+1 run by real Celery workers: one, then this many "
            "(needs REDIS_URL; the stored cloud is kept in the database for the next run)",
        )
        parser.add_argument(
            "--worker-hosts", type=int, help="hosts of the stored cloud (default: --hosts)"
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

        if options["workers"]:
            self._workers_rows(options["workers"], options["worker_hosts"] or options["hosts"])

    def _workers_rows(self, workers: int, hosts: int) -> None:
        if settings.CELERY_TASK_ALWAYS_EAGER:
            raise CommandError("--workers needs a broker: set REDIS_URL")
        if workers < 2:
            raise CommandError("--workers: at least 2 (the one-worker row is always printed)")
        cloud = self._stored_cloud(hosts)
        servers = cloud.servers.count()
        one_worker = None
        for count in (1, workers):
            seconds, state = self._run_by_workers(cloud, count)
            one_worker = one_worker or seconds
            speedup = f", {one_worker / seconds:.2f}x one worker's speed" if count > 1 else ""
            self._row(
                f"N+1 over every host of a stored cloud ({hosts} hosts, {servers} servers), "
                f"{count} real worker{'s' if count > 1 else ''}",
                seconds,
                TARGETS["n+1"],
                f"from enqueueing to the answer, {state.parts} part"
                f"{'s' if state.parts > 1 else ''}{speedup}; "
                f"{len(state.failing)} of {len(state.risks)} hosts strand servers",
                unit="wall",
            )

    def _stored_cloud(self, hosts: int) -> Cloud:
        """The synthetic cloud in the database (3 servers a host), built when it is not there."""
        cloud = Cloud.objects.filter(slug=STORED_SLUG).first()
        if cloud is not None and Host.objects.filter(cloud=cloud).count() == hosts:
            return cloud
        if cloud is not None:
            cloud.delete()
        self.stdout.write(f"building the stored cloud ({hosts} hosts)...")
        cloud = build_cloud(STORED_SLUG, hosts)
        add_servers(cloud, 3, stranded_every=50)
        return cloud

    def _run_by_workers(self, cloud: Cloud, count: int) -> tuple[float, queries.ResilienceState]:
        """A whole run, from enqueueing it to its answer, on `count` fresh solo workers."""
        queue = f"bench-{uuid.uuid4().hex[:8]}"
        started_workers = [_start_worker(queue, f"{queue}-{n}") for n in range(count)]
        try:
            stale = queries.resilience_state(cloud, "host")
            if stale is not None:
                queries.forget_resilience("host", stale)
            claimed = queries.claim_resilience(cloud, "host")
            started = time.perf_counter()
            tasks.plan_resilience.apply_async(args=[cloud.pk, "host", claimed.version], queue=queue)
            state = claimed
            while not (state.complete or state.failed):
                time.sleep(0.2)
                state = queries.resilience_state(cloud, "host") or state
            seconds = time.perf_counter() - started
        finally:
            for process, log in started_workers:
                process.terminate()
                process.wait(timeout=60)
                log.unlink()
        if state.failed:
            raise CommandError(f"the N+1 run failed: {state.error}")
        return seconds, state

    def _row(
        self, label: str, seconds: float, target: float, note: str, *, unit: str = "CPU"
    ) -> None:
        verdict = "ok" if seconds <= target else "over target"
        tail = f"; {note}" if note else ""
        self.stdout.write(f"{label}: {seconds:.2f} s {unit} (target {target:g} s, {verdict}){tail}")


def _start_worker(queue: str, name: str) -> tuple[subprocess.Popen, Path]:
    """A solo `celery worker` on `queue` (this process's settings), ready when this returns."""
    handle, path = tempfile.mkstemp(prefix=f"{name}-", suffix=".log")
    log = Path(path)
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "dashboard", "worker", "-Q", queue, "-c", "1"]
        + ["-P", "solo", "-l", "info", "--without-gossip", "--without-mingle"]
        + ["-n", f"{name}@%h"],
        cwd=settings.BASE_DIR,
        stdout=handle,
        stderr=subprocess.STDOUT,
    )
    os.close(handle)  # the worker has its own copy
    deadline = time.monotonic() + 120
    while "ready." not in log.read_text():
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            raise CommandError(f"a celery worker did not start:\n{log.read_text()[-3000:]}")
        time.sleep(0.2)
    return process, log

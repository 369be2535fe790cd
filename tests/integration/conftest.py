"""A real Celery worker process against Redis, writing into the test database."""

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import IO, NamedTuple

import pytest
from django.db import connection

from conftest import require_services

ROOT = Path(__file__).resolve().parents[2]


class Worker(NamedTuple):
    queue: str
    process: subprocess.Popen
    log: IO[str]


def start_worker(
    queue: str, *, env: dict[str, str] | None = None, pool: str = "solo", name: str | None = None
) -> Worker:
    """`celery worker` on `queue` (node `name`, default the queue's), pointed at this test run's
    database, in a process group of its own (a test may kill it whole); ready when this returns."""
    settings_dict = connection.settings_dict
    database_url = (
        f"postgres://{settings_dict['USER']}@{settings_dict['HOST']}:{settings_dict['PORT']}"
        f"/{settings_dict['NAME']}"
    )
    log = open(ROOT / f".tmp-worker-{queue}-{uuid.uuid4().hex[:4]}.log", "w+")  # noqa: SIM115
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "dashboard",
            "worker",
            "-Q",
            queue,
            "-c",
            "1",
            "-P",
            pool,
            "-l",
            "info",
            "--without-gossip",
            "--without-mingle",
            "-n",
            f"{name or queue}@%h",
        ],
        cwd=ROOT,
        env=os.environ | {"DATABASE_URL": database_url, "PYTHONUNBUFFERED": "1"} | (env or {}),
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    worker = Worker(queue, process, log)
    try:
        _wait_for_ready(log, process)
    except RuntimeError:
        stop_worker(worker)
        raise
    return worker


def stop_worker(worker: Worker) -> None:
    if worker.process.poll() is None:
        worker.process.terminate()
        try:
            worker.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(worker.process.pid, signal.SIGKILL)
            worker.process.wait()
    worker.log.seek(0)
    print(f"--- worker {worker.queue} log (tail) ---\n{worker.log.read()[-6000:]}")  # on failure
    worker.log.close()
    os.unlink(worker.log.name)


@pytest.fixture
def celery_worker(transactional_db):
    """A worker on a queue of its own; yields the queue's name."""
    require_services("PostgreSQL", "Redis")
    worker = start_worker(f"test-{uuid.uuid4().hex[:8]}")
    try:
        yield worker.queue
    finally:
        stop_worker(worker)


def _wait_for_ready(log, process, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        log.seek(0)
        text = log.read()
        if "ready." in text:
            return
        if process.poll() is not None:
            raise RuntimeError(f"celery worker exited with {process.returncode}:\n{text}")
        time.sleep(0.2)
    raise RuntimeError("celery worker did not become ready in time")

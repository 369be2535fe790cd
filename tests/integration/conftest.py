"""A real Celery worker process against Redis, writing into the test database."""

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.db import connection

from conftest import require_services

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def celery_worker(transactional_db):
    """Start `celery worker` on a queue of its own, pointed at this test run's database."""
    require_services("PostgreSQL", "Redis")
    queue = f"test-{uuid.uuid4().hex[:8]}"
    settings_dict = connection.settings_dict
    database_url = (
        f"postgres://{settings_dict['USER']}@{settings_dict['HOST']}:{settings_dict['PORT']}"
        f"/{settings_dict['NAME']}"
    )
    env = os.environ | {"DATABASE_URL": database_url, "PYTHONUNBUFFERED": "1"}
    log = open(ROOT / f".tmp-worker-{queue}.log", "w+")  # noqa: SIM115 - closed below
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
            "solo",
            "-l",
            "info",
            "--without-gossip",
            "--without-mingle",
            "-n",
            f"{queue}@%h",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        _wait_for_ready(log, process)
        yield queue
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()
        os.unlink(log.name)


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

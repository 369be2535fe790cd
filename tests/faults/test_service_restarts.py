"""Faults end to end with real processes: PostgreSQL and Redis restarted under a running site and
worker. Run as CI's own stage (`pytest -m faults`): restarting the services disturbs other tests."""

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
import requests

from conftest import require_services

ROOT = Path(__file__).resolve().parents[2]
DB = "stackboard_faults"
pytestmark = pytest.mark.faults

PG_RESTART = "pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main restart"
REDIS_START = 'redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no'


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait(predicate, *, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if predicate():
                return
        except Exception:  # noqa: BLE001 - the service is expected to fail while it restarts
            pass
        time.sleep(0.5)
    raise AssertionError(f"timed out waiting for {what}")


def _psql(sql: str) -> str:
    return subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", DB, "-tAc", sql],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    """gunicorn and a Celery worker on a database of their own, in production mode."""
    require_services("PostgreSQL", "Redis")
    subprocess.run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", DB], check=True)
    subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", DB], check=True)
    queue = f"faults-{uuid.uuid4().hex[:8]}"
    env = os.environ | {
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{DB}",
        "REDIS_URL": os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"),
        "DEBUG": "false",
        "SECRET_KEY": "faults-not-secret-but-long-enough-0123456789-abcdefghijklmnopqrstuvwxyz",
        "ALLOWED_HOSTS": "127.0.0.1",
        "STACKBOARD_SSL_REDIRECT": "false",
        "STACKBOARD_LOG_LEVEL": "WARNING",
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--no-input"],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
    )
    port = _free_port()
    logs = tmp_path_factory.mktemp("faults")
    with open(logs / "site.log", "w") as site_log, open(logs / "worker.log", "w") as worker_log:
        yield from _run_stack(env, port, queue, logs, site_log, worker_log)


def _run_stack(env, port, queue, logs, site_log, worker_log):
    site = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "dashboard.wsgi", "-w", "2", "-b", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=env,
        stdout=site_log,
        stderr=subprocess.STDOUT,
    )
    worker = subprocess.Popen(
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
            "-n",
            f"{queue}@%h",
            "--without-gossip",
            "--without-mingle",
        ],
        cwd=ROOT,
        # Workers log through settings.LOGGING (dashboard/logs.py): INFO, so "ready." is seen.
        env=env | {"STACKBOARD_LOG_LEVEL": "INFO"},
        stdout=worker_log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait(lambda: requests.get(base + "/health/", timeout=2).ok, timeout=60, what="the site")
        _wait(lambda: "ready." in (logs / "worker.log").read_text(), timeout=60, what="the worker")
        yield {"base": base, "queue": queue, "env": env, "logs": logs}
    finally:
        for process in (site, worker):
            process.terminate()
            process.wait(timeout=30)


def _send_heartbeat_task(stack) -> None:
    code = (
        "from dashboard.tasks import record_worker_heartbeat as t; "
        f"t.apply_async(queue={stack['queue']!r})"
    )
    subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); " + code],
        cwd=ROOT,
        env=stack["env"] | {"DJANGO_SETTINGS_MODULE": "dashboard.settings"},
        check=True,
    )


def _heartbeats() -> int:
    return int(_psql("SELECT count(*) FROM dashboard_workerheartbeat"))


def test_site_and_worker_recover_from_a_postgresql_restart(stack):
    _send_heartbeat_task(stack)
    _wait(lambda: _heartbeats() == 1, timeout=60, what="the first task")

    subprocess.run(PG_RESTART, shell=True, check=True)

    _wait(
        lambda: requests.get(stack["base"] + "/health/", timeout=5).status_code == 200,
        timeout=60,
        what="the site after the restart",
    )
    _psql("DELETE FROM dashboard_workerheartbeat")
    _send_heartbeat_task(stack)
    _wait(lambda: _heartbeats() == 1, timeout=60, what="a task after the restart")
    assert requests.get(stack["base"] + "/api/v1/", timeout=5).status_code == 200


def _stop_redis() -> None:
    subprocess.run(["redis-cli", "-h", "127.0.0.1", "shutdown", "nosave"], check=False)
    _wait(
        lambda: subprocess.run(["redis-cli", "ping"], capture_output=True).returncode != 0,
        timeout=20,
        what="Redis to stop",
    )


def _start_redis() -> None:
    subprocess.run(REDIS_START, shell=True, check=True)
    _wait(
        lambda: (
            subprocess.run(["redis-cli", "ping"], capture_output=True).stdout.strip() == b"PONG"
        ),
        timeout=20,
        what="Redis to start",
    )


def _admin_token_and_connected_cloud(stack) -> str:
    """An API token of a cloud admin, and a connected cloud `faults-cloud` (never synced here)."""
    code = (
        "from django.contrib.auth import get_user_model; "
        "from aggregates.models import Cloud; from dashboard.services import create_api_token; "
        "user = get_user_model().objects.create_superuser('faults-admin'); "
        "Cloud.objects.create(slug='faults-cloud', name='Faults', kind='connected', "
        "os_cloud='faults'); print(create_api_token(user, name='faults')[1])"
    )
    done = subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", code],
        cwd=ROOT,
        env=stack["env"],
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.strip().splitlines()[-1]


def test_while_redis_is_down_the_site_serves_and_says_what_it_cannot_do(stack):
    token = _admin_token_and_connected_cloud(stack)
    api = {"Authorization": f"Token {token}"}
    _stop_redis()
    try:
        base = stack["base"]
        # Reads come from PostgreSQL; the throttle counters in Redis are skipped meanwhile.
        assert requests.get(base + "/api/v1/blueprints/", timeout=10).status_code == 200
        assert requests.get(base + "/api/v1/clouds/", headers=api, timeout=10).status_code == 200
        # A sync cannot be queued: a clear 503, not a 500.
        refused = requests.post(base + "/api/v1/clouds/faults-cloud/sync/", headers=api, timeout=30)
        assert refused.status_code == 503, refused.text[:500]
        assert "task queue (Redis) is not reachable" in refused.json()["errors"][0]["message"]
    finally:
        _start_redis()


def test_worker_waiting_for_tasks_survives_a_redis_restart(stack):
    _stop_redis()
    _start_redis()
    _psql("DELETE FROM dashboard_workerheartbeat")

    _send_heartbeat_task(stack)

    _wait(
        lambda: _heartbeats() == 1,
        timeout=90,
        what="the worker to take a task after Redis came back",
    )
    assert requests.get(stack["base"] + "/health/", timeout=5).status_code == 200

"""The README's first command brings up the demo: pages answer and a demo admin signs in."""

import os
import re
import signal
import socket
import subprocess
import time
from pathlib import Path

import pytest
import requests

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.integration


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def demo(tmp_path):
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "CELERY_BROKER_URL", "CI")}
    env |= {"PORT": str(port), "DATABASE_URL": f"sqlite:///{tmp_path / 'demo.sqlite3'}"}
    log = tmp_path / "demo.log"
    with open(log, "w") as out:
        process = subprocess.Popen(
            ["scripts/demo"],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline:
            try:
                requests.get(base + "/health/", timeout=2)
                break
            except requests.ConnectionError:
                assert process.poll() is None, log.read_text()
                time.sleep(0.5)
        yield base, log.read_text()
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=20)


def test_demo_serves_pages_and_lets_the_demo_admin_sign_in(demo):
    base, output = demo
    assert f"http://127.0.0.1:{base.rsplit(':', 1)[1]}/" in output
    assert "sign in as admin / " in output
    password = re.search(r"sign in as admin / (\S+)", output).group(1)

    for path in ("/", "/sign-in/", "/api/docs/"):
        assert requests.get(base + path, timeout=10).status_code == 200, path

    session = requests.Session()
    session.get(base + "/sign-in/", timeout=10)
    response = session.post(
        base + "/sign-in/",
        data={
            "username": "admin",
            "password": password,
            "csrfmiddlewaretoken": session.cookies["csrftoken"],
        },
        headers={"Referer": base + "/sign-in/"},
        timeout=10,
    )
    assert response.status_code == 200
    assert 'data-testid="profile-link">admin<' in response.text

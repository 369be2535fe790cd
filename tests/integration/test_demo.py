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
        deadline = time.monotonic() + 600
        while time.monotonic() < deadline:
            try:
                requests.get(base + "/health/", timeout=2)
                break
            except requests.ConnectionError:
                assert process.poll() is None, log.read_text()
                time.sleep(0.5)
        else:
            pytest.fail("the demo did not answer within 600 s:\n" + log.read_text())
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


def test_the_demo_runs_with_debug_off_and_serves_its_own_static_files(demo):
    base, _ = demo

    missing = requests.get(base + "/no/such/page/", timeout=10)
    assert missing.status_code == 404
    assert "Page not found" in missing.text
    assert 'class="container-fluid site-header"' in missing.text
    # Django's debug 404 lists the URL patterns and names the setting that shows it.
    assert "DEBUG = True" not in missing.text and "URLconf" not in missing.text

    overview = requests.get(base + "/", timeout=10).text
    stylesheet = re.search(r'href="(/static/css/site[.0-9a-f]*\.css)"', overview).group(1)
    css = requests.get(base + stylesheet, timeout=10)
    assert css.status_code == 200
    assert css.headers["Content-Type"].startswith("text/css")
    assert ".skip-link" in css.text

    icon = requests.get(base + "/favicon.ico", timeout=10)
    assert icon.status_code == 200
    assert icon.headers["Content-Type"].startswith("image/svg+xml")

"""manage.py run_compute_simulator: faults from the command line, refused when malformed."""

import json
import os
import socket
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(url: str) -> tuple[int, dict]:
    request = urllib.request.Request(url, headers={"X-Auth-Token": "admin"})
    try:
        with urllib.request.urlopen(request, timeout=10) as reply:
            return reply.status, json.loads(reply.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"{}")


def test_a_fault_given_on_the_command_line_is_served(tmp_path):
    port = _free_port()
    command = [
        sys.executable, "manage.py", "run_compute_simulator", "--port", str(port),
        "--fault", "error:path=/os-aggregates,status=503,times=1",
    ]  # fmt: skip
    env = os.environ | {"DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"}
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, text=True, env=env)
    try:
        ready = process.stdout.readline()
        assert ready.startswith("READY "), ready
        base = ready.split()[1]

        first, _ = _get(f"{base}/os-aggregates")
        second, body = _get(f"{base}/os-aggregates")
    finally:
        process.terminate()
        process.wait(timeout=10)

    assert (first, second) == (503, 200)
    assert "aggregates" in body


@pytest.mark.parametrize(
    "spec, problem",
    [
        ("sideways", "unknown fault kind 'sideways'"),
        ("slow:seconds=soon", "seconds: 'soon' is not a float"),
        ("error:colour=red", "'colour=red': expected one of"),
    ],
)
def test_a_malformed_fault_is_refused_naming_the_option(spec, problem):
    with pytest.raises(CommandError, match=f"--fault: {problem}"):
        call_command("run_compute_simulator", "--fault", spec)

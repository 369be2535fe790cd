"""Starts the real Nova 34 harness (../shared/nova-harness) for the contract stage; CI needs it."""

import os
import signal
import subprocess
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

import pytest

from conftest import IN_CI

ROOT = Path(__file__).resolve().parents[2]
HARNESS = ROOT.parent / "shared" / "nova-harness"
HOSTS = [("devstack", 8, 16384, 200), ("compute-2", 4, 8192, 100), ("compute-3", 16, 32768, 400)]


def _unavailable(reason: str):
    if IN_CI:
        pytest.fail(f"the Nova harness is required in CI: {reason}")
    pytest.skip(reason)


@contextmanager
def running_harness(port: int):
    """A fresh real Nova + Placement on loopback: yields (compute_url, placement_url)."""
    if not (HARNESS / "setup.sh").exists():
        _unavailable(f"{HARNESS} not found")
    setup = subprocess.run([str(HARNESS / "setup.sh")], capture_output=True, text=True, timeout=900)
    if setup.returncode != 0:
        _unavailable(f"harness setup failed: {setup.stderr[-2000:]}")
    python = setup.stdout.strip().splitlines()[-1]
    state = Path(tempfile.mkdtemp(prefix="stackboard-harness-"))
    placement_port = port + 4
    args = [python, str(HARNESS / "serve.py"), "--port", str(port)]
    args += ["--placement-port", str(placement_port), "--cast-as-call"]
    for name, vcpus, memory_mb, local_gb in HOSTS:
        args += ["--host", f"{name}:{vcpus}:{memory_mb}:{local_gb}"]
    out = open(state / "serve.out", "w+")  # noqa: SIM115 - closed below
    process = subprocess.Popen(
        args,
        stdout=out,
        stderr=subprocess.STDOUT,
        env=os.environ | {"NOVA_HARNESS_STATE": str(state)},
    )
    try:
        deadline = time.monotonic() + 120
        while "READY" not in (text := (state / "serve.out").read_text()):
            if process.poll() is not None or time.monotonic() > deadline:
                _unavailable(f"harness did not start:\n{text[-3000:]}")
            time.sleep(0.2)
        yield f"http://127.0.0.1:{port}/v2.1", f"http://127.0.0.1:{placement_port}"
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
        out.close()


def harness_port(offset: int = 0) -> int:
    # CONTRACT_HARNESS_PORT: so parallel runs on one machine do not collide.
    return int(os.environ.get("CONTRACT_HARNESS_PORT", "18874")) + offset


@pytest.fixture(scope="session")
def nova_harness():
    """The harness the shape comparisons seed and read: (compute_url, placement_url)."""
    with running_harness(harness_port()) as urls:
        yield urls


@pytest.fixture(scope="module")
def fresh_nova_harness():
    """A second, untouched harness for the sync and write-path stage."""
    with running_harness(harness_port(10)) as urls:
        yield urls


def harness_clouds_entry(compute_url: str, placement_url: str, version: str | None = None):
    entry = {
        "auth_type": "admin_token",
        "auth": {"endpoint": compute_url, "token": "admin"},
        "compute_endpoint_override": compute_url,
        "placement_endpoint_override": placement_url,
    }
    if version:
        entry["compute_api_version"] = version
    return entry

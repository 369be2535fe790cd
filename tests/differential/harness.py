"""The Nova harness (../shared/nova-harness) as a subprocess, and a small stdlib client for it."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
HARNESS_DIR = Path(os.environ.get("NOVA_HARNESS_DIR", REPO.parent / "shared" / "nova-harness"))
IMAGE_ID = "155d900f-4e14-4e4c-a73d-069cbf4541e6"  # GlanceFixture's fakeimage123456


# WeighedHost.__repr__ (nova/scheduler/weights/__init__.py) around HostState.__repr__.
STARTING_WITH = re.compile(r"Starting with (\d+) host\(s\)")
WEIGHED_HOST = re.compile(r"WeighedHost \[host: \(([^,\s]+), [^)]*\).*?, weight: ([-+0-9.e]+)\]")
# nova/weights.py's "<Weigher>: raw weights {('host', 'node'): value, ...}" debug line.
RAW_WEIGHTS = re.compile(r"(\w+Weigher): raw weights \{(.*)\}")
RAW_WEIGHT = re.compile(r"\('([^']+)', '[^']*'\): ([-+0-9.e]+)")


class HarnessError(RuntimeError):
    pass


@dataclass
class Reply:
    status: int
    body: dict


class NovaHarness:
    """One serve.py process: fresh, empty cloud with the given hosts and nova.conf flags."""

    def __init__(
        self,
        *,
        hosts: list[dict],
        enabled_filters: list[str],
        flags: list[str],
        port: int,
        placement_port: int,
        state_dir: Path,
        debug: bool = False,
        threading: str = "native",
    ) -> None:
        self.port = port
        self.placement_port = placement_port
        self.url = f"http://127.0.0.1:{port}/v2.1"
        self.placement_url = f"http://127.0.0.1:{placement_port}"
        self.state_dir = state_dir
        self.hosts = hosts
        self.enabled_filters = enabled_filters
        self.flags = flags
        self.debug = debug  # DEBUG logging: the scheduler logs every weighed host
        self.threading = threading  # serve.py's --threading: native or eventlet
        self.log_path = state_dir / f"nova-{port}.log"
        self.process: subprocess.Popen | None = None

    def start(self, timeout: float = 120.0) -> None:
        setup = HARNESS_DIR / "setup.sh"
        if not setup.exists():
            raise HarnessError(f"no Nova harness at {HARNESS_DIR}")
        done = subprocess.run(
            [str(setup)], capture_output=True, text=True, timeout=600, check=False
        )
        python = done.stdout.strip().splitlines()[-1] if done.stdout.strip() else ""
        if done.returncode != 0 or not python:
            raise HarnessError(f"setup.sh failed ({done.returncode}): {done.stderr[-2000:]}")
        self.state_dir.mkdir(parents=True, exist_ok=True)
        hosts_file = self.state_dir / "hosts.json"
        hosts_file.write_text(json.dumps(self.hosts))
        command = [
            python,
            str(HARNESS_DIR / "serve.py"),
            "--port",
            str(self.port),
            "--placement-port",
            str(self.placement_port),
            "--hosts-file",
            str(hosts_file),
            "--enabled-filters",
            ",".join(self.enabled_filters),
            "--cast-as-call",
            "--threading",
            self.threading,
            "--state-dir",
            str(self.state_dir),
        ]
        if self.debug:
            command.append("--debug")
        for flag in self.flags:
            command += ["--flag", flag]
        out = (self.state_dir / "serve.out").open("w")
        err = (self.state_dir / "serve.err").open("w")
        self.process = subprocess.Popen(command, stdout=out, stderr=err)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if "READY" in (self.state_dir / "serve.out").read_text():
                return
            if self.process.poll() is not None:
                raise HarnessError(
                    f"serve.py exited with {self.process.returncode}: "
                    f"{(self.state_dir / 'serve.err').read_text()[-3000:]}"
                )
            time.sleep(0.2)
        self.stop()
        raise HarnessError("serve.py did not print READY in time")

    def log_size(self) -> int:
        """Where the log ends now: read_weighed(since=...) looks only after it."""
        return self.log_path.stat().st_size if self.log_path.exists() else 0

    def read_weighed(self, since: int) -> dict[str, float] | None:
        """Host → weight from the scheduler's last "Weighed [...]" debug line after `since`
        (nova/scheduler/manager.py, _get_sorted_hosts), None if it logged none."""
        with self.log_path.open("rb") as log:
            log.seek(since)
            text = log.read().decode(errors="replace")
        lines = [line for line in text.splitlines() if "nova.scheduler.manager" in line]
        weighed = [line for line in lines if " Weighed [" in line]
        if not weighed:
            return None
        return {
            match.group(1): float(match.group(2)) for match in WEIGHED_HOST.finditer(weighed[-1])
        }

    def read_raw_weights(self, since: int) -> dict[str, dict[str, float]]:
        """Weigher → host → raw weight, as the scheduler last weighed after `since`: what each
        weigher saw before normalising (a host's free RAM, its instance count, ...)."""
        with self.log_path.open("rb") as log:
            log.seek(since)
            text = log.read().decode(errors="replace")
        found: dict[str, dict[str, float]] = {}
        for match in RAW_WEIGHTS.finditer(text):
            found[match.group(1)] = {
                host: float(value) for host, value in RAW_WEIGHT.findall(match.group(2))
            }
        return found

    def read_started(self, since: int) -> int | None:
        """How many hosts the filters started with after `since` (nova/filters.py's debug line
        "Starting with N host(s)": what Placement returned), None if none was logged."""
        with self.log_path.open("rb") as log:
            log.seek(since)
            text = log.read().decode(errors="replace")
        found = STARTING_WITH.findall(text)
        return int(found[-1]) if found else None

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None

    def call(
        self,
        method: str,
        path: str,
        body: dict | None = None,
        *,
        token: str = "admin",
        microversion: str = "2.87",
        placement: bool = False,
    ) -> Reply:
        base = self.placement_url if placement else self.url
        headers = {"X-Auth-Token": token, "Accept": "application/json"}
        if placement:
            headers["OpenStack-API-Version"] = f"placement {microversion}"
        else:
            headers["OpenStack-API-Version"] = f"compute {microversion}"
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        request = urllib.request.Request(base + path, data=data, method=method, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=120) as response:
                raw = response.read()
                status = response.status
        except urllib.error.HTTPError as error:
            raw = error.read()
            status = error.code
        try:
            parsed = json.loads(raw) if raw else {}
        except ValueError:
            parsed = {"raw": raw.decode(errors="replace")}
        return Reply(status, parsed)

    def ok(self, method: str, path: str, body: dict | None = None, **kwargs) -> dict:
        reply = self.call(method, path, body, **kwargs)
        if reply.status >= 400:
            raise HarnessError(f"{method} {path} {body!r} → {reply.status} {reply.body!r}")
        return reply.body

"""With CI=true the suite fails (never skips) when PostgreSQL or Redis is unreachable."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CLOSED = "127.0.0.1:9"  # the discard port: nothing listens there


def run_suite(**env: str) -> subprocess.CompletedProcess:
    full_env = os.environ | {"CI": "true", "PYTEST_ADDOPTS": ""} | env
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "tests/test_layering.py"],
        cwd=ROOT,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize(
    ("variable", "url", "expected"),
    [
        ("DATABASE_URL", f"postgres://postgres@{CLOSED}/stackboard", "PostgreSQL at DATABASE_URL"),
        ("DATABASE_URL", "sqlite:///ci.sqlite3", "DATABASE_URL does not point at PostgreSQL"),
        ("REDIS_URL", f"redis://{CLOSED}/0", "Redis at REDIS_URL"),
    ],
)
def test_suite_fails_in_ci_when_a_service_is_unreachable(variable, url, expected):
    others = {
        "DATABASE_URL": os.environ.get("DATABASE_URL") or "postgres://postgres@127.0.0.1:5432/x",
        "REDIS_URL": os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0",
    }

    result = run_suite(**(others | {variable: url}))

    assert result.returncode != 0
    assert expected in result.stdout + result.stderr

"""Imports point one way: the placement engine is pure Python; only sync/ talks to a compute API."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FRAMEWORKS = ("django", "rest_framework", "celery", "openstack", "keystoneauth1", "drf_spectacular")
OUR_APPS = ("dashboard", "aggregates", "roadmap")


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def python_files(folder: str) -> list[Path]:
    return sorted((ROOT / folder).rglob("*.py"))


def test_scheduling_imports_no_framework_and_no_app_but_itself():
    offenders = []
    for path in python_files("aggregates/scheduling"):
        for name in imported_modules(path):
            top = name.split(".")[0]
            if top in FRAMEWORKS or (
                top in OUR_APPS and not name.startswith("aggregates.scheduling")
            ):
                offenders.append(f"{path.relative_to(ROOT)} imports {name}")
    assert offenders == []


def test_only_sync_imports_the_compute_api_client():
    offenders = []
    for folder in ("dashboard", "aggregates", "roadmap"):
        for path in python_files(folder):
            if "aggregates/sync" in path.as_posix():
                continue
            for name in imported_modules(path):
                if name.split(".")[0] in ("openstack", "keystoneauth1"):
                    offenders.append(f"{path.relative_to(ROOT)} imports {name}")
    assert offenders == []

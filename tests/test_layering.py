"""Imports point one way: the placement engine is pure Python; only sync/ talks to a compute API."""

import ast
from pathlib import Path

import pytest

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


# The folders of aggregates/ from the top of the import order to its bottom (STYLE.md §1):
# a folder imports only folders of its own rank or below, and the folders form no cycle.
# Root modules take the rank of what they are: choices and errors sit with the models;
# filters, forms, tasks and urls with the views; commands may use everything, the demo too.
RANKS = {
    "management": 7,
    "demo": 6,
    "views": 5,
    "api": 5,
    "filters": 5,
    "forms": 5,
    "tasks": 5,
    "urls": 5,
    "apps": 5,
    "templatetags": 5,
    "services": 4,
    "queries": 3,
    "sync": 3,
    "preview": 2,
    "utilisation": 2,
    "models": 1,
    "choices": 1,
    "errors": 1,
    "scheduling": 0,
}
AGGREGATES = ROOT / "aggregates"


def part_of(module: str) -> str | None:
    """The folder (or root module) of aggregates/ that `module` is in; None for the package."""
    parts = module.split(".")
    return parts[1] if parts[0] == "aggregates" and len(parts) > 1 else None


def imports_by_part() -> dict[str, dict[str, list[str]]]:
    """{part: {imported part: [files]}} over aggregates/, leaving tests and migrations out."""
    found: dict[str, dict[str, list[str]]] = {}
    for path in python_files("aggregates"):
        relative = path.relative_to(AGGREGATES)
        if relative.parts[0] in ("tests", "migrations") or "tests" in relative.parts:
            continue
        part = relative.parts[0].removesuffix(".py")
        if part == "__init__":
            continue
        for name in imported_modules(path):
            other = part_of(name)
            if other is not None and other != part:
                found.setdefault(part, {}).setdefault(other, []).append(str(relative))
    return found


def test_every_part_of_aggregates_has_a_rank():
    parts = {p.name.removesuffix(".py") for p in AGGREGATES.iterdir() if p.name != "__pycache__"}
    parts -= {"__init__", "tests", "migrations"}
    assert parts == set(RANKS)


def test_no_folder_imports_a_higher_one():
    offenders = [
        f"{file} ({part}) imports {other}"
        for part, targets in imports_by_part().items()
        for other, files in targets.items()
        for file in files
        if RANKS[other] > RANKS[part]
    ]
    assert offenders == []


def test_folders_import_each_other_without_a_cycle():
    graph = {part: set(targets) for part, targets in imports_by_part().items()}
    done: set[str] = set()

    def visit(part: str, path: tuple[str, ...]) -> None:
        assert part not in path, f"import cycle: {' -> '.join((*path, part))}"
        if part in done:
            return
        for other in graph.get(part, ()):
            visit(other, (*path, part))
        done.add(part)

    for part in graph:
        visit(part, ())


@pytest.mark.parametrize("folder", ["preview", "utilisation"])
def test_preview_and_utilisation_read_only_models_and_the_engine(folder):
    allowed = ("aggregates.models", "aggregates.choices", "aggregates.errors")
    allowed += ("aggregates.scheduling", f"aggregates.{folder}", "dashboard.errors")
    offenders = [
        f"{path.relative_to(ROOT)} imports {name}"
        for path in python_files(f"aggregates/{folder}")
        for name in imported_modules(path)
        if name.split(".")[0] in OUR_APPS and not name.startswith(allowed)
    ]
    assert offenders == []


def test_sync_imports_no_writes_reads_pages_or_demo():
    refused = tuple(
        f"aggregates.{part}" for part in ("services", "queries", "preview", "views", "api", "demo")
    )
    offenders = [
        f"{path.relative_to(ROOT)} imports {name}"
        for path in python_files("aggregates/sync")
        for name in imported_modules(path)
        if name.startswith(refused)
    ]
    assert offenders == []


@pytest.mark.parametrize("folder", ["aggregates/views", "aggregates/api", "roadmap"])
def test_pages_and_api_reach_the_engine_through_its_package(folder):
    offenders = [
        f"{path.relative_to(ROOT)} imports {name}"
        for path in python_files(folder)
        for name in imported_modules(path)
        if name.startswith("aggregates.scheduling.")
    ]
    assert offenders == []


def test_demo_is_imported_only_by_demo_commands_and_tests():
    offenders = []
    for folder in OUR_APPS:
        for path in python_files(folder):
            relative = path.relative_to(ROOT).as_posix()
            if "/demo/" in relative or "/management/commands/" in relative or "/tests/" in relative:
                continue
            offenders += [
                f"{relative} imports {name}"
                for name in imported_modules(path)
                if name.startswith("aggregates.demo")
            ]
    assert offenders == []


def test_no_module_reads_another_modules_private_names():
    offenders = []
    for folder in OUR_APPS:
        for path in python_files(folder):
            tree = ast.parse(path.read_text(), filename=str(path))
            for node in ast.walk(tree):
                if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    offenders += [
                        f"{path.relative_to(ROOT)} imports {node.module}.{alias.name}"
                        for alias in node.names
                        if alias.name.startswith("_") and node.module.split(".")[0] in OUR_APPS
                    ]
    assert offenders == []


def test_only_the_engines_results_read_their_private_columns():
    private = {"_names", "_ranks", "_weights", "_slots", "_verdicts", "_own"}
    offenders = []
    for folder in OUR_APPS:
        for path in python_files(folder):
            if path.as_posix().endswith("aggregates/scheduling/results.py"):
                continue
            tree = ast.parse(path.read_text(), filename=str(path))
            offenders += [
                f"{path.relative_to(ROOT)}:{node.lineno} reads .{node.attr}"
                for node in ast.walk(tree)
                if isinstance(node, ast.Attribute)
                and node.attr in private
                and not (isinstance(node.value, ast.Name) and node.value.id == "self")
            ]
    assert offenders == []

"""Text an operator reads never cites sections of internal documents ("(§6)"): comments and
docstrings may, strings may not (warnings, errors, summaries), nor may templates."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _docstrings(tree: ast.AST) -> set[int]:
    nodes = (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, nodes) and node.body and isinstance(node.body[0], ast.Expr):
            value = node.body[0].value
            if isinstance(value, ast.Constant) and isinstance(value.value, str):
                found.add(id(value))
    return found


def test_no_string_in_the_app_cites_a_section():
    citing = []
    paths = [
        path
        for app in ("aggregates", "roadmap", "dashboard")
        for path in (ROOT / app).rglob("*.py")
    ]
    for path in sorted(paths):
        if "tests" in path.relative_to(ROOT).parts:
            continue
        tree = ast.parse(path.read_text(), filename=str(path))
        skip = _docstrings(tree)
        for node in ast.walk(tree):
            text = node.value if isinstance(node, ast.Constant) else None
            if isinstance(text, str) and "§" in text and id(node) not in skip:
                citing.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert citing == []


def test_no_template_cites_a_section():
    citing = [
        str(path.relative_to(ROOT))
        for path in sorted((ROOT / "templates").rglob("*.html"))
        if "§" in path.read_text()
    ]
    assert citing == []

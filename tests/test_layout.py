"""The import rules of DESIGN §2 hold: no package reaches into one it may not import."""
import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("core", "forum", "knowledge", "search_index")
# package -> prefixes it may import among the project's packages
ALLOWED = {
    "core": ("core",),
    "forum": ("core", "search_index", "forum"),
    "knowledge": ("core", "forum.services", "search_index", "knowledge"),
    "search_index": ("core", "search_index"),
}


def _imports(path):
    """(module, enclosing function name) for every import statement in a file."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []

    def visit(node, function):
        for child in ast.iter_child_nodes(node):
            name = child.name if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)) \
                else function
            if isinstance(child, ast.Import):
                found.extend((alias.name, function) for alias in child.names)
            elif isinstance(child, ast.ImportFrom) and child.module and child.level == 0:
                found.extend(
                    (f"{child.module}.{alias.name}", function) for alias in child.names)
            visit(child, name)

    visit(tree, None)
    return found


def _violations(package):
    result = []
    for path in sorted((ROOT / package).rglob("*.py")):
        for module, function in _imports(path):
            top = module.split(".")[0]
            if top not in PACKAGES:
                continue
            if package == "core" and function == "create_app":
                continue  # the composition root
            if not any(module == prefix or module.startswith(prefix + ".")
                       for prefix in ALLOWED[package]):
                result.append(f"{path.relative_to(ROOT)} imports {module}")
    return result


@pytest.mark.parametrize("package", PACKAGES)
def test_package_respects_import_rules(package):
    assert _violations(package) == []


def test_the_rule_checker_sees_a_violation(tmp_path, monkeypatch):
    """Guard against a checker that can never fail."""
    fake = tmp_path / "search_index"
    fake.mkdir()
    (fake / "bad.py").write_text("from forum.models import Question\n")
    monkeypatch.setattr(__import__(__name__, fromlist=["ROOT"]), "ROOT", tmp_path)
    assert _violations("search_index") == ["search_index/bad.py imports forum.models.Question"]

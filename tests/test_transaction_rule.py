"""The transaction rule of the README ("Architecture"): a function that commits the shared
session carries core.transactions.transactional, and one that carries it commits."""
import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("core", "forum", "knowledge", "search_index")
# The demo loaders are one command's bulk load, run once on an empty site and committed in
# steps: running a step again from its start would not be the retry the rule means.
EXEMPT = {"core/accounts/demo.py", "forum/demo.py", "knowledge/demo.py",
          # The mail sender's loop commits only to end a read before the SMTP server answers;
          # running it again from its start would send what it already sent (its writing
          # steps, _claim and _finish, do retry).
          "core/mail/sender.py:send_due"}


def _commits(function):
    return any(isinstance(node, ast.Call) and ast.unparse(node.func) == "db.session.commit"
               for node in ast.walk(function))


def _transactional(function):
    return any(ast.unparse(decorator).split(".")[-1] == "transactional"
               for decorator in function.decorator_list)


def violations(root, packages, exempt=frozenset()):
    """'path:function why' for each function breaking the rule."""
    found = []
    for package in packages:
        for path in sorted((root / package).rglob("*.py")):
            name = path.relative_to(root).as_posix()
            if name in exempt:
                continue
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    continue
                if f"{name}:{node.name}" in exempt:
                    continue
                commits, marked = _commits(node), _transactional(node)
                if commits and not marked:
                    found.append(f"{name}:{node.name} commits without @transactional")
                elif marked and not commits:
                    found.append(f"{name}:{node.name} is @transactional but never commits")
    return found


def test_every_committing_function_retries_and_no_reader_carries_the_policy():
    assert violations(ROOT, PACKAGES, EXEMPT) == []


def test_the_rule_checker_sees_both_mistakes(tmp_path):
    (tmp_path / "forum").mkdir()
    (tmp_path / "forum" / "bad.py").write_text(
        "from core.transactions import transactional\n"
        "def save(x):\n    db.session.commit()\n"
        "@transactional\ndef read(x):\n    return db.session.get(X, x)\n"
        "@transactional\ndef good(x):\n    db.session.commit()\n")
    assert violations(tmp_path, ["forum"]) == [
        "forum/bad.py:save commits without @transactional",
        "forum/bad.py:read is @transactional but never commits"]

"""The import rules of DESIGN §2 hold: no package reaches into one it may not import, not by
an import, not by a link from its templates or code to another package's endpoint, and no
code writes the address of a page as a string (url_for, or a registered hook, builds it)."""
import ast
import re
from pathlib import Path

import jinja2
import pytest
from jinja2 import nodes
from werkzeug.exceptions import MethodNotAllowed, NotFound
from werkzeug.routing import Map, RequestRedirect, Rule

from core import create_app
from core.extensions import db
from tests.conftest import test_config

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("core", "forum", "knowledge", "search_index")
# package -> prefixes it may import among the project's packages
ALLOWED = {
    "core": ("core",),
    "forum": ("core", "search_index", "forum"),
    "knowledge": ("core", "forum.services", "search_index", "knowledge"),
    "search_index": ("core", "search_index"),
}
# Which package owns a template, by path under templates/: the first prefix that matches.
TEMPLATE_OWNERS = (
    ("base.html", "core"),
    ("errors/", "core"),
    ("auth/", "core"),
    ("notifications/", "core"),
    ("email/", "core"),
    ("_macros/posts.html", "forum"),
    ("_macros/knowledge.html", "knowledge"),
    ("_macros/moderation.html", "forum"),
    ("_macros/", "core"),
    ("forum/", "forum"),
    ("users/", "forum"),  # the pages of forum's "users" blueprint
    ("moderation/", "forum"),
    ("audit/", "core"),
    ("knowledge/", "knowledge"),
    ("search/", "search_index"),
)
# Offenders allowed for a while, each with its reason (a test below fails when an entry is no
# longer needed); empty since issue 14 landed.
KNOWN_ENDPOINT_LINKS = set()
KNOWN_STRING_URLS = set()


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


# Links: a template or a module may name the endpoint of a package it may import. Linking
# goes by package: knowledge links to forum's pages (as forum.links does for it).

@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The application, for its endpoints and URL rules (no database is used)."""
    folder = tmp_path_factory.mktemp("layout")
    app = create_app(test_config(folder, f"sqlite:///{folder / 'unused.sqlite'}"))
    yield app
    with app.app_context():
        for engine in db.engines.values():
            engine.dispose()


def _endpoint_packages(app):
    """{endpoint: package that serves it} for every endpoint of a blueprint."""
    return {endpoint: app.blueprints[endpoint.rsplit(".", 1)[0]].import_name.split(".")[0]
            for endpoint in app.view_functions if "." in endpoint}


def _target(text, endpoints):
    """The package serving the endpoint `text` names, or the start of one ("forum.edit_",
    completed in the template with ~ kind), or None."""
    if text in endpoints:
        return endpoints[text]
    if re.fullmatch(r"\w+\.\w*", text) and text.endswith((".", "_")):
        return next((package for endpoint, package in endpoints.items()
                     if endpoint.startswith(text)), None)
    return None


def _may_link(package, target):
    return target in {prefix.split(".")[0] for prefix in ALLOWED[package]}


def _template_owner(name):
    return next((owner for prefix, owner in TEMPLATE_OWNERS if name.startswith(prefix)), None)


def _template_endpoints(env, source):
    """Every string constant of a template, where endpoints are named: url_for('bp.x'), and
    an endpoint handed to a macro (pager(results, "search.search"))."""
    return {node.value for node in env.parse(source).find_all(nodes.Const)
            if isinstance(node.value, str)}


# An address written out in a template's markup instead of url_for / page_url.
ADDRESS_RE = re.compile(r"""(?:href|action|src|formaction)=["'](/[^"'{\s]*)""")


def _template_link_violations(folder, env, endpoints, adapter=None):
    result = []
    for path in sorted(folder.rglob("*.html")):
        name = path.relative_to(folder).as_posix()
        owner = _template_owner(name)
        if owner is None:
            result.append(f"templates/{name} has no owner in TEMPLATE_OWNERS")
            continue
        source = path.read_text(encoding="utf-8")
        for endpoint in sorted(_template_endpoints(env, source)):
            target = _target(endpoint, endpoints)
            if target and not _may_link(owner, target):
                result.append(f"templates/{name} names {endpoint} ({target})")
        if adapter is not None:
            for address in ADDRESS_RE.findall(source):
                if endpoint := _route_of(adapter, address):
                    result.append(f"templates/{name} writes {address} ({endpoint})")
    return result


def _strings(tree):
    """(node, text) for every plain string of a module, outside decorators (a route's own
    rule), docstrings included; an f-string's text has "1" for each value put in it."""
    skipped = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            for decorator in node.decorator_list:
                skipped.update(map(id, ast.walk(decorator)))
        elif isinstance(node, ast.Call) and getattr(node.func, "attr", None) == "add_url_rule":
            skipped.update(map(id, ast.walk(node)))  # a rule, like a route decorator
        elif isinstance(node, ast.keyword) and node.arg == "url_prefix":
            skipped.update(map(id, ast.walk(node)))
        elif isinstance(node, ast.JoinedStr):
            skipped.update(id(part) for part in node.values)
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            yield node, node.value
        elif isinstance(node, ast.JoinedStr):
            yield node, "".join(part.value if isinstance(part, ast.Constant) else "1"
                                for part in node.values)


# A path alone in its string, as an address is written: "/kb/articles/x#y", not prose.
PATH_RE = re.compile(r"^/[^\s/][^\s]*$")


# What a path is completed with: "%d", "{}", "{slug}" and a trailing "/" before "+ slug".
PLACEHOLDER_RE = re.compile(r"%[sdr]|\{[^{}]*\}")


def _route_of(adapter, text):
    """The endpoint whose rule matches the path in `text` (completed where it is cut or holds
    placeholders), or None."""
    if not PATH_RE.match(text):
        return None  # "/" is the separator of every path before it is the home page
    path = PLACEHOLDER_RE.sub("1", re.split(r"[?#]", text, maxsplit=1)[0])
    completions = (path, path + "1", path + "x") if path.endswith("/") else (path,)
    return next(filter(None, (_match(adapter, candidate) for candidate in completions)), None)


def _match(adapter, path):
    try:
        endpoint, _values = adapter.match(path)
    except RequestRedirect as redirect:
        return redirect.new_url
    except MethodNotAllowed:
        return "(another method)"
    except NotFound:
        return None
    return endpoint


def _string_url_violations(root, packages, adapter):
    result = []
    for package in packages:
        for path in sorted((root / package).rglob("*.py")):
            source = path.read_text(encoding="utf-8")
            for node, text in _strings(ast.parse(source)):
                endpoint = _route_of(adapter, text)
                if endpoint:
                    result.append(f"{path.relative_to(root)} writes "
                                  f"{ast.get_source_segment(source, node)} ({endpoint})")
    return result


def _code_link_violations(root, packages, endpoints):
    """A module that names, in a string, the endpoint of a package it may not import."""
    result = []
    for package in packages:
        for path in sorted((root / package).rglob("*.py")):
            for _node, text in _strings(ast.parse(path.read_text(encoding="utf-8"))):
                target = _target(text, endpoints)
                if target and not _may_link(package, target):
                    result.append(f"{path.relative_to(root)} names {text} ({target})")
    return result


def test_every_template_has_an_owner_and_links_only_where_it_may(site):
    found = _template_link_violations(ROOT / "templates", site.jinja_env,
                                      _endpoint_packages(site), site.url_map.bind("localhost"))
    assert sorted(set(found) - KNOWN_ENDPOINT_LINKS) == []


def test_no_module_names_the_endpoint_of_a_package_it_may_not_import(site):
    assert _code_link_violations(ROOT, PACKAGES, _endpoint_packages(site)) == []


def test_no_module_writes_the_address_of_a_page(site):
    found = _string_url_violations(ROOT, PACKAGES, site.url_map.bind("localhost"))
    assert sorted(set(found) - KNOWN_STRING_URLS) == []


def test_the_known_offenders_are_still_there(site):
    """An entry of the KNOWN lists that nothing needs any more is removed."""
    links = _template_link_violations(ROOT / "templates", site.jinja_env,
                                      _endpoint_packages(site), site.url_map.bind("localhost"))
    urls = _string_url_violations(ROOT, PACKAGES, site.url_map.bind("localhost"))
    assert KNOWN_ENDPOINT_LINKS - set(links) == set()
    assert KNOWN_STRING_URLS - set(urls) == set()


# The checkers themselves: each can fail.

FAKE_ENDPOINTS = {"forum.ask": "forum", "knowledge.article": "knowledge",
                  "search.search": "search_index"}


def test_the_template_checker_sees_a_link_it_may_not_make(tmp_path):
    (tmp_path / "forum").mkdir()
    (tmp_path / "forum" / "bad.html").write_text(
        "<a href=\"{{ url_for('knowledge.article', slug=s) }}\">{{ _('x') }}</a>\n"
        "{{ pager(results, 'search.search') }}\n"
        "<a href=\"{{ url_for('knowledge.' ~ 'article', slug=s) }}\">x</a>\n"
        "<a href=\"/questions/{{ q.id }}\">x</a> <a href=\"/questions/7#a\">x</a>")
    (tmp_path / "knowledge").mkdir()
    (tmp_path / "knowledge" / "fine.html").write_text("{{ url_for('forum.ask') }}")
    (tmp_path / "stray.html").write_text("")
    env = jinja2.Environment(extensions=["jinja2.ext.i18n"])
    rules = Map([Rule("/questions/<int:question_id>", endpoint="forum.question")])
    assert _template_link_violations(tmp_path, env, FAKE_ENDPOINTS,
                                     rules.bind("localhost")) == [
        "templates/forum/bad.html names knowledge. (knowledge)",
        "templates/forum/bad.html names knowledge.article (knowledge)",
        "templates/forum/bad.html writes /questions/ (forum.question)",
        "templates/forum/bad.html writes /questions/7#a (forum.question)",
        "templates/stray.html has no owner in TEMPLATE_OWNERS",
    ]


def test_the_code_checkers_see_a_link_and_a_written_address(tmp_path):
    (tmp_path / "core").mkdir()
    (tmp_path / "core" / "bad.py").write_text(
        "from flask import Blueprint, redirect, url_for\n"
        "bp = Blueprint('auth', __name__, url_prefix='/questions')\n"
        "\n"
        "@bp.get('/questions/<int:question_id>')\n"
        "def show(question_id):\n"
        '    """/questions/1 is its address."""\n'
        "    return redirect(url_for('forum.ask'))\n"
        "\n"
        "def link(question, answer):\n"
        '    return "/", f"/questions/{question.id}#answer-{answer.id}", "/elsewhere"\n'
        "\n"
        "def built(question):\n"
        '    return "/questions/" + str(question.id), "/questions/%d" % question.id\n')
    rules = Map([Rule("/questions/<int:question_id>", endpoint="forum.question")])
    assert _string_url_violations(tmp_path, ["core"], rules.bind("localhost")) == [
        'core/bad.py writes f"/questions/{question.id}#answer-{answer.id}" (forum.question)',
        'core/bad.py writes "/questions/" (forum.question)',
        'core/bad.py writes "/questions/%d" (forum.question)']
    assert _code_link_violations(tmp_path, ["core"], FAKE_ENDPOINTS) == [
        "core/bad.py names forum.ask (forum)"]

"""`flask demo`: load realistic demo content once, through the same services users go through.

The content is one file (demo_content.json) and each package loads its own part of it: the
package registers a part in its `init_app` (add_part), and the command runs the parts in
order, so that core knows no forum or knowledge model.
"""
import contextlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import click
from flask import current_app
from flask.cli import with_appcontext

CONTENT = Path(__file__).with_name("demo_content.json")
_PARTS = "carnets.demo_parts"
_WRAPPERS = "carnets.demo_wrappers"


@dataclass
class DemoRun:
    """What the parts of one load share: the content, what earlier parts created (e.g.
    created["users"], {username: User}) and the counts the command prints, in part order."""

    data: dict
    echo: Callable
    created: dict = field(default_factory=dict)
    counts: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Part:
    order: int
    load: Callable          # load(run): create this part of the demo
    present: Callable | None = None  # present(): True when the database has such content


def add_part(app, order, load, present=None):
    """Register `load(run)` to run at `order` (lower first) when the demo loads; `present()`,
    if given, tells that the database already has this kind of content."""
    app.extensions.setdefault(_PARTS, []).append(Part(order, load, present))


def add_wrapper(app, context):
    """Run every load inside `context()`, a context manager (search defers indexing to the
    end of the load)."""
    app.extensions.setdefault(_WRAPPERS, []).append(context)


def _parts():
    return sorted(current_app.extensions.get(_PARTS, []), key=lambda part: part.order)


def demo_password(username):
    """Demo accounts get a password derived from their name, printed by the command."""
    return f"demo-{username}-2026"


def is_loaded():
    """True when the database already has content (users or questions): the demo loads only
    once."""
    return any(part.present() for part in _parts() if part.present is not None)


def load(content=None, echo=print):
    """Load every part of the demo; returns the created counts."""
    run = DemoRun(content or json.loads(CONTENT.read_text(encoding="utf-8")), echo)
    with contextlib.ExitStack() as stack:
        for context in current_app.extensions.get(_WRAPPERS, []):
            stack.enter_context(context())
        for part in _parts():
            part.load(run)
    return run.counts


@click.command("demo")
@with_appcontext
def demo_command():
    """Load the demo content (users of every role, notebooks, questions) unless already there."""
    if is_loaded():
        click.echo("The database already has content: demo not loaded.")
        return
    click.echo("Loading the demo content; accounts:")
    counts = load(echo=click.echo)
    click.echo("Loaded " + ", ".join(f"{number} {name}" for name, number in counts.items())
               + ".")


def init_app(app):
    """Register the `flask demo` command (the packages add their parts)."""
    app.cli.add_command(demo_command)

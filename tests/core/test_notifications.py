"""The notification kinds registry: only registered kinds are sent, each shown by its own
rules when read (title, link, who may see them)."""
import re
from types import SimpleNamespace

import pytest
from flask import url_for

from core.accounts.models import User
from core.accounts.services import get_user_by_username
from core.extensions import db
from core.notifications import kinds
from core.notifications import services as notifications
from core.notifications.models import Notification
from core.urls import path_for
from tests import factories

# A kind about a user, whose name only moderators may read: what a package would register.
PERSON = kinds.Subject("person", User, title=lambda user: user.name,
                       link=lambda user: ("users.profile", {"username": user.username}))
NAMED = kinds.Kind("named", "You were named by:", PERSON,
                   visible=lambda viewer, user: viewer.role == "moderator", hidden="someone")


@pytest.fixture
def named(app, monkeypatch):
    """`app` with the "named" kind registered for one test."""
    monkeypatch.setitem(app.extensions[kinds.EXTENSION], NAMED.name, NAMED)
    return app


def _send(app, recipient, kind="named", subject="author"):
    with app.app_context():
        notifications.notify(get_user_by_username(recipient).id, kind,
                             get_user_by_username(subject))
        db.session.commit()


def test_an_unregistered_kind_is_refused(ctx):
    author = factories.user("member", "writer")
    with pytest.raises(ValueError, match="unknown notification kind 'named'"):
        notifications.notify(author.id, "named", author)
    # A registered kind refuses a subject of another model.
    with pytest.raises(TypeError):
        notifications.notify(author.id, "accepted", author)
    assert db.session.query(Notification).count() == 0


def test_the_kinds_visibility_rule_withholds_title_and_link(named, make_user, user_client):
    make_user("member", "author")
    member, moderator = user_client("member"), user_client("moderator")
    for reader in (member, moderator):
        _send(named, reader.username)
    with named.test_request_context():
        shown = {}
        for reader in (member, moderator):
            [(entry, withheld)] = notifications.recent(get_user_by_username(reader.username))
            shown[reader.username] = (entry.sentence, entry.title, entry.url, withheld)
        profile = url_for("users.profile", username="author")
    assert shown[member.username] == ("You were named by:", None, None, True)
    assert shown[moderator.username] == ("You were named by:", "author", profile, False)
    page = member.get("/notifications").get_data(as_text=True)
    assert "You were named by:" in page and "someone" in page and profile not in page
    page = moderator.get("/notifications").get_data(as_text=True)
    # The line links through "open", which marks it read and goes to the subject.
    [link] = re.findall(r'href="(/notifications/\d+/open)"', page)
    assert moderator.get(link).headers["Location"] == profile


def test_a_kind_no_package_registers_any_more_shows_nothing_of_its_subject(
        app, named, make_user, user_client, monkeypatch):
    make_user("member", "author")
    moderator = user_client("moderator")
    _send(named, moderator.username)
    monkeypatch.delitem(app.extensions[kinds.EXTENSION], NAMED.name)
    page = moderator.get("/notifications").get_data(as_text=True)
    assert "Something changed:" in page and "/users/author" not in page


def test_names_are_registered_once_and_fit_their_columns():
    app = SimpleNamespace(extensions={})
    kinds.init_app(app)
    kinds.register_kind(app, NAMED)
    with pytest.raises(ValueError, match="already registered"):
        kinds.register_kind(app, NAMED)
    with pytest.raises(ValueError, match="two subjects"):
        kinds.register_kind(app, kinds.Kind("renamed", "", kinds.Subject(
            "person", User, title=str, link=lambda user: ("auth.login", {}))))
    with pytest.raises(ValueError, match="1 to 20 characters"):
        kinds.register_kind(app, kinds.Kind("a" * 21, "", PERSON))


def test_an_address_is_made_outside_a_request_as_inside(app):
    with app.test_request_context():
        inside = url_for("forum.question", question_id=7, _anchor="answer-9")
    with app.app_context():
        assert path_for("forum.question", question_id=7, _anchor="answer-9") == inside
    assert inside == "/questions/7#answer-9"

"""Each member chooses how they hear of each kind of notification: on the site only, by e-mail
at once, or in a daily or weekly digest (issue 16, item 3). The choice is validated and saved
for the member alone; the page works without JavaScript."""
import re

import pytest
from sqlalchemy import select

from core.accounts.services import get_user_by_username
from core.extensions import db
from core.i18n import lazy_gettext as _l
from core.notifications import kinds, preferences
from core.notifications.models import NotificationPreference
from tests import factories
from tests.core.test_notifications import PERSON

REVIEW = kinds.Kind("review", "An article waits for your review:", PERSON,
                    label=_l("Articles waiting for my review"), default_channel="daily",
                    applies=lambda user: user.role in ("expert", "admin"))


@pytest.fixture
def reviews(app, monkeypatch):
    """`app` with a labelled kind for experts only, registered for one test."""
    monkeypatch.setitem(app.extensions[kinds.EXTENSION], REVIEW.name, REVIEW)
    return app


def _saved(user):
    return dict(db.session.execute(select(NotificationPreference.kind,
                                          NotificationPreference.channel).where(
        NotificationPreference.user_id == user.id)).all())


def test_choices_show_the_defaults_until_the_member_chooses(ctx, reviews):
    member, expert = factories.user("member"), factories.user("expert")
    chosen = dict((kind.name, channel) for kind, channel in preferences.choices(member))
    # Addressed to the member: at once; what they follow: a daily digest.
    assert (chosen["answer"], chosen["mention"], chosen["tag_question"]) == (
        "instant", "instant", "daily")
    assert "review" not in chosen and "review_waiting" not in chosen
    chosen = dict((kind.name, channel) for kind, channel in preferences.choices(expert))
    assert (chosen["answer"], chosen["review"]) == ("instant", "daily")
    preferences.set_channels(expert, {"answer": "weekly", "review": "site"})
    chosen = dict((kind.name, channel) for kind, channel in preferences.choices(expert))
    assert (chosen["answer"], chosen["review"]) == ("weekly", "site")
    assert preferences.channel_for(expert.id, "answer") == "weekly"
    preferences.set_channels(expert, {"answer": "daily"})  # changed again: one row
    assert _saved(expert) == {"answer": "daily", "review": "site"}


@pytest.mark.parametrize("channels, message", [
    ({"answer": "hourly"}, "unknown channel 'hourly'"),
    ({"answer": "daily", "nonsense": "site"}, "unknown notification kind 'nonsense'"),
    # A kind without a label is not the member's to choose (a moderator's warning).
    ({"answer": "daily", "warning": "site"}, "unknown notification kind 'warning'"),
    # A kind that does not concern the member (reviews: experts).
    ({"answer": "daily", "review": "site"}, "unknown notification kind 'review'"),
])
def test_a_bad_choice_is_refused_and_nothing_changes(ctx, reviews, channels, message):
    member = factories.user("member")
    preferences.set_channels(member, {"answer": "site"})
    with pytest.raises(preferences.PreferenceError, match=message):
        preferences.set_channels(member, channels)
    db.session.rollback()
    assert _saved(member) == {"answer": "site"}


def test_the_settings_page_saves_the_members_choice(app, user_client, reviews):
    client = user_client("member")
    page = client.get("/notifications/settings").get_data(as_text=True)
    assert "Answers to my questions" in page and "Articles waiting for my review" not in page
    # The default is shown as chosen; every channel is a radio button of one field.
    assert re.search(r'<input checked[^>]*name="channel_answer"[^>]*value="instant"', page)
    assert page.count('name="channel_answer"') == 4
    for label in ("On the site only", "By e-mail at once", "In a daily e-mail",
                  "In a weekly e-mail"):
        assert label in page
    response = client.post_form("/notifications/settings", {"channel_answer": "daily"},
                                follow_redirects=True)
    assert response.status_code == 200
    assert "Your notification settings are saved." in response.get_data(as_text=True)
    with app.app_context():
        user = get_user_by_username(client.username)
        assert preferences.channel_for(user.id, "answer") == "daily"


def test_the_page_refuses_a_bad_channel_and_a_missing_token(app, user_client):
    client = user_client("member")
    response = client.post_form("/notifications/settings", {"channel_answer": "hourly"})
    assert response.status_code == 400 and "Not a valid choice" in response.get_data(
        as_text=True)
    response = client.post("/notifications/settings", data={"channel_answer": "site"})
    assert response.status_code == 400
    with app.app_context():
        user = get_user_by_username(client.username)
        assert _saved(user) == {}
        assert preferences.channel_for(user.id, "answer") == "instant"


def test_only_the_members_own_settings_change(app, user_client, make_user):
    other = make_user("member")
    client = user_client("member")
    # No address names another member: whatever is posted changes the sender's own rows.
    client.post_form("/notifications/settings", {"channel_answer": "weekly",
                                                 "user_id": "1", "username": other})
    with app.app_context():
        assert _saved(get_user_by_username(other)) == {}
        assert _saved(get_user_by_username(client.username)) == {"answer": "weekly"}
    assert app.test_client().get("/notifications/settings").status_code == 302  # sign in
    response = app.test_client().post("/notifications/settings",
                                      data={"channel_answer": "site"})
    assert response.status_code in (302, 400)
    with app.app_context():
        assert _saved(get_user_by_username(other)) == {}


def test_the_page_is_linked_and_speaks_the_members_language(app, user_client):
    client = user_client("member", locale="fr")
    assert 'href="/notifications/settings"' in client.get("/notifications").get_data(
        as_text=True)
    assert 'href="/notifications/settings"' in client.get(
        f"/users/{client.username}").get_data(as_text=True)
    page = client.get("/notifications/settings").get_data(as_text=True)
    assert 'lang="fr"' in page

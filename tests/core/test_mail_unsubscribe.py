"""One-click unsubscribe (RFC 8058): the link of a mail shows a button and changes nothing;
the POST, without cookies or CSRF token (a mail client's "List-Unsubscribe=One-Click"), moves
the kind to "on the site only", in the member's language; a forged or outdated token gets a
clear page and changes nothing."""
from sqlalchemy import select

from core.accounts.models import User
from core.extensions import db
from core.mail import unsubscribe
from core.mail.sender import send_due
from core.notifications import preferences
from core.notifications.models import NotificationPreference
from tests import factories


def _alice_gets_a_mail(app, smtp, locale=None):
    """Bob answers Alice's question; the path of the unsubscribe link of her mail."""
    with app.app_context():
        alice, bob = factories.user(username="alice"), factories.user(username="bob")
        alice.locale = locale
        db.session.commit()
        factories.answer(bob, factories.question(alice).id)
        send_due()
    [mail] = smtp.to("alice@example.org")
    link = mail["List-Unsubscribe"].strip("<>")
    return link.split("://", 1)[1].split("/", 1)[1]


def _channel(app, username="alice", kind="answer"):
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == username))
        return preferences.channel_for(user.id, kind)


def test_the_link_shows_a_button_and_changes_nothing(app, smtp, client):
    path = _alice_gets_a_mail(app, smtp)
    page = client.get("/" + path)
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Answers to my questions" in html and "Stop these e-mails" in html
    assert 'method="post"' in html
    assert _channel(app) == "instant"


def test_one_click_without_cookies_or_csrf_moves_the_kind_to_the_site(app, smtp):
    path = _alice_gets_a_mail(app, smtp)
    bare = app.test_client()  # no session, no CSRF token: a mail client
    response = bare.post("/" + path, data={"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert "will no longer receive e-mails about" in response.get_data(as_text=True)
    assert _channel(app) == "site"
    # Twice is harmless.
    assert bare.post("/" + path, data={"List-Unsubscribe": "One-Click"}).status_code == 200
    with app.app_context():
        assert db.session.query(NotificationPreference).count() == 1
    # The next answer reaches Alice on the site only.
    smtp.clear()
    with app.app_context():
        alice = db.session.scalar(select(User).where(User.username == "alice"))
        carol = factories.user(username="carol")
        factories.answer(carol, factories.question(alice, title="Another question of mine?").id)
        assert send_due()["sent"] == 0
    assert smtp.messages == []


def test_the_page_speaks_the_members_language(app, smtp):
    path = _alice_gets_a_mail(app, smtp, locale="fr")
    html = app.test_client().get("/" + path).get_data(as_text=True)
    assert 'lang="fr"' in html and "Réponses à mes questions" in html


def test_a_forged_or_outdated_token_changes_nothing(app, smtp):
    path = _alice_gets_a_mail(app, smtp)
    prefix, token = path.rsplit("/", 1)
    with app.app_context():
        alice = db.session.scalar(select(User).where(User.username == "alice"))
        bob = db.session.scalar(select(User).where(User.username == "bob"))
        from itsdangerous import URLSafeSerializer

        other_key = URLSafeSerializer("not-the-key", salt="unsubscribe").dumps(
            [alice.id, "all", "0" * 16])
        for_bob = unsubscribe.make_token(bob)
    forged_bob = for_bob.split(".")[0] + "." + token.split(".")[1]  # Bob's words, Alice's seal
    client = app.test_client()
    for bad in (token[:-3] + "xyz", other_key, forged_bob, "nonsense"):
        for method in (client.get, client.post):
            response = method(f"/{prefix}/{bad}")
            assert response.status_code == 404
            assert "This link is not valid" in response.get_data(as_text=True)
    assert _channel(app) == "instant" and _channel(app, "bob") == "instant"
    # A new address makes old links do nothing.
    with app.app_context():
        alice = db.session.get(User, alice.id)
        alice.email = "alice.new@example.org"
        db.session.commit()
    assert client.post("/" + path).status_code == 404
    assert _channel(app) == "instant"


def test_a_token_for_all_covers_every_kind_a_member_may_choose(ctx):
    member = factories.user()
    found_user, kinds = unsubscribe.read_token(unsubscribe.make_token(member))
    assert found_user.id == member.id and "answer" in {kind.name for kind in kinds}
    assert all(kind.label for kind in kinds)
    unsubscribe.unsubscribe(member, kinds)
    assert {kind.name: preferences.channel_for(member.id, kind) for kind in kinds} == {
        kind.name: "site" for kind in kinds}

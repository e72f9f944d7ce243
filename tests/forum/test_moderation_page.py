"""Who reaches /moderation: moderators and safeguarding leads; members are refused, visitors
are sent to sign in."""
from core.accounts.services import get_user_by_username
from core.extensions import db


def test_a_member_is_refused_and_a_visitor_is_sent_to_sign_in(client, user_client):
    assert client.get("/moderation").status_code == 302
    assert user_client("member").get("/moderation").status_code == 403


def test_a_moderator_sees_the_queue_but_no_alerts(user_client):
    page = user_client("moderator").get("/moderation").get_data(as_text=True)
    assert 'id="flags-heading"' in page and 'id="alerts-heading"' not in page


def test_a_safeguarding_lead_sees_the_alerts(app, user_client):
    lead = user_client("member")
    with app.app_context():
        get_user_by_username(lead.username).safeguarding_lead = True
        db.session.commit()
    page = lead.get("/moderation").get_data(as_text=True)
    assert 'id="alerts-heading"' in page and 'id="flags-heading"' not in page
    assert 'href="/moderation"' in page


def test_moderation_pages_are_kept_in_no_cache(app, user_client):
    """The queue, alerts, warnings and the log describe children in danger: a shared phone's
    Back button must not show them again after sign-out."""
    moderator = user_client("admin")
    for path in ("/moderation", "/moderation/log"):
        response = moderator.get(path)
        assert response.status_code == 200
        assert "no-store" in response.headers["Cache-Control"], path
    question = user_client("member").get("/questions")
    assert "no-store" not in question.headers.get("Cache-Control", "")

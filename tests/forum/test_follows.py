"""Following from the pages: the question and tag pages show the signed-in member's state and
a POST form (CSRF) to change it; a member changes only their own follows; their profile lists
the tags they follow; the mention links reach the member's page."""
from datetime import timedelta

from core.accounts.models import User
from core.accounts.services import get_user_by_username
from core.extensions import db
from core.notifications.models import Notification
from core.timeutil import utcnow
from forum.models import QuestionFollow, TagFollow
from tests.forum.conftest import BODY, assert_login_redirect, count, html


def test_follow_and_unfollow_a_question_from_its_page(app, client, user_client, seed, make_user):
    asker = make_user("member")
    question_id = seed.question(asker, tags="trust")
    reader = user_client("member")
    page = html(reader.get(f"/questions/{question_id}"))
    assert f'action="/questions/{question_id}/follow"' in page and "1 follower" in page
    assert reader.post_form(f"/questions/{question_id}/follow").status_code == 302
    page = html(reader.get(f"/questions/{question_id}"))
    assert f'action="/questions/{question_id}/unfollow"' in page and "2 followers" in page
    seed.answer(make_user("member"), question_id)
    with app.app_context():
        me = get_user_by_username(reader.username)
        assert count(app, Notification, Notification.recipient_id == me.id,
                     Notification.kind == "followed_answer") == 1
    assert reader.post_form(f"/questions/{question_id}/unfollow").status_code == 302
    assert f'action="/questions/{question_id}/follow"' in html(reader.get(f"/questions/{question_id}"))
    with app.app_context():
        row = db.session.get(QuestionFollow, (me.id, question_id))
        assert row is not None and row.following is False
    # Anonymous readers get no button (their page is cached) and cannot follow.
    assert "/follow" not in html(client.get(f"/questions/{question_id}"))
    assert_login_redirect(client.post_form(f"/questions/{question_id}/follow"))


def test_follow_needs_the_csrf_token_and_a_visible_question(app, user_client, seed, make_user):
    asker = make_user("member")
    question_id = seed.question(asker)
    reader = user_client("member")
    assert reader.post(f"/questions/{question_id}/follow").status_code == 400
    assert count(app, QuestionFollow, QuestionFollow.following.is_(True)) == 1  # the asker
    seed.delete(asker, "question", question_id)
    assert reader.post_form(f"/questions/{question_id}/follow").status_code == 404
    assert reader.post_form("/questions/99999/follow").status_code == 404


def test_a_member_changes_only_their_own_follows(app, user_client, seed, make_user):
    """Nothing in the request names whose follow changes: a forged user id is ignored."""
    asker = make_user("member")
    question_id = seed.question(asker, tags="trust")
    other = user_client("member")
    response = other.post_form(f"/questions/{question_id}/unfollow",
                               {"user_id": "1", "username": asker})
    assert response.status_code == 302
    with app.app_context():
        asker_id = get_user_by_username(asker).id
        assert db.session.get(QuestionFollow, (asker_id, question_id)).following is True
    other.post_form("/tags/trust/follow", {"user_id": str(asker_id)})
    with app.app_context():
        assert db.session.get(TagFollow, (asker_id, 1)) is None
        assert count(app, TagFollow) == 1


def test_follow_a_tag_and_see_it_on_the_profile(app, client, user_client, seed, make_user):
    seed.question(make_user("member"), tags="shelter night")
    reader = user_client("member")
    page = html(reader.get("/tags/shelter"))
    assert 'action="/tags/shelter/follow"' in page and "0 followers" in page
    assert reader.post_form("/tags/shelter/follow").status_code == 302
    page = html(reader.get("/tags/shelter"))
    assert 'action="/tags/shelter/unfollow"' in page and "1 follower" in page
    profile = html(reader.get(f"/users/{reader.username}"))
    assert "Tags you follow" in profile and 'href="/tags/shelter"' in profile
    # Nobody else learns which tags a member follows.
    assert "Tags you follow" not in html(client.get(f"/users/{reader.username}"))
    assert reader.post_form("/tags/nosuchtag/follow").status_code == 404
    assert reader.post_form("/tags/shelter/unfollow").status_code == 302
    assert "You follow no tag yet" in html(reader.get(f"/users/{reader.username}"))


def test_a_suspended_member_cannot_follow(app, user_client, seed, make_user):
    question_id = seed.question(make_user("member"))
    reader = user_client("member")
    with app.app_context():
        user_id = get_user_by_username(reader.username).id
    seed.update(User, user_id, suspended_until=utcnow() + timedelta(days=1))
    response = reader.post_form(f"/questions/{question_id}/follow")
    assert response.status_code in (302, 403)
    assert count(app, QuestionFollow, QuestionFollow.user_id == user_id) == 0


def test_a_mention_links_to_the_members_page(app, user_client, seed, make_user):
    make_user("member", username="Rosa_M")
    asker = user_client("member")
    response = asker.post_form("/questions/ask", {
        "title": "Who knows the night shelter rules in the port district?",
        "body": "@rosa_m you worked there, can you tell us? " + BODY,
        "tags": "shelter", "lang": "en", "similar_checked": "1"})
    assert response.status_code == 302, html(response)
    page = html(asker.get(response.headers["Location"]))
    assert '<a href="/users/Rosa_M" rel="nofollow ugc noopener">@Rosa_M</a>' in page
    assert asker.get("/users/Rosa_M").status_code == 200

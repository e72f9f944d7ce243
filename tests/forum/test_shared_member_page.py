"""The question page plain members share (forum.shared_pages, core.personal): rendered once
for members who took no part in the thread, it is exactly the page rendered for each of them
alone, with their own name, follow button and CSRF token; nobody ever gets another member's
votes, buttons, token or a moderator's view, and every change shows to the next member."""
import re

import pytest
from itsdangerous import URLSafeTimedSerializer

from core.extensions import db
from forum.services import hiding
from core.accounts.services import get_user_by_username
from tests.forum.conftest import counted_queries, html

TOKEN_RE = re.compile(r'name="csrf_token" value="([^"]+)"')
TIME_RE = re.compile(r"<time datetime=\"[^\"]+\">[^<]*</time>")


@pytest.fixture
def thread(seed, make_user):
    """A question by `asker` with answers by `helper` and `other`, and a comment."""
    asker, helper, other = make_user(), make_user(), make_user()
    question_id = seed.question(asker, title="Where can a girl of 13 sleep tonight?")
    answer_id = seed.answer(helper, question_id, body="Call the night team first; they know "
                                                      "which shelter has a bed for girls.")
    second = seed.answer(other, question_id, body="The social emergency line answers at "
                                                  "night; ask for the duty educator.")
    seed.comment(other, "Which city is this in?", answer_id=answer_id)
    return {"asker": asker, "helper": helper, "other": other, "question": question_id,
            "answer": answer_id, "second": second, "url": f"/questions/{question_id}"}


def _session_token(app, client):
    """The CSRF secret of the client's session, and a function reading a form token."""
    with client.session_transaction() as session:
        secret = session["csrf_token"]
    serializer = URLSafeTimedSerializer(app.config["SECRET_KEY"], salt="wtf-csrf-token")
    return secret, serializer.loads


def _assert_own_tokens(app, client, page):
    tokens = TOKEN_RE.findall(page)
    assert tokens, "a member's page has forms"
    secret, loads = _session_token(app, client)
    assert {loads(token) for token in tokens} == {secret}


def _pressed(page, kind, post_id, value):
    found = re.search(rf'action="/{kind}s/{post_id}/vote" class="inline">\s*<input[^>]*>\s*'
                      rf'<button class="vote" name="value" value="{value}" '
                      r'aria-pressed="(true|false)"', page)
    return None if found is None else found.group(1) == "true"


def _edit_links(page):
    return set(re.findall(r'href="/(questions|answers)/(\d+)/edit"', page))


def _without_times(page):
    return TIME_RE.sub("", page)


def test_the_shared_page_is_the_page_rendered_for_the_member_alone(app, user_client, thread):
    reader = user_client()
    shared = html(reader.get(thread["url"]))
    app.config["PAGE_CACHE_SECONDS"] = 0
    try:
        alone = html(reader.get(thread["url"]))
    finally:
        app.config["PAGE_CACHE_SECONDS"] = 60
    assert _without_times(shared) == _without_times(alone)


def test_the_next_member_costs_fewer_queries(app, user_client, thread):
    first, second = user_client(), user_client()
    with counted_queries(app) as rendered:
        assert first.get(thread["url"]).status_code == 200
    with counted_queries(app) as shared:
        assert second.get(thread["url"]).status_code == 200
    # The member, their unread count, their follow state; no post is read again.
    assert len(shared) <= 4 < len(rendered)


def test_two_members_in_turn_each_get_their_own_name_and_token(app, user_client, thread):
    a, b = user_client(), user_client()
    page_a = html(a.get(thread["url"]))
    page_b = html(b.get(thread["url"]))
    _assert_own_tokens(app, a, page_a)
    _assert_own_tokens(app, b, page_b)
    assert f'href="/users/{a.username}"' in page_a and a.username not in page_b
    assert f'href="/users/{b.username}"' in page_b and b.username not in page_a
    assert set(TOKEN_RE.findall(page_a)).isdisjoint(TOKEN_RE.findall(page_b))
    # A's token does nothing for B; B's own works.
    follow = f"/questions/{thread['question']}/follow"
    assert b.post(follow, data={"csrf_token": TOKEN_RE.findall(page_a)[0]}).status_code == 400
    assert b.post(follow, data={"csrf_token": TOKEN_RE.findall(page_b)[0]}).status_code == 302
    followers = re.compile(r"(\d+) followers?<")
    before = int(followers.search(page_b).group(1))
    again = html(b.get(thread["url"]))
    assert "Unfollow" in again and int(followers.search(again).group(1)) == before + 1
    assert "Unfollow" not in html(a.get(thread["url"]))


def test_own_votes_and_posts_stay_with_their_member(app, seed, user_client, login, thread):
    voter, bystander = user_client(), user_client()
    html(bystander.get(thread["url"]))  # the shared page exists before the vote
    seed.vote(voter.username, "answer", thread["answer"])
    seed.vote(voter.username, "answer", thread["second"], -1)
    mine = html(voter.get(thread["url"]))
    assert _pressed(mine, "answer", thread["answer"], "up") is True
    assert _pressed(mine, "answer", thread["second"], "down") is True
    theirs = html(bystander.get(thread["url"]))
    assert _pressed(theirs, "answer", thread["answer"], "up") is False
    assert _pressed(theirs, "answer", thread["second"], "down") is False
    _assert_own_tokens(app, voter, mine)
    _assert_own_tokens(app, bystander, theirs)

    helper = login(app.test_client(), thread["helper"])
    helper.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    helpers = html(helper.get(thread["url"]))
    assert _edit_links(helpers) == {("answers", str(thread["answer"]))}
    assert f'action="/answers/{thread["answer"]}/delete"' in helpers
    assert _pressed(helpers, "answer", thread["answer"], "up") is None  # not on one's own post
    assert _edit_links(theirs) == set() and "/delete" not in theirs
    _assert_own_tokens(app, helper, helpers)

    asker = login(app.test_client(), thread["asker"])
    asks = html(asker.get(thread["url"]))
    assert f'action="/answers/{thread["answer"]}/accept"' in asks
    assert "/accept" not in theirs and "/accept" not in html(bystander.get(thread["url"]))


def test_an_expert_edits_every_post_and_a_member_none(user_client, thread):
    member, expert = user_client(), user_client("expert")
    assert _edit_links(html(member.get(thread["url"]))) == set()
    assert len(_edit_links(html(expert.get(thread["url"])))) == 3
    assert _edit_links(html(user_client().get(thread["url"]))) == set()


@pytest.mark.parametrize("withdraw", ["delete", "hide"])
def test_a_moderators_view_never_reaches_a_member(app, seed, user_client, login, make_user,
                                                  thread, withdraw):
    if withdraw == "delete":
        seed.delete(thread["helper"], "answer", thread["answer"])
    else:
        moderator_name = make_user("moderator")
        with app.app_context():
            hiding.hide_post(get_user_by_username(moderator_name), "answer", thread["answer"])
            db.session.remove()
    moderator = user_client("moderator")
    assert "a bed for girls" in html(moderator.get(thread["url"]))
    for _ in range(2):
        page = html(user_client().get(thread["url"]))
        assert "a bed for girls" not in page and "duty educator" in page
        assert "thread-moderation" not in page
    # Its author still sees it, alone.
    author = login(app.test_client(), thread["helper"])
    assert "a bed for girls" in html(author.get(thread["url"]))
    assert "a bed for girls" not in html(user_client().get(thread["url"]))


def test_a_vote_or_an_edit_changes_what_the_next_member_sees(app, seed, user_client, thread):
    reader = user_client()
    before = html(reader.get(thread["url"]))
    assert '<span class="score"><bdi>1</bdi></span>' not in before
    seed.vote(user_client().username, "answer", thread["answer"])
    after = html(user_client().get(thread["url"]))
    assert '<span class="score"><bdi>1</bdi></span>' in after
    seed.edit_question(thread["asker"], thread["question"],
                       "Where can a girl of 13 sleep safely tonight?")
    assert "sleep safely tonight" in html(reader.get(thread["url"]))


def test_a_message_waiting_for_a_member_is_shown_to_them_only(app, user_client, thread):
    html(user_client().get(thread["url"]))
    member = user_client()
    assert member.post_form(f"/questions/{thread['question']}/follow").status_code == 302
    page = html(member.get(thread["url"]))
    assert 'class="flash' in page and "Unfollow" in page
    assert 'class="flash' not in html(user_client().get(thread["url"]))

"""Features built apart meet here: a duplicate shows its original's title, a comment lives under
an answer, a redacted passage may be emphasised. Found by a review of the merged protection
work; each would have shown a hidden or redacted text to someone who may not see it."""
from core.accounts.services import get_user_by_username
from forum.services import flags, hiding, moderation_threads, redaction


def test_a_duplicate_forgets_its_originals_title_when_the_original_is_hidden(
        app, client, make_user, seed):
    author, moderator = make_user(), make_user("moderator")
    original = seed.question(author, title="Where can Moussa Kanté get help at night?")
    duplicate = seed.question(author, title="Another question about trust at night")
    with app.app_context():
        moderation_threads.mark_duplicate(get_user_by_username(moderator), duplicate, original)
    # A visitor's copy of the duplicate's page is kept in the page cache.
    assert "Kanté" in client.get(f"/questions/{duplicate}").get_data(as_text=True)
    with app.app_context():
        hiding.hide_post(get_user_by_username(moderator), "question", original, "a child")
    assert client.get(f"/questions/{original}").status_code == 404
    assert "Kanté" not in client.get(f"/questions/{duplicate}").get_data(as_text=True)


def test_a_duplicate_forgets_a_passage_redacted_from_its_originals_title(
        app, client, make_user, seed):
    author, moderator = make_user(), make_user("moderator")
    original = seed.question(author, title="Where can Moussa Kanté get help at night?")
    duplicate = seed.question(author, title="Another question about trust at night")
    with app.app_context():
        moderation_threads.mark_duplicate(get_user_by_username(moderator), duplicate, original)
    assert "Kanté" in client.get(f"/questions/{duplicate}").get_data(as_text=True)
    with app.app_context():
        redaction.redact_passage(get_user_by_username(moderator), "question", original,
                                 "Moussa Kanté", "names a child")
    assert "Kanté" not in client.get(f"/questions/{duplicate}").get_data(as_text=True)


def test_a_redacted_passage_goes_where_markdown_emphasises_it(app, client, make_user, seed):
    moderator = make_user("moderator")
    question = seed.question(make_user())
    answer = seed.answer(make_user(), question, body="He is called Moussa Kanté. Everyone at "
                         "the market knows _Moussa Kanté_ and where he sleeps.")
    with app.app_context():
        redaction.redact_passage(get_user_by_username(moderator), "answer", answer,
                                 "Moussa Kanté", "names a child")
    page = client.get(f"/questions/{question}").get_data(as_text=True)
    assert "[redacted]" in page and "Kanté" not in page


def test_the_comments_of_a_hidden_answer_are_out_of_reach(app, user_client, make_user, seed):
    author, commenter = make_user(), make_user()
    question = seed.question(author)
    answer = seed.answer(author, question, body="Zorblatine sleeps behind the market, long "
                         "enough for this to be an answer.")
    comment = seed.comment(commenter, body="Is Zorblatine the boy with the red cap?",
                           answer_id=answer)
    with app.app_context():
        for name in (make_user(), make_user()):
            flags.flag_post(get_user_by_username(name), "answer", answer, "identifies_child")
    reader = user_client()
    for path in (f"/comments/{comment}/flag", f"/comments/{comment}/alert",
                 f"/comments/{comment}/reply"):
        response = reader.get(path)
        assert response.status_code == 404, path
        assert "Zorblatine" not in response.get_data(as_text=True)
    assert reader.post_form(f"/comments/{comment}/flag", {"reason": "spam"}).status_code == 404
    assert reader.post_form(f"/comments/{comment}/alert", {"note": "x"}).status_code == 404

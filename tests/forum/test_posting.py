"""Writing posts through the services, without HTTP: asking (length limits, tags, content
language, first revision, tag counters), answering (counters, activity, closed and deleted
questions) and commenting (on a question, on an answer, threaded replies)."""
from datetime import timedelta

import pytest
from flask_login import AnonymousUserMixin
from sqlalchemy import func, select

from core.errors import Forbidden, InvalidInput, NotFound
from core.extensions import db
from core.revisions import Revision, list_revisions
from core.timeutil import utcnow
from forum.models import Answer, Comment, Question, Tag
from forum.services import answers, comments, deletion, questions
from forum.services.tags import parse_tags
from tests import factories
from tests.forum.conftest import message_text

TITLE = "How do I build trust with a child on the street?"
BODY = factories.BODY


def ask(author, title=TITLE, body=BODY, tags="trust first-contact", lang="en"):
    return questions.ask_question(author, title, body, tags, lang)


def tag_count(name):
    return db.session.scalar(select(Tag.question_count).where(Tag.name == name))


def question_rows():
    return db.session.scalar(select(func.count()).select_from(Question))


# -- asking ---------------------------------------------------------------------------------

def test_asking_stores_the_question_with_rendered_body_and_open_counters(ctx):
    author = factories.user()
    question = ask(author, body=BODY + "\n\n**Important**: night shifts.")
    stored = db.session.get(Question, question.id)
    assert stored.title == TITLE
    assert stored.author_id == author.id
    assert stored.lang == "en"
    assert "<strong>Important</strong>" in stored.body_html
    assert (stored.score, stored.answer_count, stored.status) == (0, 0, "open")
    assert stored.accepted_answer_id is None and not stored.is_deleted
    assert [tag.name for tag in stored.tags] == ["first-contact", "trust"]


def test_title_and_body_are_stripped_before_storing(ctx):
    question = ask(factories.user(), title="   " + TITLE + "  ", body="\n" + BODY + "  \n")
    assert question.title == TITLE
    assert question.body == BODY


@pytest.mark.parametrize("field, value", [
    ("title", "Too short"),                       # 9 characters
    ("title", "          Short?         "),       # long enough only with its spaces
    ("title", "x" * 151),
    ("body", "Nineteen characters"),
    ("body", "x" * 30001),
])
def test_text_outside_length_limits_is_refused_naming_the_field(ctx, field, value):
    author = factories.user()
    with pytest.raises(InvalidInput) as refused:
        ask(author, **{field: value})
    assert refused.value.field == field
    assert message_text(ctx, refused.value.message)
    assert question_rows() == 0


@pytest.mark.parametrize("field, value", [("title", "x" * 150), ("body", "x" * 30000),
                                          ("title", "Ten chars!"), ("body", "x" * 20)])
def test_text_at_the_length_limits_is_accepted(ctx, field, value):
    question = ask(factories.user(), **{field: value})
    assert getattr(question, field) == value


@pytest.mark.parametrize("typed, expected", [
    ("trust first-contact", ["trust", "first-contact"]),
    ("trust,first-contact", ["trust", "first-contact"]),
    ("trust, first-contact,  night", ["trust", "first-contact", "night"]),
    ("  Trust  TRUST trust ", ["trust"]),
    ("#trust, #night", ["trust", "night"]),
    ("a b c d e", ["a", "b", "c", "d", "e"]),
    ("éducation niño طفل", ["éducation", "niño", "طفل"]),
    ("الاتصال-الأول، الثقة", ["الاتصال-الأول", "الثقة"]),
])
def test_tags_are_parsed_from_spaces_or_commas_lower_cased_and_unique(typed, expected):
    assert parse_tags(typed) == expected


def test_tags_are_stored_and_created_once(ctx):
    author = factories.user()
    ask(author, tags="trust, first-contact")
    ask(author, tags="Trust night")
    assert sorted(db.session.scalars(select(Tag.name))) == ["first-contact", "night", "trust"]


@pytest.mark.parametrize("typed, message_part", [
    ("", "at least one"),
    (" ,  , ", "at least one"),
    ("a b c d e f", "5"),
    ("c++", "c++"),
    ("night/day", "night/day"),
    ("-", None),
    ("x" * 36, "x" * 36),
])
def test_invalid_tags_are_refused_with_a_message_for_the_tags_field(ctx, typed, message_part):
    author = factories.user()
    with pytest.raises(InvalidInput) as refused:
        ask(author, tags=typed)
    assert refused.value.field == "tags"
    if message_part:
        assert message_part in message_text(ctx, refused.value.message)
    assert question_rows() == 0
    assert db.session.scalar(select(func.count()).select_from(Tag)) == 0


@pytest.mark.parametrize("name", ["កុមារ", "مُرَبّي"])
def test_tags_written_in_khmer_or_vocalised_arabic_are_accepted(ctx, name):
    question = ask(factories.user(), tags=name, lang="km" if name == "កុមារ" else "ar")
    assert [tag.name for tag in question.tags] == [name]


@pytest.mark.parametrize("lang", ["fr", "en", "es", "ar", "km", "mg"])
def test_every_content_language_is_accepted(ctx, lang):
    assert ask(factories.user(), lang=lang).lang == lang


@pytest.mark.parametrize("lang", ["", None, "de", "EN", "french"])
def test_content_language_is_required_among_the_six(ctx, lang):
    with pytest.raises(InvalidInput) as refused:
        ask(factories.user(), lang=lang)
    assert refused.value.field == "lang"
    assert question_rows() == 0


def test_asking_stores_the_first_revision(ctx):
    author = factories.user()
    question = ask(author, tags="trust, night")
    [revision] = list_revisions("question", question.id)
    assert revision.number == 1
    assert (revision.title, revision.body) == (TITLE, BODY)
    assert sorted(revision.tags.split()) == ["night", "trust"]
    assert revision.editor_id == author.id


def test_asking_counts_each_question_in_its_tags(ctx):
    author = factories.user()
    ask(author, tags="trust first-contact")
    ask(author, tags="trust night")
    assert (tag_count("trust"), tag_count("first-contact"), tag_count("night")) == (2, 1, 1)


def test_anonymous_and_suspended_users_cannot_ask(ctx):
    with pytest.raises(Forbidden):
        ask(AnonymousUserMixin())
    suspended = factories.user()
    suspended.suspended_until = utcnow() + timedelta(days=3)
    db.session.commit()
    with pytest.raises(Forbidden):
        ask(suspended)
    assert question_rows() == 0


# -- answering ------------------------------------------------------------------------------

def test_answering_counts_the_answer_and_renews_the_activity(ctx):
    question = ask(factories.user())
    question.last_activity_at = long_ago = utcnow() - timedelta(days=3)
    db.session.commit()
    answerer = factories.user()
    answer = answers.post_answer(answerer, question.id, BODY + " Come back every night.")
    stored = db.session.get(Question, question.id)
    assert stored.answer_count == 1
    assert stored.last_activity_at > long_ago
    assert db.session.get(Answer, answer.id).author_id == answerer.id
    answers.post_answer(factories.user(), question.id, BODY)
    assert db.session.get(Question, question.id).answer_count == 2


def test_answering_stores_the_answer_first_revision(ctx):
    question = ask(factories.user())
    answerer = factories.user()
    answer = answers.post_answer(answerer, question.id, BODY)
    [revision] = list_revisions("answer", answer.id)
    assert (revision.number, revision.body, revision.editor_id) == (1, BODY, answerer.id)


def test_answer_body_length_is_checked(ctx):
    question = ask(factories.user())
    with pytest.raises(InvalidInput) as refused:
        answers.post_answer(factories.user(), question.id, "Too short")
    assert refused.value.field == "body"
    assert db.session.get(Question, question.id).answer_count == 0
    assert db.session.scalar(select(func.count()).select_from(Answer)) == 0


@pytest.mark.parametrize("status", ["closed", "duplicate"])
def test_a_closed_question_refuses_new_answers(ctx, status):
    question = ask(factories.user())
    question.status = status
    db.session.commit()
    with pytest.raises(Forbidden):
        answers.post_answer(factories.user(), question.id, BODY)
    assert db.session.get(Question, question.id).answer_count == 0


def test_a_deleted_question_refuses_new_answers(ctx):
    author = factories.user()
    question = ask(author)
    deletion.delete_post(author, "question", question.id)
    with pytest.raises(Forbidden):
        answers.post_answer(author, question.id, BODY)        # its author still sees it
    with pytest.raises(NotFound):
        answers.post_answer(factories.user(), question.id, BODY)  # others do not
    assert db.session.scalar(select(func.count()).select_from(Answer)) == 0


def test_answering_a_missing_question_is_not_found(ctx):
    with pytest.raises(NotFound):
        answers.post_answer(factories.user(), 12345, BODY)


# -- comments -------------------------------------------------------------------------------

def test_comment_on_a_question(ctx):
    question = ask(factories.user())
    question.last_activity_at = long_ago = utcnow() - timedelta(days=1)
    db.session.commit()
    commenter = factories.user()
    comment = comments.post_comment(commenter, "Which city is this in?", question_id=question.id)
    stored = db.session.get(Comment, comment.id)
    assert (stored.question_id, stored.answer_id, stored.thread_id) == (question.id, None,
                                                                        question.id)
    assert stored.parent_id is None and stored.author_id == commenter.id
    assert db.session.get(Question, question.id).last_activity_at > long_ago


def test_comment_on_an_answer(ctx):
    question = ask(factories.user())
    answer = answers.post_answer(factories.user(), question.id, BODY)
    comment = comments.post_comment(factories.user(), "It worked for us too.", answer_id=answer.id)
    stored = db.session.get(Comment, comment.id)
    assert (stored.question_id, stored.answer_id, stored.thread_id) == (None, answer.id,
                                                                        question.id)


def test_replies_nest_under_their_comment_and_join_its_post(ctx):
    question = ask(factories.user())
    answer = answers.post_answer(factories.user(), question.id, BODY)
    first = comments.post_comment(factories.user(), "Did the boy come back?", answer_id=answer.id)
    reply = comments.post_comment(factories.user(), "Yes, two nights later.", parent_id=first.id)
    reply_to_reply = comments.post_comment(factories.user(), "Good to hear.", parent_id=reply.id)
    for comment, parent in ((reply, first), (reply_to_reply, reply)):
        stored = db.session.get(Comment, comment.id)
        assert stored.parent_id == parent.id
        assert (stored.answer_id, stored.question_id, stored.thread_id) == (answer.id, None,
                                                                            question.id)
    on_question = comments.post_comment(factories.user(), "A remark.", question_id=question.id)
    reply = comments.post_comment(factories.user(), "An answer to it.", parent_id=on_question.id)
    assert db.session.get(Comment, reply.id).question_id == question.id


@pytest.mark.parametrize("body", ["Shrt", "x" * 1001, "     "])
def test_comment_length_is_checked(ctx, body):
    question = ask(factories.user())
    with pytest.raises(InvalidInput) as refused:
        comments.post_comment(factories.user(), body, question_id=question.id)
    assert refused.value.field == "body"
    assert db.session.scalar(select(func.count()).select_from(Comment)) == 0


def test_no_comment_on_a_deleted_answer_nor_reply_to_a_deleted_comment(ctx):
    question = ask(factories.user())
    answerer, commenter = factories.user(), factories.user()
    answer = answers.post_answer(answerer, question.id, BODY)
    comment = comments.post_comment(commenter, "A first remark.", question_id=question.id)
    deletion.delete_post(answerer, "answer", answer.id)
    deletion.delete_post(commenter, "comment", comment.id)
    with pytest.raises(Forbidden):
        comments.post_comment(answerer, "Still there?", answer_id=answer.id)
    with pytest.raises(Forbidden):
        comments.post_comment(commenter, "Replying anyway.", parent_id=comment.id)
    with pytest.raises(NotFound):
        comments.post_comment(factories.user(), "Still there?", answer_id=answer.id)
    assert db.session.scalar(select(func.count()).select_from(Comment)) == 1


def test_revision_rows_are_per_post(ctx):
    question = ask(factories.user())
    answers.post_answer(factories.user(), question.id, BODY)
    kinds = sorted(db.session.scalars(select(Revision.target_type)))
    assert kinds == ["answer", "question"]


def test_domain_errors_are_raised_outside_a_request_too(app):
    """Services run from the CLI and workers too (`flask demo`, `flask create-user`): their
    domain errors must reach the caller, not crash while translating the message."""
    with app.app_context():
        author = factories.user()
        with pytest.raises(InvalidInput) as refused:
            questions.ask_question(author, "Too short", BODY, "trust", "en")
        assert refused.value.field == "title"

"""The confidentiality guard on every forum form (issue 15): a text that may identify a child
comes back with the warning and nothing saved; the author's confirmation of the very text
they saw saves it with a recorded decision; a changed text or a forged confirmation is
checked again; ordinary text is saved as before, with nothing recorded."""
import re

import pytest

from core.confidentiality.models import GuardDecision
from core.revisions import Revision
from forum.models import Answer, Comment, Question
from search_index.models import SearchQueue
from tests.forum.conftest import count, field_error, html, row

CHILD = ("Moussa Diallo, 12 years old, sleeps behind the central market. "
         "His uncle's number is 06 12 34 56 78.")
CLEAN = "A boy of about 12 sleeps near the market. How do I approach him without scaring him?"
ASK = {"title": "How do I approach a boy who sleeps near the market?", "body": CHILD,
       "tags": "first-contact", "lang": "en"}
FINGERPRINT_RE = re.compile(r'name="guard_fingerprint" value="([0-9a-f]+)"')


def fingerprint(response):
    found = FINGERPRINT_RE.search(html(response))
    return found.group(1) if found else None


def assert_warned(response, *marked):
    """The page the author sees when the guard found something: the form again, status 200,
    the kinds found, each match highlighted, and both ways forward."""
    page = html(response)
    assert response.status_code == 200, page
    assert 'class="guard"' in page and 'role="alert"' in page
    for text in marked:
        assert f"<mark>{text}</mark>" in page
    assert "Edit my text" in page
    assert 'name="guard_confirm"' in page
    assert "This does not identify a child: post anyway" in page
    assert fingerprint(response)
    return page


def decisions(app):
    from core.extensions import db
    from sqlalchemy import select
    with app.app_context():
        return [(d.target_type, d.target_id, d.revision_number, d.kinds)
                for d in db.session.scalars(select(GuardDecision).order_by(GuardDecision.id))]


def confirm(data, warned):
    return dict(data, guard_confirm="1", guard_fingerprint=fingerprint(warned))


# -- asking -----------------------------------------------------------------------------------

def test_ask_with_a_childs_details_is_warned_and_nothing_is_saved(app, user_client):
    asker = user_client()
    response = asker.post_form("/questions/ask", ASK)
    page = assert_warned(response, "Moussa Diallo", "06 12 34 56 78",
                         "behind the central market")
    for kind in ("a phone number", "a person's name", "an address or a precise place"):
        assert kind in page
    assert "initials" in page and "give an age" not in page  # advice for what was found
    # The form is below, with the author's text intact.
    assert CHILD.replace("'", "&#39;") + "</textarea>" in page
    assert '<a href="#body">Edit my text</a>' in page
    assert (count(app, Question), count(app, SearchQueue), count(app, GuardDecision)) == (0, 0, 0)


def test_confirming_the_text_shown_posts_it_and_records_the_decision(app, user_client):
    asker = user_client()
    warned = asker.post_form("/questions/ask", ASK)
    response = asker.post_form("/questions/ask", confirm(ASK, warned))
    assert response.status_code == 302
    [question_id] = [q for q in range(1, 3) if row(app, Question, q)]
    assert row(app, Question, question_id)["body"] == CHILD
    assert decisions(app) == [("question", question_id, 1, "phone address name")]
    with app.app_context():
        from core.extensions import db
        decision = db.session.query(GuardDecision).one()
        assert decision.user.username == asker.username and decision.decision == "confirmed"


def test_a_text_changed_after_the_warning_is_checked_again(app, user_client):
    asker = user_client()
    warned = asker.post_form("/questions/ask", ASK)
    changed = dict(ASK, body=CHILD + " His aunt answers on 07 98 76 54 32.")
    response = asker.post_form("/questions/ask", confirm(changed, warned))
    assert_warned(response, "07 98 76 54 32")
    assert fingerprint(response) != fingerprint(warned)
    assert (count(app, Question), count(app, GuardDecision)) == (0, 0)


def test_the_details_edited_out_after_the_warning_post_with_nothing_recorded(app, user_client):
    asker = user_client()
    asker.post_form("/questions/ask", ASK)
    response = asker.post_form("/questions/ask", dict(ASK, body=CLEAN))
    assert response.status_code == 302
    assert (count(app, Question), count(app, GuardDecision)) == (1, 0)


@pytest.mark.parametrize("forged", [None, "", "0" * 64, "not-a-hash"])
def test_a_confirmation_without_the_fingerprint_of_the_text_is_warned_again(app, user_client,
                                                                           forged):
    asker = user_client()
    data = dict(ASK, guard_confirm="1")
    if forged is not None:
        data["guard_fingerprint"] = forged
    assert_warned(asker.post_form("/questions/ask", data), "Moussa Diallo")
    assert (count(app, Question), count(app, GuardDecision)) == (0, 0)


def test_another_members_confirmation_does_not_count(app, user_client):
    warned = user_client().post_form("/questions/ask", ASK)
    other = user_client()
    assert_warned(other.post_form("/questions/ask", confirm(ASK, warned)), "Moussa Diallo")
    assert count(app, Question) == 0


def test_bad_input_still_names_the_field_before_any_warning(app, user_client):
    response = user_client().post_form("/questions/ask", dict(ASK, title="Too short"))
    page = html(response)
    assert response.status_code == 400 and field_error(page, "title")
    assert 'class="guard"' not in page
    assert count(app, Question) == 0


def test_ordinary_text_is_posted_at_once_with_nothing_recorded(app, user_client):
    response = user_client().post_form("/questions/ask", dict(ASK, body=CLEAN))
    assert response.status_code == 302
    assert (count(app, Question), count(app, GuardDecision)) == (1, 0)


def test_hostile_text_in_the_warning_is_escaped(app, user_client):
    body = '<script>alert("x")</script> Moussa Diallo <img src=x onerror=alert(1)> sleeps here.'
    page = assert_warned(user_client().post_form("/questions/ask", dict(ASK, body=body)),
                         "Moussa Diallo")
    assert "<script>alert" not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; <mark>Moussa Diallo</mark>" in page


def test_the_title_is_checked_too(app, user_client):
    data = dict(ASK, title="How to help Moussa Diallo, who sleeps at the market?", body=CLEAN)
    assert_warned(user_client().post_form("/questions/ask", data), "Moussa Diallo")
    assert count(app, Question) == 0


def test_the_warning_speaks_the_members_language(app, user_client):
    asker = user_client(locale="fr")
    page = html(asker.post_form("/questions/ask", dict(ASK, lang="fr")))
    assert 'class="guard"' in page and "<mark>06 12 34 56 78</mark>" in page


# -- answering, commenting, replying ----------------------------------------------------------

def test_an_answer_is_warned_then_posted_once_confirmed(app, user_client, seed, make_user):
    asker = make_user()
    question_id = seed.question(asker)
    answerer = user_client()
    url = f"/questions/{question_id}/answers"
    warned = answerer.post_form(url, {"body": CHILD})
    page = assert_warned(warned, "Moussa Diallo", "06 12 34 56 78")
    assert 'id="your-answer"' in page and count(app, Answer) == 0
    response = answerer.post_form(url, confirm({"body": CHILD}, warned))
    assert response.status_code == 302
    [answer_id] = [a.id for a in _all(app, Answer)]
    assert decisions(app) == [("answer", answer_id, 1, "phone address name")]


def test_a_comment_and_a_reply_are_warned_then_posted_once_confirmed(app, user_client, seed,
                                                                     make_user):
    question_id = seed.question(make_user())
    commenter = user_client()
    url = f"/questions/{question_id}/comments"
    body = "Call his uncle on 06 12 34 56 78 tonight."
    warned = commenter.post_form(url, {"body": body})
    assert_warned(warned, "06 12 34 56 78")
    assert count(app, Comment) == 0
    assert commenter.post_form(url, confirm({"body": body}, warned)).status_code == 302
    [comment_id] = [c.id for c in _all(app, Comment)]
    reply = {"body": "Moussa Diallo was there again.", "parent_id": str(comment_id)}
    warned = commenter.post_form(url, reply)
    page = assert_warned(warned, "Moussa Diallo")
    assert f'name="parent_id" type="hidden" value="{comment_id}"' in page
    assert count(app, Comment) == 1
    assert commenter.post_form(url, confirm(reply, warned)).status_code == 302
    reply_id = max(c.id for c in _all(app, Comment))
    assert decisions(app) == [("comment", comment_id, None, "phone"),
                              ("comment", reply_id, None, "name")]


def test_a_comment_with_bad_input_still_names_the_field(app, user_client, seed, make_user):
    question_id = seed.question(make_user())
    response = user_client().post_form(f"/questions/{question_id}/comments", {"body": "06"})
    assert response.status_code == 400 and field_error(html(response), "body")
    assert 'class="guard"' not in html(response)


# -- editing ----------------------------------------------------------------------------------

def test_an_edit_of_a_question_is_warned_then_saved_with_its_revision(app, user_client, seed):
    editor = user_client()
    question_id = seed.question(editor.username)
    url = f"/questions/{question_id}/edit"
    data = {"title": "How do I build trust with a child on the street?", "body": CHILD,
            "tags": "first-contact", "lang": "en", "summary": "More details"}
    warned = editor.post_edit(url, data)
    assert_warned(warned, "Moussa Diallo")
    assert count(app, Revision) == 1 and row(app, Question, question_id)["body"] != CHILD
    data["base_revision"] = re.search(r'name="base_revision" type="hidden" value="(\d+)"',
                                      html(warned)).group(1)
    response = editor.post_form(url, confirm(data, warned))
    assert response.status_code == 302
    assert row(app, Question, question_id)["body"] == CHILD
    assert decisions(app) == [("question", question_id, 2, "phone address name")]


def test_an_edit_summary_naming_a_child_is_checked_too(app, user_client, seed):
    editor = user_client()
    question_id = seed.question(editor.username)
    data = {"title": "How do I build trust with a child on the street?", "body": CLEAN,
            "tags": "first-contact", "lang": "en", "summary": "Added his uncle, 06 12 34 56 78"}
    assert_warned(editor.post_edit(f"/questions/{question_id}/edit", data), "06 12 34 56 78")
    assert count(app, Revision) == 1


def test_an_edit_of_an_answer_changed_after_the_warning_is_warned_again(app, user_client, seed,
                                                                       make_user):
    question_id = seed.question(make_user())
    editor = user_client()
    answer_id = seed.answer(editor.username, question_id)
    url = f"/answers/{answer_id}/edit"
    warned = editor.post_edit(url, {"body": CHILD})
    assert_warned(warned, "06 12 34 56 78")
    changed = {"body": CHILD.replace("06 12 34 56 78", "07 98 76 54 32")}
    again = editor.post_edit(url, confirm(changed, warned))
    assert_warned(again, "07 98 76 54 32")
    assert count(app, Revision, Revision.target_type == "answer") == 1
    assert editor.post_edit(url, confirm(changed, again)).status_code == 302
    assert decisions(app) == [("answer", answer_id, 2, "phone address name")]


def _all(app, model):
    from core.extensions import db
    with app.app_context():
        return db.session.query(model).order_by(model.id).all()


def test_a_tag_description_is_warned_then_saved_once_confirmed(app, user_client, seed,
                                                               make_user):
    seed.question(make_user(), tags="night-outreach")
    expert = user_client("expert")
    url = "/tags/night-outreach/edit"
    data = {"description": "For this tag: the boys around Moussa Diallo, who sleeps at the market."}
    warned = expert.post_form(url, data)
    assert_warned(warned, "Moussa Diallo")
    from forum.models import Tag
    assert count(app, Tag, Tag.description != "") == 0
    assert expert.post_form(url, confirm(data, warned)).status_code == 302
    [(target_type, _id, revision, kinds)] = decisions(app)
    assert (target_type, revision, kinds) == ("tag", None, "name")


def test_an_answer_is_read_in_its_threads_language_whatever_the_interface(app, make_user,
                                                                         user_client, seed):
    """A worker with a Khmer interface answers a French question in French: the French cues
    ("née le…", "derrière le marché") still warn, and nothing is saved."""
    question = seed.question(make_user(), title="Comment gagner la confiance d'une fille de "
                             "la rue ?", body="Une situation de terrain, décrite en assez de "
                             "mots pour passer.", lang="fr")
    khmer = user_client()
    khmer.environ_base["HTTP_ACCEPT_LANGUAGE"] = "km"
    response = khmer.post_form(f"/questions/{question}/answers", {
        "body": "Elle est née le 12 mars 2014 et dort derrière le marché central de Bamako."})
    assert response.status_code == 200 and "<mark>" in html(response)
    assert count(app, Answer) == 0


def test_restoring_a_version_with_a_childs_details_goes_through_the_guard(app, user_client,
                                                                        seed):
    """The author edits the details out, then restores the first version: it opens in the edit
    form with the warning instead of going public; confirming there saves it."""
    author = user_client()
    question = seed.question(author.username, title="How do I approach a boy at the market?",
                             body=CHILD)
    seed.edit_question(author.username, question, "How do I approach a boy at the market?",
                       body=CLEAN)
    warned = author.post_form(f"/questions/{question}/revisions/1/restore", {})
    page = assert_warned(warned, "Moussa Diallo")
    assert f'action="/questions/{question}/edit"' in page
    assert row(app, Question, question)["body"] == CLEAN
    edit = {"title": "How do I approach a boy at the market?", "body": CHILD,
            "tags": "first-contact", "lang": "en", "summary": "Restored revision 1",
            "base_revision": "2"}
    saved = author.post_form(f"/questions/{question}/edit", confirm(edit, warned))
    assert saved.status_code == 302
    assert row(app, Question, question)["body"] == CHILD

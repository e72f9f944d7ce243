""""Download everything I wrote": the member's own profile page offers a zip of their profile
(without password hash or session token), questions, answers and comments in data.json, and
each question and answer as Markdown. Their deleted and hidden posts are in it, marked;
redacted text never is; other people's hidden threads give no title; nobody downloads another
member's writing."""
import io
import json
import zipfile

import pytest

from core.accounts.services import get_user_by_username
from core.errors import NotFound
from core.extensions import db
from forum.services import comments, deletion, export, hiding, questions, redaction
from tests import factories
from tests.forum.conftest import html

SECRET_NAME = "Moussa Traore"


def _zip(data):
    archive = zipfile.ZipFile(io.BytesIO(data))
    return {name: archive.read(name).decode() for name in archive.namelist()}


# -- the service ------------------------------------------------------------------------------

def test_the_archive_holds_the_profile_and_every_post_as_data_and_markdown(ctx):
    author, other = factories.user("member", "aminata"), factories.user("member", "bilal")
    question = factories.question(author, title="Où dort une fille de douze ans ce soir ?",
                                  tags="night-shelter girls", lang="fr")
    mine = factories.answer(author, question.id, body="Call the night team first; " * 3)
    theirs = factories.question(other, title="How to talk with a boy who fled home?")
    on_theirs = factories.answer(author, theirs.id)
    comment = comments.post_comment(author, "A remark from the field.", question_id=theirs.id)
    name, data = export.member_archive(author, author, "https://carnets.example.org")
    assert name.startswith("carnets-aminata-") and name.endswith(".zip")
    files = _zip(data)
    assert sorted(files) == sorted([
        "data.json", f"questions/{question.id}-ou-dort-une-fille-de-douze-ans-ce-soir.md",
        f"answers/{mine.id}.md", f"answers/{on_theirs.id}.md"])
    content = json.loads(files["data.json"])
    profile = content["profile"]
    assert (profile["username"], profile["email"], profile["role"]) == (
        "aminata", "aminata@example.org", "member")
    for secret in ("password_hash", "session_token", "username_key", "display_name_key"):
        assert secret not in profile
    assert author.password_hash not in files["data.json"]
    assert author.session_token not in files["data.json"]
    assert [q["id"] for q in content["questions"]] == [question.id]
    entry = content["questions"][0]
    assert (entry["title"], entry["tags"], entry["status"], entry["deleted"], entry["hidden"]) == (
        question.title, ["girls", "night-shelter"], "open", False, False)
    assert entry["url"].startswith(f"https://carnets.example.org/questions/{question.id}/")
    assert [r["number"] for r in entry["revisions"]] == [1]
    assert [(a["id"], a["question_id"], a["question_title"]) for a in content["answers"]] == [
        (mine.id, question.id, question.title), (on_theirs.id, theirs.id, theirs.title)]
    assert [(c["id"], c["on"], c["question_id"], c["body"]) for c in content["comments"]] == [
        (comment.id, "question", theirs.id, "A remark from the field.")]
    markdown = files[f"questions/{question.id}-ou-dort-une-fille-de-douze-ans-ce-soir.md"]
    assert markdown.startswith(f"# {question.title}\n") and factories.BODY in markdown
    answer_md = files[f"answers/{on_theirs.id}.md"]
    assert f"[{theirs.title}](https://carnets.example.org/questions/{theirs.id}/" in answer_md
    # Nothing of the other member's own writing.
    assert "bilal@example.org" not in files["data.json"]


def test_own_deleted_and_hidden_posts_are_in_it_and_marked(ctx):
    author, moderator = factories.user("member"), factories.user("moderator")
    deleted = factories.question(author, title="A question I deleted myself later on")
    hidden = factories.question(author, title="A question a moderator hid from the list")
    deletion.delete_post(author, "question", deleted.id)
    hiding.hide_post(moderator, "question", hidden.id, "Identifies a child")
    content = export.member_data(author)
    states = {q["id"]: (q["deleted"], q["hidden"]) for q in content["questions"]}
    assert states == {deleted.id: (True, False), hidden.id: (False, True)}
    files = _zip(export.member_archive(author, author)[1])
    hidden_md = next(text for name, text in files.items() if name.startswith(
        f"questions/{hidden.id}-"))
    assert "- Hidden by a moderator: " in hidden_md


def test_redacted_text_never_reaches_the_archive(ctx):
    author, moderator = factories.user("member"), factories.user("moderator")
    question = factories.question(author, body=f"We met {SECRET_NAME} near the market. "
                                  + factories.BODY)
    questions.edit_question(author, question.id, question.title,
                            f"We met {SECRET_NAME} again. " + factories.BODY, "trust", "en")
    questions.edit_question(author, question.id, question.title, "Nothing identifying now. "
                            + factories.BODY, "trust", "en")
    answer = factories.answer(author, question.id, body=f"Ask {SECRET_NAME}'s aunt. "
                              + factories.BODY)
    comment = comments.post_comment(author, f"{SECRET_NAME} came back.", answer_id=answer.id)
    redaction.redact_revision(moderator, "question", question.id, 1, "Names a child")
    redaction.redact_passage(moderator, "answer", answer.id, SECRET_NAME, "Names a child")
    redaction.redact_passage(moderator, "question", question.id, SECRET_NAME, "Names a child")
    files = _zip(export.member_archive(author, author)[1])
    for name, text in files.items():
        assert "Moussa" not in text and "Traore" not in text, name
    content = json.loads(files["data.json"])
    revisions = content["questions"][0]["revisions"]
    assert [(r["number"], r["redacted"]) for r in revisions] == [(1, True), (2, False),
                                                                 (3, False)]
    assert "[redacted]" in content["answers"][0]["body"]
    assert [c["id"] for c in content["comments"]] == [comment.id]


def test_an_answer_in_a_thread_since_hidden_keeps_only_the_question_s_number(ctx):
    author, asker, moderator = (factories.user("member"), factories.user("member"),
                                factories.user("moderator"))
    question = factories.question(asker, title="Their thread, hidden by a moderator later")
    answer = factories.answer(author, question.id)
    comments.post_comment(author, "A remark on it.", question_id=question.id)
    hiding.hide_post(moderator, "question", question.id, "Identifies a child")
    files = _zip(export.member_archive(author, author)[1])
    assert "Their thread, hidden" not in "".join(files.values())
    content = json.loads(files["data.json"])
    assert (content["answers"][0]["question_id"], content["answers"][0]["question_title"],
            content["answers"][0]["url"]) == (question.id, None, None)
    assert content["comments"][0]["question_title"] is None
    assert f"question {question.id}, which is no longer on the site" in files[f"answers/{answer.id}.md"]


def test_nobody_downloads_another_member_s_writing(ctx):
    author, admin = factories.user("member"), factories.user("admin")
    factories.question(author)
    for viewer in (admin, factories.user("moderator"), factories.user("member")):
        with pytest.raises(NotFound):
            export.member_archive(viewer, author)


# -- the page ---------------------------------------------------------------------------------

def test_the_member_downloads_her_zip_from_her_profile(app, user_client, seed):
    member = user_client("member")
    question_id = seed.question(member.username, title="What helps a boy sleep on the street?")
    profile = html(member.get(f"/users/{member.username}"))
    assert f'action="/users/{member.username}/export"' in profile
    response = member.post_form(f"/users/{member.username}/export")
    assert response.status_code == 200 and response.mimetype == "application/zip"
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["Content-Disposition"].startswith(
        f'attachment; filename="carnets-{member.username}-')
    files = _zip(response.data)
    assert f"questions/{question_id}-what-helps-a-boy-sleep-on-the-street.md" in files
    content = json.loads(files["data.json"])
    assert content["questions"][0]["url"].startswith(f"http://localhost/questions/{question_id}/")


def test_no_download_of_someone_else_s_profile(app, client, user_client, make_user):
    author = make_user("member")
    for role in ("member", "moderator", "admin"):
        other = user_client(role)
        assert f"/users/{author}/export" not in html(other.get(f"/users/{author}"))
        assert other.post_form(f"/users/{author}/export").status_code == 404, role
    assert f"/users/{author}/export" not in html(client.get(f"/users/{author}"))
    response = client.post_form(f"/users/{author}/export")
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]


def test_the_download_needs_its_security_token_and_a_post(app, user_client):
    member = user_client("member")
    assert member.post(f"/users/{member.username}/export").status_code == 400
    assert member.get(f"/users/{member.username}/export").status_code == 405


def test_a_suspended_member_cannot_download(app, user_client, make_user):
    member = user_client("member")
    with app.app_context():
        from forum.services import members

        members.suspend_member(get_user_by_username(make_user("moderator")),
                               get_user_by_username(member.username), "1d", "Spam")
        db.session.remove()
    response = member.post_form(f"/users/{member.username}/export")
    assert response.status_code in (302, 400)
    assert response.mimetype != "application/zip"

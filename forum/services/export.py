""""Download everything I wrote": a member's profile, questions, answers and comments as one
zip, built in memory (a member's own writing is small): `data.json` with every field, and each
question and answer as a Markdown file (`questions/<id>-<slug>.md`, `answers/<id>.md`).

What is in it, and what is not:
- The profile without what opens the account (password hash, session token) and without the
  lookup keys the database derives from the names.
- Every question, answer and comment they wrote, their own deleted ones included (marked
  "deleted": a member may undelete them, so they are still theirs), and those a moderator hid
  (marked "hidden": it is their text, and they still read it on the site). Each with the
  versions of it that they saved (revisions), newest last.
- Never a redacted text: redaction overwrites the text in the database (the post, every
  revision, the comments), so what is read here is already the placeholder, and a redacted
  revision is marked "redacted".
- Of other people's posts, only what the member may see on the site: an answer on a question
  that was since deleted or hidden keeps its question's number, never its title.
"""
import io
import json
import zipfile

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from core.extensions import db
from core.revisions import Revision
from core.slugs import slugify
from core.timeutil import utcnow
from core.urls import path_for
from forum.models import Answer, Comment, Question
from forum.permissions import allow_export_data, can_see_post

FORMAT = "carnets-export-1"
PROFILE_FIELDS = ("id", "username", "display_name", "email", "role", "organisation", "country",
                  "locale", "languages", "bio", "created_at", "last_seen_at",
                  "suspended_until", "suspension_reason", "safeguarding_lead")


def _date(value):
    return value.isoformat(timespec="seconds") + "Z" if value is not None else None


def _profile(user):
    return {name: _date(value) if hasattr(value, "isoformat") else value
            for name in PROFILE_FIELDS for value in (getattr(user, name),)}


def _state(post):
    return {"deleted": post.is_deleted, "deleted_at": _date(post.deleted_at),
            "hidden": post.is_hidden, "hidden_at": _date(post.hidden_at)}


def _revisions(user, target_type, ids):
    """{post id: [the versions `user` saved, oldest first]} of the posts `ids`."""
    found = {}
    if not ids:
        return found
    for revision in db.session.scalars(
            select(Revision).where(Revision.target_type == target_type,
                                   Revision.target_id.in_(ids), Revision.editor_id == user.id)
            .order_by(Revision.target_id, Revision.number)):
        found.setdefault(revision.target_id, []).append({
            "number": revision.number, "created_at": _date(revision.created_at),
            "title": revision.title, "body": revision.body, "tags": revision.tags,
            "summary": revision.summary, "redacted": revision.redacted_at is not None})
    return found


def _question_link(question, base):
    return base + path_for("forum.question", question_id=question.id,
                           slug=slugify(question.title))


def member_data(user, base=""):
    """Everything `user` wrote, as the dict written to data.json (its keys are data and stay
    English; the Markdown files speak the language of the page that asked); `base` is the
    site's address the links start with ("" for site-relative links)."""
    questions = db.session.scalars(
        select(Question).where(Question.author_id == user.id)
        .options(selectinload(Question.tags)).order_by(Question.id)).all()
    answers = db.session.scalars(
        select(Answer).where(Answer.author_id == user.id)
        .options(selectinload(Answer.question)).order_by(Answer.id)).all()
    comments = db.session.scalars(
        select(Comment).where(Comment.author_id == user.id)
        .options(selectinload(Comment.thread)).order_by(Comment.id)).all()
    question_versions = _revisions(user, "question", [q.id for q in questions])
    answer_versions = _revisions(user, "answer", [a.id for a in answers])

    def thread(question):
        """The thread as the member may see it: its title and address, or its number only."""
        if can_see_post(user, question):
            return {"question_id": question.id, "question_title": question.title,
                    "url": _question_link(question, base)}
        return {"question_id": question.id, "question_title": None, "url": None}

    return {
        "format": FORMAT,
        "exported_at": _date(utcnow()),
        "profile": _profile(user),
        "questions": [dict(
            id=q.id, title=q.title, body=q.body, lang=q.lang, tags=[t.name for t in q.tags],
            status=q.status, score=q.score, answer_count=q.answer_count,
            created_at=_date(q.created_at), edited_at=_date(q.edited_at),
            url=_question_link(q, base), revisions=question_versions.get(q.id, []),
            **_state(q)) for q in questions],
        "answers": [dict(
            id=a.id, body=a.body, score=a.score, accepted=a.question.accepted_answer_id == a.id,
            created_at=_date(a.created_at), edited_at=_date(a.edited_at),
            revisions=answer_versions.get(a.id, []), **thread(a.question), **_state(a))
            for a in answers],
        "comments": [dict(
            id=c.id, body=c.body, on="answer" if c.answer_id else "question",
            answer_id=c.answer_id, parent_id=c.parent_id, created_at=_date(c.created_at),
            **thread(c.thread), **_state(c)) for c in comments],
    }


def _status_lines(post):
    lines = ["- " + _("Created: %(date)s", date=post["created_at"])]
    if post.get("edited_at"):
        lines.append("- " + _("Edited: %(date)s", date=post["edited_at"]))
    if post["deleted"]:
        lines.append("- " + _("Deleted: %(date)s", date=post["deleted_at"]))
    if post["hidden"]:
        lines.append("- " + _("Hidden by a moderator: %(date)s", date=post["hidden_at"]))
    return lines


def _question_markdown(question):
    lines = [f"# {question['title']}", ""]
    lines += _status_lines(question)
    if question["tags"]:
        lines.append("- " + _("Tags: %(tags)s", tags=", ".join(question["tags"])))
    lines.append("- " + _("Address: %(url)s", url=question["url"]))
    return "\n".join(lines + ["", question["body"], ""])


def _answer_markdown(answer):
    if answer["url"]:
        head = _("Answer to [%(title)s](%(url)s)", title=answer["question_title"],
                 url=answer["url"])
    else:
        head = _("Answer to question %(number)s, which is no longer on the site",
                 number=answer["question_id"])
    lines = [f"# {head}", ""] + _status_lines(answer)
    return "\n".join(lines + ["", answer["body"], ""])


def member_archive(viewer, member, base=""):
    """(file name, bytes of the zip) of everything `member` wrote, for `member` alone
    (NotFound for anyone else)."""
    allow_export_data(viewer, member)
    data = member_data(member, base)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("data.json", json.dumps(data, ensure_ascii=False, indent=2))
        for question in data["questions"]:
            name = f"questions/{question['id']}-{slugify(question['title'], 60)}.md"
            archive.writestr(name, _question_markdown(question))
        for answer in data["answers"]:
            archive.writestr(f"answers/{answer['id']}.md", _answer_markdown(answer))
    day = utcnow().strftime("%Y-%m-%d")
    return f"carnets-{member.username}-{day}.zip", buffer.getvalue()

"""The forum's part of the demo: questions with their answers, comments and votes, spread over
past weeks, and the descriptions of the tags (core.demo runs the parts in order)."""
from datetime import timedelta

from core import demo
from core.errors import NotFound
from core.extensions import db
from core.revisions import list_revisions
from core.timeutil import utcnow
from forum.services import answers, comments, flags, queries, questions, threads, votes
from forum.services import tags as tag_service

QUESTIONS = 30
# After the questions: the flags point at their posts.
FLAGS = 40
# Last: articles use tags too, and a tag gets its description once something uses it.
TAG_DESCRIPTIONS = 90


def load_questions(run):
    """Create the demo questions (run.created["questions"]: their ids, in the content's
    order) and count what was posted."""
    data, users = run.data, run.created["users"]
    start = utcnow() - timedelta(days=2 * len(data["questions"]) + 5)
    run.counts.update(questions=0, answers=0, comments=0, votes=0)
    ids = run.created["questions"] = []
    for index, spec in enumerate(data["questions"]):
        moment = start + timedelta(days=2 * index, hours=index % 9)
        ids.append(_load_question(spec, users, moment, run.counts))


def _load_question(spec, users, moment, counts):
    question = questions.ask_question(users[spec["author"]], spec["title"], spec["body"],
                                      " ".join(spec["tags"]), spec["lang"])
    _backdate(question, moment)
    latest = moment
    counts["questions"] += 1
    _load_comments(spec.get("comments", []), users, moment, counts, question_id=question.id)
    _load_votes(spec.get("votes", {}), users, "question", question.id, counts)
    for number, answer_spec in enumerate(spec.get("answers", []), start=1):
        answer = answers.post_answer(users[answer_spec["author"]], question.id, answer_spec["body"])
        answer_moment = moment + timedelta(hours=3 * number)
        _backdate(answer, answer_moment)
        counts["answers"] += 1
        _load_comments(answer_spec.get("comments", []), users, answer_moment, counts,
                       answer_id=answer.id)
        _load_votes(answer_spec.get("votes", {}), users, "answer", answer.id, counts)
        if answer_spec.get("accepted"):
            answers.accept_answer(users[spec["author"]], answer.id)
        latest = answer_moment
    # Posting comments and accepting stamp "now": put the activity back in the demo's past.
    question.last_activity_at = latest + timedelta(hours=2)
    db.session.commit()
    return question.id


def _load_comments(specs, users, moment, counts, question_id=None, answer_id=None,
                   parent_id=None):
    for offset, spec in enumerate(specs, start=1):
        comment = comments.post_comment(users[spec["author"]], spec["body"],
                                        question_id=question_id, answer_id=answer_id,
                                        parent_id=parent_id)
        _backdate(comment, moment + timedelta(minutes=40 * offset))
        counts["comments"] += 1
        _load_comments(spec.get("replies", []), users, moment + timedelta(hours=1), counts,
                       parent_id=comment.id)


def _load_votes(spec, users, post_type, post_id, counts):
    for value, key in ((1, "up"), (-1, "down")):
        for username in spec.get(key, []):
            votes.vote(users[username], post_type, post_id, value)
            counts["votes"] += 1


def _backdate(post, moment):
    """Spread the demo over past weeks so that lists and dates look like a living forum."""
    post.created_at = moment
    if hasattr(post, "last_activity_at"):
        post.last_activity_at = moment
    for revision in list_revisions(post.post_type, post.id):
        revision.created_at = moment
    db.session.commit()


def load_flags(run):
    """Two open flags, so that the moderators' queue (/moderation) has something to decide:
    one member's "identifies a child" (a second member's would hide the post at once) and a
    "spam"."""
    users, ids = run.created["users"], run.created["questions"]
    if len(ids) < 5:
        return
    answer = next(iter(threads.get_question(ids[1]).answers), None)
    if answer is not None:
        flags.flag_post(users["youssef_benali"], "answer", answer.id, "identifies_child",
                        "Le prénom et le quartier permettent de reconnaître l'enfant.")
    flags.flag_post(users["nadege_okemba"], "question", ids[4], "spam")
    run.counts["flags"] = 2 if answer is not None else 1


def load_tag_descriptions(run):
    """The tag wiki of the demo's tags."""
    descriptions = {spec["name"]: (spec.get("description", ""), spec.get("lang", "en"))
                    for spec in run.data.get("tags", [])}
    for name, (description, lang) in descriptions.items():
        try:
            tag_service.update_tag_description(tag_service.get_tag(name), description, lang)
        except NotFound:
            pass  # a tag no demo question uses


def init_app(app):
    """Add the questions and the tag descriptions to the demo."""
    demo.add_part(app, QUESTIONS, load_questions,
                  present=lambda: bool(queries.count_questions()))
    demo.add_part(app, FLAGS, load_flags)
    demo.add_part(app, TAG_DESCRIPTIONS, load_tag_descriptions)

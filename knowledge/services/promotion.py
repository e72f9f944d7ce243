"""Promotion: an expert turns a thread's best answers into a draft good-practice article that
credits every voice it draws from and links back to the discussion."""
from sqlalchemy import select

from core.errors import InvalidInput
from core.extensions import db
from core.i18n import lazy_gettext as _l
from core.transactions import transactional
from forum.services import threads
from knowledge import permissions
from knowledge.services import drafting, editing
from knowledge.models import Article, Module, Notebook, question_module


def existing_article(question_id):
    """The article already promoted from this thread (any status but archived), or None."""
    return db.session.scalar(
        select(Article).where(Article.source_question_id == question_id,
                              Article.status != "archived").order_by(Article.id).limit(1))


def candidates(user, question_id):
    """(question, live answers (neither deleted nor hidden), ids preselected): the accepted
    answer, else the best one.
    Raises Forbidden unless `user` may promote the thread."""
    question = threads.get_question(question_id, user)
    permissions.allow_promote(user, question)
    answers = sorted((a for a in question.answers if a.is_live),
                     key=lambda a: (a.id != question.accepted_answer_id, -a.score, a.id))
    preselected = [answers[0].id] if answers else []
    return question, answers, preselected


@transactional
def promote(user, question_id, answer_ids):
    """Create the draft article of a thread, or return the one that exists.

    Returns (article, created). The answers' authors are credited first, then the asker. Two
    experts promoting at once both get the one draft. Who may promote is checked once, by
    `candidates`.
    """
    question, answers, _preselected = candidates(user, question_id)
    # Two experts promoting at once: the second waits here, then finds the first one's draft.
    threads.lock_question(question.id)
    found = existing_article(question.id)
    if found is not None:
        return found, False
    by_id = {answer.id: answer for answer in answers}
    chosen = [by_id[i] for i in dict.fromkeys(int(i) for i in answer_ids or ()) if i in by_id]
    if not chosen:
        raise InvalidInput(_l("Choose at least one answer to promote."), field="answers")
    credits = []
    for answer in chosen:
        if answer.author_id not in [user_id for user_id, _a in credits]:
            credits.append((answer.author_id, answer.id))
    if question.author_id not in [user_id for user_id, _a in credits]:
        credits.append((question.author_id, None))
    # The thread's modules in its own language only: an article links to no other (a thread
    # in a language without a notebook of its own is linked to English modules).
    module_ids = db.session.scalars(
        select(question_module.c.module_id)
        .join(Module, Module.id == question_module.c.module_id)
        .join(Notebook, Notebook.id == Module.notebook_id)
        .where(question_module.c.question_id == question.id,
               Notebook.lang == question.lang)).all()
    # The draft is written in the article's language, not in the promoting expert's.
    text = editing.ArticleText(
        title=question.title if len(question.title) >= editing.TITLE_LENGTH[0]
        else drafting.draft_title(question.title, question.lang),
        summary="", body=drafting.draft_body(question, chosen, question.lang),
        tags=question.tag_names, lang=question.lang, module_ids=module_ids)
    article = editing.add_draft(
        user, text, source_question_id=question.id, contributors=credits,
        edit_summary=str(_l("Promoted from the discussion")))
    db.session.commit()
    return article, True

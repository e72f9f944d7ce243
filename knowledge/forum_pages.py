"""What knowledge adds to forum's pages through core.hooks, so that forum never names a
knowledge endpoint: "Promoted to: <article>" on a thread, "Promote to good practice" for
curators, and the training module a question is asked about."""
from flask import url_for

from core.hooks import Badge, Link, Note
from core.i18n import lazy_gettext as _l
from knowledge import permissions
from knowledge.services import articles, notebooks


def promoted_badges(question, answers, viewer):
    """The published articles promoted from the thread."""
    return [Badge(_l("Promoted to:"), article.title,
                  url_for("knowledge.article", slug=article.slug), lang=article.lang,
                  css_class="promoted")
            for article in articles.published_for_question(question.id)]


def promote_action(question, answers, viewer):
    """"Promote to good practice", for curators, on a live thread with a live answer."""
    if (not permissions.can_promote(viewer, question)
            or not any(answer.is_live for answer in answers)):
        return []
    return [Link(_l("Promote to good practice"),
                 url_for("knowledge.promote", question_id=question.id))]


def module_note(context):
    """The training module a question is asked about ("Ask a question about this module")."""
    label = notebooks.module_label(context.get("module")) if context.get("module") else ""
    return [Note(_l("About the training module:"), label)] if label else []

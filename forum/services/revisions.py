"""Restoring an old version of a question or an answer (core.revisions keeps the versions)."""
from core.accounts.permissions import is_author, is_moderator
from core.audit.services import record
from core.errors import InvalidInput, NotFound
from core.extensions import db
from core.i18n import lazy_gettext as _l
from core.revisions import get_revision
from core.transactions import transactional
from forum.permissions import allow_edit
from forum.services.answers import apply_answer_text
from forum.services.questions import apply_question_text
from forum.services.threads import get_post


@transactional
def restore_revision(editor, post_type, post_id, number):
    """Make an old version current again, as a new revision that says so."""
    post = get_post(post_type, post_id, editor)
    allow_edit(editor, post)
    revision = get_revision(post_type, post.id, number)
    if revision is None:
        raise NotFound()
    if revision.redacted_at is not None:
        raise InvalidInput(_l("A redacted revision cannot be restored."))
    summary = str(_l("Restored revision %(n)s", n=number))
    if post_type == "question":
        apply_question_text(post, editor, revision.title, revision.body,
                            (revision.tags or "").split(), revision.lang or post.lang, summary)
    else:
        apply_answer_text(post, editor, revision.body, summary)
    if is_moderator(editor) and not is_author(editor, post):
        record(editor, "restore_revision", post_type, post.id, details={"revision": number})
    db.session.commit()
    return post

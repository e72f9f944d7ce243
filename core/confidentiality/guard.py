"""The guard's form flow: before a post is saved, its texts are checked with `find`; when
something could identify a child, the author sees the form again with the matches highlighted
and chooses to edit or to confirm (issue 15).

Generic: a view gives the texts of its form and its content language; this module knows no
package's tables. A confirmation counts only for the texts the author was shown: the page
carries a fingerprint of them, and a changed text (or a forged fingerprint) is checked again.
The author's decision is written in the transaction of the service that saves the post
(`recording`), never in a separate commit.
"""
import hashlib
import hmac
import json
from contextlib import contextmanager
from dataclasses import dataclass, field

from flask import current_app, request
from markupsafe import Markup, escape
from sqlalchemy import event

from core.confidentiality.detector import KINDS, find, without_overlaps
from core.confidentiality.models import GuardDecision
from core.extensions import db
from core.i18n import lazy_gettext as _l
from core.i18n import select_locale
from core.revisions import Revision

# Names of what the guard adds to a form (field names are public: keep them).
CONFIRM = "guard_confirm"
FINGERPRINT = "guard_fingerprint"

KIND_LABELS = {
    "phone": _l("a phone number"),
    "email": _l("an e-mail address"),
    "birth_date": _l("an exact date of birth"),
    "address": _l("an address or a precise place"),
    "id_number": _l("an identity or case number"),
    "name": _l("a person's name"),
}
KIND_ADVICE = {
    "name": _l("Instead of a name, write initials or who the person is: “a boy of 12”, "
               "“his uncle”."),
    "birth_date": _l("Instead of a date of birth, give an age: “about 12 years old”."),
    "address": _l("Instead of a street, a building or a landmark, name the neighbourhood or "
                  "the town."),
    "phone": _l("Remove phone numbers and e-mail addresses: a colleague who needs them can "
                "ask you privately."),
    "email": _l("Remove phone numbers and e-mail addresses: a colleague who needs them can "
                "ask you privately."),
    "id_number": _l("Remove identity, file and case numbers."),
}
# A text longer than this is shown as excerpts around what was found.
WHOLE_TEXT = 600
CONTEXT = 80


@dataclass(frozen=True)
class CheckedField:
    """One text of the form as checked: its field name, label, text and matches."""
    name: str
    label: str
    text: str
    matches: tuple

    @property
    def html(self):
        """The text, escaped, with each match in <mark> (excerpts when it is long)."""
        return highlight(self.text, self.matches)


@dataclass
class GuardCheck:
    """What the guard found in a form's texts and what the author decided.

    `warn`: show the warning and save nothing. `confirmed_kinds`: the kinds to record with
    the post (empty when nothing was found or when the author did not confirm)."""
    fields: tuple
    fingerprint: str
    confirmed: bool = False
    lang: str = "en"
    found: tuple = field(init=False)

    def __post_init__(self):
        self.found = tuple(f for f in self.fields if f.matches)

    @property
    def kinds(self):
        """The kinds found, in the order of KINDS."""
        present = {m.kind for f in self.found for m in f.matches}
        return tuple(kind for kind in KINDS if kind in present)

    @property
    def warn(self):
        return bool(self.found) and not self.confirmed

    @property
    def confirmed_kinds(self):
        return self.kinds if self.found and self.confirmed else ()

    def kind_labels(self):
        return [KIND_LABELS[kind] for kind in self.kinds]

    def advice(self):
        """One piece of advice per kind found, each said once."""
        seen = []
        for kind in self.kinds:
            if KIND_ADVICE[kind] not in seen:
                seen.append(KIND_ADVICE[kind])
        return seen


def _normal(text):
    # Browsers send a textarea's line ends as CRLF; what the author saw is the same text.
    return (text or "").replace("\r\n", "\n").replace("\r", "\n").strip()


def fingerprint(texts, lang, user_id=None):
    """A keyed hash of the exact texts checked (a list of (name, text)), their language and
    their author: any change to one of them gives another fingerprint."""
    payload = json.dumps([user_id, lang, [[name, _normal(text)] for name, text in texts]],
                         ensure_ascii=False, separators=(",", ":"))
    key = str(current_app.config["SECRET_KEY"]).encode() + b"/confidentiality-guard"
    return hmac.new(key, payload.encode(), hashlib.sha256).hexdigest()


def check(texts, lang, user_id=None, confirmation=None, labels=None, known=()):
    """Check texts (a list of (field name, text)) written in `lang`.

    `confirmation`: the fingerprint the author confirmed, or None; it counts only when it is
    the fingerprint of these very texts. `labels`: field name → label shown in the warning.
    `known`: names the site itself wrote in the text (the members an article credits), never
    a child's: a match inside one of them is left out.
    """
    labels = labels or {}
    known = [_words(k) for k in known if k]
    # Several languages: the post's, and the author's own when it differs (a worker with a
    # Khmer interface writes a French answer, or the other way round): each table's cues.
    langs = (lang,) if isinstance(lang, str) else tuple(dict.fromkeys(lang))
    lang = langs[0]
    fields = tuple(CheckedField(name, str(labels.get(name, name)), text or "",
                                tuple(m for m in _found(text or "", langs)
                                      if not any(_words(m.text) <= k for k in known)))
                   for name, text in texts)
    print_ = fingerprint(texts, lang, user_id)
    confirmed = bool(confirmation) and hmac.compare_digest(str(confirmation), print_)
    return GuardCheck(fields, print_, confirmed, lang)


def _found(text, langs):
    if len(langs) == 1:
        return find(text, langs[0])
    return without_overlaps([m for lang in langs for m in find(text, lang)], text)


def _words(text):
    return frozenset(text.casefold().split())


def check_form(form, names, lang=None, user=None, known=()):
    """Check the fields `names` of a submitted form, in `lang` (the content language; the
    user's interface language when the form has none). The author confirmed when the request
    carries the confirm button and the fingerprint of these texts."""
    interface = select_locale()
    lang = (lang, interface) if lang and lang != interface else (lang or interface)
    texts = [(name, form[name].data or "") for name in names]
    labels = {name: form[name].label.text for name in names}
    confirmation = request.form.get(FINGERPRINT) if request.form.get(CONFIRM) else None
    user_id = getattr(user, "id", None)
    return check(texts, lang, user_id, confirmation, labels, known)


def highlight(text, matches, whole=WHOLE_TEXT, context=CONTEXT):
    """`text` as escaped HTML with each match wrapped in <mark>. Everything from the author
    is escaped; a long text is cut to excerpts around the matches, joined by "…"."""
    matches = sorted(matches, key=lambda m: m.start)
    if len(text) <= whole:
        windows = [(0, len(text))]
    else:
        windows = []
        for m in matches:
            start, end = max(0, m.start - context), min(len(text), m.end + context)
            if windows and start <= windows[-1][1]:
                windows[-1] = (windows[-1][0], max(end, windows[-1][1]))
            else:
                windows.append((start, end))
    parts = []
    for start, end in windows:
        if start > 0:
            parts.append(Markup("… "))
        position = start
        for m in matches:
            if m.start < start or m.end > end or m.start < position:
                continue
            parts.append(escape(text[position:m.start]))
            parts.append(Markup("<mark>%s</mark>") % text[m.start:m.end])
            position = m.end
        parts.append(escape(text[position:end]))
        if end < len(text):
            parts.append(Markup(" …"))
    return Markup("").join(parts)


def record_decision(user, target_type, target_id, revision_number, kinds):
    """Add the author's confirmation to the current transaction (the caller commits): the
    kinds found, never the matched text. None when there is nothing to record."""
    if not kinds:
        return None
    decision = GuardDecision(target_type=target_type, target_id=target_id,
                             revision_number=revision_number, user_id=user.id,
                             decision="confirmed", kinds=" ".join(kinds))
    db.session.add(decision)
    return decision


# While a posting service runs inside `recording`, the post it inserts (or the revision it
# adds to an existing post) is noted at flush, and the decision is added before its commit.
_PENDING = "carnets.guard_pending"


@dataclass
class _Pending:
    user: object
    target_type: str
    kinds: tuple
    target_id: int | None
    found_id: int | None = None
    revision: int | None = None
    decision: GuardDecision | None = None


@contextmanager
def recording(check_, user, target_type, target_id=None):
    """Run a posting service inside this block: when the author confirmed findings, their
    decision is written in that service's transaction, with the post it saved.

    `target_type`: the post's table ("question", "answer", "comment", "article", "module");
    `target_id`: the post's id when it exists already (an edit), else the row it inserts."""
    kinds = check_.confirmed_kinds if check_ is not None else ()
    if not kinds:
        yield
        return
    info = db.session.info
    info[_PENDING] = _Pending(user, target_type, tuple(kinds), target_id)
    try:
        yield
    finally:
        info.pop(_PENDING, None)


def _after_flush(session, _context):
    pending = session.info.get(_PENDING)
    if pending is None:
        return
    for obj in session.new:
        table = getattr(obj, "__tablename__", None)
        if table == pending.target_type and pending.target_id is None and \
                pending.found_id is None:
            pending.found_id = obj.id
    for obj in session.new:
        if isinstance(obj, Revision) and obj.target_type == pending.target_type and \
                obj.target_id == (pending.target_id or pending.found_id):
            # The newest, when a service keeps the text before a first edit too.
            pending.revision = max(pending.revision or 0, obj.number)


def _before_commit(session):
    pending = session.info.get(_PENDING)
    if pending is None or (pending.decision is not None and pending.decision in session):
        return
    session.flush()
    target = pending.target_id or pending.found_id
    if target is None:
        return  # this commit did not save the post (the service commits it later)
    pending.decision = record_decision(pending.user, pending.target_type, target,
                                       pending.revision, pending.kinds)


def _after_rollback(session, *_previous):
    # A retried service inserts its post again: forget what the failed attempt flushed.
    pending = session.info.get(_PENDING)
    if pending is not None:
        pending.found_id = pending.revision = pending.decision = None


def listen(session_factory):
    """Attach the hooks of `recording` to the sessions of the application (once)."""
    for name, hook in (("after_flush", _after_flush), ("before_commit", _before_commit),
                       ("after_rollback", _after_rollback)):
        if not event.contains(session_factory, name, hook):
            event.listen(session_factory, name, hook)

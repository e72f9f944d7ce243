"""Writing good-practice articles: the checked text of the article form, creating a draft,
editing with revisions (a change to a published article waits for review), restoring an old
revision. Only curators (experts and admins) write (knowledge.permissions)."""
import re

from babel import Locale
from sqlalchemy import select

from core import pagecache
from core.accounts.models import User
from core.config import LANGUAGES
from core.errors import InvalidInput, NotFound
from core.extensions import db
from core.i18n import lazy_gettext as _l
from core.notifications import services as notifications
from core.revisions import add_revision, check_base, get_revision, latest_revision
from core.timeutil import utcnow
from core.transactions import transactional
from core.validation import check_length
from forum.services import threads
from forum.services import tags as tag_service
from knowledge import permissions
from knowledge.models import Article, ArticleContributor, Module
from knowledge.services import redaction, review
from knowledge.services.articles import PUBLISHED_SCOPE, get_article, render_body
from knowledge.services.articles import unique_slug
from search_index import indexing

TITLE_LENGTH = (10, 200)
SUMMARY_LENGTH = (0, 600)
BODY_LENGTH = (50, 60000)
EDIT_SUMMARY_LENGTH = 200
COUNTRY_RE = re.compile(r"^[A-Z]{2}$")


def changed(article):
    """The article's search document, the feed of published articles, and the page of the
    thread it was promoted from (which names it: "Promoted to: <title>"), change with this
    transaction."""
    indexing.enqueue("article", article.id)
    pagecache.changed(PUBLISHED_SCOPE)
    if article.source_question_id:
        threads.thread_changed(article.source_question_id)


def parse_countries(text):
    """'ma, CD pe' -> 'CD MA PE' (ISO 3166 codes Babel knows); raises InvalidInput."""
    codes = []
    territories = Locale("en").territories
    for raw in re.split(r"[\s,;]+", (text or "").strip()):
        code = raw.upper()
        if not code:
            continue
        if not COUNTRY_RE.match(code) or code not in territories:
            raise InvalidInput(_l("“%(code)s” is not a country code: use two letters, such as "
                                  "MA, CD or PE.", code=raw[:10]), field="countries")
        if code not in codes:
            codes.append(code)
    return " ".join(sorted(codes))


def _modules(module_ids):
    ids = sorted({int(i) for i in module_ids or ()})
    if not ids:
        return []
    modules = db.session.scalars(select(Module).where(Module.id.in_(ids))).all()
    if len(modules) != len(ids):
        raise InvalidInput(_l("Choose modules from the list."), field="modules")
    return modules


def _same_language(modules, lang):
    """An article links only to modules of notebooks in its own language: a French article on
    an English module would be missing from the French notebook (and its offline bundle)."""
    for module in modules:
        if module.notebook.lang != lang:
            raise InvalidInput(_l("“%(module)s” belongs to a notebook in another language: "
                                  "link the article only to modules of notebooks in its own "
                                  "language.", module=module.label), field="modules")


def _fields(article):
    return {"summary": article.summary, "countries": article.countries,
            "modules": [module.id for module in article.modules]}


def record_revision(article, editor, summary, base=None):
    """A revision of the article as its row stands (in the caller's transaction)."""
    # `base` numbers the revision after the one the editor started from: two saves from one
    # base collide on the unique number (see core.revisions.add_revision).
    return add_revision("article", article.id, editor, article.body, title=article.title,
                        tags=article.tag_names, lang=article.lang, summary=summary,
                        fields=_fields(article), base=base)


def _translation_root(article_id):
    if not article_id:
        return None
    original = db.session.get(Article, int(article_id))
    if original is None:
        raise InvalidInput(_l("Choose the article this one translates from the list."),
                           field="translation_of")
    return original.translation_of_id or original.id


class ArticleText:
    """What a curator types in the article form, checked; raises InvalidInput."""

    def __init__(self, title, summary, body, tags, lang, countries="", module_ids=(),
                 review_by=None, translation_of=None):
        self.title = check_length(title, TITLE_LENGTH, "title")
        self.summary = check_length(summary, SUMMARY_LENGTH, "summary")
        self.body = check_length(body, BODY_LENGTH, "body")
        self.tags = tag_service.parse_tags(tags)
        if lang not in LANGUAGES:
            raise InvalidInput(_l("Choose the language the article is written in."),
                               field="lang")
        self.lang = lang
        self.countries = parse_countries(countries)
        self.modules = _modules(module_ids)
        _same_language(self.modules, lang)
        self.review_by = review_by
        self.translation_root = _translation_root(translation_of)


def _apply(article, text):
    article.lang, article.countries = text.lang, text.countries
    article.tags = tag_service.get_or_create_tags(text.tags)
    article.modules = text.modules
    if text.review_by is not None:
        article.review_by = text.review_by
    root = text.translation_root
    if root == article.id:
        root = None
    # Before the text: the translation group names the threads whose deleted posts it scrubs.
    article.translation_of_id = root
    article.title, article.summary, article.body = redaction.scrub(
        article, text.title, text.summary, text.body)
    article.body_html = render_body(article.body)
    article.updated_at = utcnow()


@transactional
def create_article(user, text, edit_summary=""):
    """A new draft curated by `user`; raises Forbidden unless they write articles."""
    permissions.allow_curate(user)
    article = add_draft(user, text, edit_summary=edit_summary)
    db.session.commit()
    return article


def add_draft(user, text, source_question_id=None, contributors=(), edit_summary=""):
    """A new draft curated by `user`, in the caller's transaction: the caller checked that
    `user` may write it (create_article, or promotion). `contributors` are (user_id,
    answer_id) credits."""
    article = Article(slug=unique_slug(text.title), curator=user, status="draft",
                      source_question_id=source_question_id, title="", body="", body_html="",
                      lang=text.lang)
    db.session.add(article)
    _apply(article, text)
    for position, (user_id, answer_id) in enumerate(contributors):
        article.contributors.append(ArticleContributor(
            user_id=user_id, source_answer_id=answer_id, position=position))
    db.session.flush()
    record_revision(article, user, edit_summary or str(_l("Draft created")))
    changed(article)
    return article


def _editable(user, slug):
    # The writer first: a member learns nothing of a draft, not even that it is archived.
    permissions.allow_curate(user)
    article = get_article(slug, user)
    permissions.allow_edit_article(user, article)
    return article


def _version(title, summary, body, tags, lang, countries, module_ids):
    """The columns of a revision for one version of an article."""
    return {"title": title, "body": body, "tags": " ".join(tags), "lang": lang,
            "fields": {"summary": summary, "countries": countries,
                       "modules": list(module_ids)}}


def _text_version(text):
    return _version(text.title, text.summary, text.body, text.tags, text.lang, text.countries,
                    [module.id for module in text.modules])


def _revision_version(revision):
    fields = revision.fields or {}
    return _version(revision.title, fields.get("summary", ""), revision.body,
                    (revision.tags or "").split(), revision.lang, fields.get("countries", ""),
                    fields.get("modules", []))


def _same(one, other):
    def key(version):
        fields = version["fields"]
        return (version["title"], version["body"], sorted(version["tags"].split()),
                version["lang"], fields["summary"], fields["countries"],
                sorted(fields["modules"]))
    return key(one) == key(other)


def working_version(article):
    """(version, base): what the edit form starts from and the revision number it is based
    on. A published article with a change awaiting review is edited from that change."""
    latest = latest_revision("article", article.id)
    if latest is not None and review.pending_change(article) is not None:
        return _revision_version(latest), latest.number
    version = _version(article.title, article.summary, article.body,
                       article.tag_names.split(), article.lang, article.countries,
                       [module.id for module in article.modules])
    return version, latest.number if latest is not None else 0


def _propose(article, editor, version, summary, base=None):
    """A change to a published article: a revision that waits for review, the row (what
    readers see) untouched. The first change since publication tells the experts who may
    review it ("review_waiting"); later ones join the same review."""
    waiting = review.pending_change(article) is not None
    fields = dict(version["fields"])
    title, fields["summary"], body = redaction.scrub(article, version["title"],
                                                     fields["summary"], version["body"])
    add_revision("article", article.id, editor, body, title=title, tags=version["tags"],
                 lang=version["lang"], summary=summary, fields=fields, base=base)
    article.review_comment = ""
    if not waiting:
        db.session.flush()
        for reviewer_id in possible_reviewers(article):
            notifications.notify(reviewer_id, "review_waiting", article, actor=editor)


def possible_reviewers(article):
    """Ids of the curators (experts and administrators) who may review the article's text now
    (permissions.allow_review), suspended ones included: they read it when they come back."""
    curators = db.session.scalars(select(User).where(User.role.in_(("expert", "admin")))
                                  .order_by(User.id)).all()
    return [curator.id for curator in curators if permissions.can_review(curator, article)]


def _apply_meta(article, text):
    """Re-verification date and translation link: bookkeeping, not text, so never reviewed."""
    before = (article.review_by, article.translation_of_id)
    if text.review_by is not None:
        article.review_by = text.review_by
    root = text.translation_root
    article.translation_of_id = None if root == article.id else root
    return before != (article.review_by, article.translation_of_id)


@transactional
def edit_article(user, slug, text, edit_summary="", base_revision=None):
    """Save a new version; the previous one stays in the history. On a published article
    the version is a change awaiting review. Raises EditConflict when `base_revision` (the
    version the form was opened on) is no longer the newest."""
    article = _editable(user, slug)
    check_base("article", article.id, base_revision)
    summary = (edit_summary or "").strip()[:EDIT_SUMMARY_LENGTH]
    if article.status == "published":
        current, _base = working_version(article)
        meta_changed = _apply_meta(article, text)
        if _same(current, _text_version(text)):
            if not meta_changed:
                db.session.rollback()
                raise InvalidInput(_l("Nothing was changed."))
        else:
            _propose(article, user, _text_version(text), summary, base=base_revision)
        db.session.commit()
        return article
    before = (article.title, article.summary, article.body, article.tag_names, article.lang,
              article.countries, [m.id for m in article.modules], article.review_by,
              article.translation_of_id)
    _apply(article, text)
    after = (article.title, article.summary, article.body, article.tag_names, article.lang,
             article.countries, [m.id for m in article.modules], article.review_by,
             article.translation_of_id)
    if before == after:
        db.session.rollback()
        raise InvalidInput(_l("Nothing was changed."))
    record_revision(article, user, summary, base=base_revision)
    changed(article)
    db.session.commit()
    return article


def apply_revision(article, revision):
    """Make the row (what the article shows) say what `revision` says."""
    fields = revision.fields or {}
    article.title, article.summary, article.body = redaction.scrub(
        article, revision.title or article.title, fields.get("summary", article.summary),
        revision.body)
    article.body_html = render_body(article.body)
    article.countries = fields.get("countries", article.countries)
    article.lang = revision.lang or article.lang
    article.tags = tag_service.get_or_create_tags((revision.tags or "").split())
    if "modules" in fields:
        article.modules = db.session.scalars(
            select(Module).where(Module.id.in_(fields["modules"]))).all()
    article.updated_at = utcnow()


@transactional
def restore_revision(user, slug, number):
    """Make an old version current again, as a new revision that says so (on a published
    article, a change awaiting review like any other)."""
    article = _editable(user, slug)
    revision = get_revision("article", article.id, number)
    if revision is None:
        raise NotFound()
    summary = str(_l("Restored revision %(n)s", n=number))
    # The restored text keeps its authors: review.editors_since_publication follows this link.
    origin = {review.RESTORED_FROM: revision.number}
    if article.status == "published":
        version = _revision_version(revision)
        version["fields"] = {**version["fields"], **origin}
        _propose(article, user, version, summary)
    else:
        apply_revision(article, revision)
        restored = record_revision(article, user, summary)
        restored.fields = {**(restored.fields or {}), **origin}
        changed(article)
    db.session.commit()
    return article

"""Good-practice articles: writing with revisions, the review workflow, translations and
re-verification. Only curators (experts and admins) write; drafts stay among experts."""
import re
from datetime import timedelta

from babel import Locale
from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from core import markup
from core.accounts import permissions
from core.config import LANGUAGES
from core.errors import Conflict, Forbidden, InvalidInput, NotFound
from core.extensions import db
from core.i18n import lazy_gettext as _l
from core.slugs import slugify
from core.revisions import (add_revision, check_base, get_revision, latest_revision,
                            list_revisions)
from core.timeutil import utcnow
from core.transactions import transactional
from core.validation import check_length
from forum.services import notifications, posting
from forum.services import tags as tag_service
from knowledge.services import drafting, redaction, review
from knowledge.models import Article, Module
from search_index import indexing

TITLE_LENGTH = (10, 200)
SUMMARY_LENGTH = (0, 600)
BODY_LENGTH = (50, 60000)
COMMENT_LENGTH = (5, 2000)
EDIT_SUMMARY_LENGTH = 200
# Laws and services change: an article is checked again a year after it was verified.
REVIEW_INTERVAL = timedelta(days=365)
COUNTRY_RE = re.compile(r"^[A-Z]{2}$")
# An article's "# Section" is an h2, right under its title.
ARTICLE_HEADING = 2


def article_url(article):
    return f"/kb/articles/{article.slug}"


def _changed(article):
    """The article's search document, and the page of the thread it was promoted from (which
    names it: "Promoted to: <title>"), change with this transaction."""
    indexing.enqueue("article", article.id)
    if article.source_question_id:
        posting.thread_changed(article.source_question_id)


def require_curator(user):
    posting.require_active_user(user)
    if not permissions.is_curator(user):
        raise Forbidden(_l("Only experts and administrators write good-practice articles."))


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


def unique_slug(title):
    """A readable slug for an article title (any script), numbered when already taken."""
    base = slugify(title, length=100, fallback="article")
    slug, number = base, 1
    while db.session.scalar(select(Article.id).where(Article.slug == slug)) is not None:
        number += 1
        slug = f"{base}-{number}"
    return slug


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


def _record(article, editor, summary, base=None):
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
    article.body_html = markup.render(article.body, top_heading=ARTICLE_HEADING)
    article.updated_at = utcnow()


@transactional
def create_article(user, text, source_question_id=None, contributors=(), edit_summary=""):
    """A new draft curated by `user`; `contributors` are (user_id, answer_id) credits."""
    require_curator(user)
    article = Article(slug=unique_slug(text.title), curator=user, status="draft",
                      source_question_id=source_question_id, title="", body="", body_html="",
                      lang=text.lang)
    db.session.add(article)
    _apply(article, text)
    for position, (user_id, answer_id) in enumerate(contributors):
        article.contributors.append(_credit(user_id, answer_id, position))
    db.session.flush()
    _record(article, user, edit_summary or str(_l("Draft created")))
    _changed(article)
    db.session.commit()
    return article


def _credit(user_id, answer_id, position):
    from knowledge.models import ArticleContributor

    return ArticleContributor(user_id=user_id, source_answer_id=answer_id, position=position)


def get_article(slug, viewer=None):
    """The article with this slug if the viewer may see it; raises NotFound."""
    article = db.session.scalar(
        select(Article).where(Article.slug == slug)
        .options(selectinload(Article.contributors), selectinload(Article.modules),
                 selectinload(Article.tags)))
    if article is None or not permissions.can_see_article(viewer, article):
        raise NotFound()
    return article


def _editable(user, slug):
    require_curator(user)
    article = get_article(slug, user)
    if article.status == "archived":
        raise Forbidden(_l("This article is archived: restore it as a draft before editing."))
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
    readers see) untouched."""
    fields = dict(version["fields"])
    title, fields["summary"], body = redaction.scrub(article, version["title"],
                                                     fields["summary"], version["body"])
    add_revision("article", article.id, editor, body, title=title, tags=version["tags"],
                 lang=version["lang"], summary=summary, fields=fields, base=base)
    article.review_comment = ""


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
    _record(article, user, summary, base=base_revision)
    _changed(article)
    db.session.commit()
    return article


def _apply_revision(article, revision):
    """Make the row (what the article shows) say what `revision` says."""
    fields = revision.fields or {}
    article.title, article.summary, article.body = redaction.scrub(
        article, revision.title or article.title, fields.get("summary", article.summary),
        revision.body)
    article.body_html = markup.render(article.body, top_heading=ARTICLE_HEADING)
    article.countries = fields.get("countries", article.countries)
    article.lang = revision.lang or article.lang
    article.tags = tag_service.get_or_create_tags((revision.tags or "").split())
    if "modules" in fields:
        article.modules = db.session.scalars(
            select(Module).where(Module.id.in_(fields["modules"]))).all()
    article.updated_at = utcnow()


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
        _apply_revision(article, revision)
        restored = _record(article, user, summary)
        restored.fields = {**(restored.fields or {}), **origin}
        _changed(article)
    db.session.commit()
    return article


# Workflow -------------------------------------------------------------------------------------

def _in_status(user, slug, allowed, message):
    """The article a curator moves through the workflow, if its status allows the move."""
    require_curator(user)
    article = get_article(slug, user)
    if article.status not in allowed:
        raise Conflict(message)
    return article


def submit_for_review(user, slug):
    """draft -> in_review: another expert now approves or returns it."""
    article = _in_status(user, slug, ("draft",),
                         _l("Only a draft can be submitted for review."))
    article.status, article.submitted_at = "in_review", utcnow()
    article.review_comment = ""
    _changed(article)
    db.session.commit()
    return article


def _awaiting_review(user, slug, seen, message):
    """The article whose text `user` reviews (in review, or published with a change), and
    the change if it is one. `seen`: the revision number the reviewer read, if known."""
    article = _in_status(user, slug, ("in_review", "published"), message)
    change = review.pending_change(article)
    if article.status == "published" and change is None:
        raise Conflict(_l("No change to this article awaits review."))
    review.require_reviewer(user, article)
    latest = latest_revision("article", article.id)
    if seen is not None and latest is not None and latest.number != seen:
        raise Conflict(_l("The text changed since you read it: read it again before you "
                          "decide."))
    return article, change


def approve(user, slug, seen=None):
    """in_review -> published, or a published article's change goes live; by an expert who
    wrote none of the text since the last publication (nor curated a first publication)."""
    article, change = _awaiting_review(user, slug, seen,
                                       _l("Only an article in review can be published."))
    refused = drafting.refusal(*_text_awaiting(article, change))
    if refused:
        raise Conflict(refused)
    now = utcnow()
    url = article_url(article)
    if change is not None:
        _apply_revision(article, change.revision)
        for editor_id in sorted(change.editors):
            notifications.notify(editor_id, "article_published", article.title, url,
                                 actor=user)
    else:
        article.published_at = now
        notifications.notify(article.curator_id, "article_published", article.title, url,
                             actor=user)
        for credit in article.contributors:
            if credit.source_answer_id is not None:
                notifications.notify(credit.user_id, "promoted", article.title, url,
                                     actor=user)
    latest = latest_revision("article", article.id)
    article.published_revision = latest.number if latest is not None else None
    if latest is not None:  # a reviewed text: restoring it later excludes nobody
        latest.fields = {**(latest.fields or {}), review.PUBLISHED: True}
    article.status, article.reviewer, article.review_comment = "published", user, ""
    article.verified_at = now
    if article.review_by is None or article.review_by <= now.date():
        article.review_by = (now + REVIEW_INTERVAL).date()
    _changed(article)
    db.session.commit()
    return article


def _text_awaiting(article, change):
    """(title, summary, body) of what publication would show: the change, else the row."""
    if change is not None:
        revision = change.revision
        return (revision.title or article.title,
                (revision.fields or {}).get("summary", article.summary), revision.body)
    return article.title, article.summary, article.body


def unfinished(article):
    """Why the article's text awaiting publication (a draft, a text in review, a change to a
    published article) cannot be published yet: messages, empty when nothing stops it."""
    if article.status == "archived":
        return []
    change = review.pending_change(article)
    if article.status == "published" and change is None:
        return []
    return drafting.problems(*_text_awaiting(article, change))


def return_to_draft(user, slug, comment, seen=None):
    """in_review -> draft with the reviewer's comment for the curator. A change to a
    published article is declined instead: the published text stays, the change stays in the
    history, and a revision with the published text records the decision."""
    article, change = _awaiting_review(user, slug, seen,
                                       _l("Only an article in review can be returned."))
    article.review_comment = check_length(comment, COMMENT_LENGTH, "comment")
    article.reviewer = user
    url = article_url(article)
    if change is not None:
        revision = _record(article, user, str(_l("Change returned by its reviewer")))
        revision.fields = {**(revision.fields or {}), review.PUBLISHED: True}
        db.session.flush()
        article.published_revision = revision.number
        for editor_id in sorted(change.editors):
            notifications.notify(editor_id, "article_returned", article.title, url, actor=user)
    else:
        article.status = "draft"
        notifications.notify(article.curator_id, "article_returned", article.title, url,
                             actor=user)
    _changed(article)
    db.session.commit()
    return article


def mark_verified(user, slug):
    """A curator checked a published article again: it is current for another year."""
    article = _in_status(user, slug, ("published",),
                         _l("Only a published article can be verified."))
    now = utcnow()
    article.verified_at, article.review_by = now, (now + REVIEW_INTERVAL).date()
    _changed(article)
    db.session.commit()
    return article


def mark_obsolete(user, slug):
    """published -> archived: readers who follow a link see that it is no longer current."""
    article = _in_status(user, slug, ("published",),
                         _l("Only a published article can be archived."))
    article.status = "archived"
    _changed(article)
    db.session.commit()
    return article


def reopen(user, slug):
    """archived -> draft, to bring an obsolete article up to date (from its newest revision,
    so that a change that was awaiting review is not set aside)."""
    article = _in_status(user, slug, ("archived",),
                         _l("Only an archived article can be reopened."))
    latest = latest_revision("article", article.id)
    if latest is not None and latest.number > (article.published_revision or 0):
        _apply_revision(article, latest)
    article.status = "draft"
    _changed(article)
    db.session.commit()
    return article


# History (experts, moderators and admins) ---------------------------------------------------

def _history_article(slug, viewer):
    article = get_article(slug, viewer)
    if not permissions.can_see_article_history(viewer):
        # Not Forbidden: a reader does not learn that there is a history to see.
        raise NotFound()
    return article


def history(slug, viewer):
    """(article, its revisions newest first); raises NotFound for readers and members."""
    article = _history_article(slug, viewer)
    return article, list_revisions("article", article.id)


def revision_pair(slug, viewer, old_number, new_number):
    """(article, old revision, new revision) for a diff; raises NotFound."""
    article = _history_article(slug, viewer)
    old = get_revision("article", article.id, old_number)
    new = get_revision("article", article.id, new_number)
    if old is None or new is None:
        raise NotFound()
    return article, old, new


# Reading --------------------------------------------------------------------------------------

def translations(article, viewer=None):
    """The other language versions of an article that the viewer may see."""
    group = article.group_id
    found = db.session.scalars(select(Article).where(
        or_(Article.id == group, Article.translation_of_id == group), Article.id != article.id)
        .order_by(Article.lang)).all()
    shown = ("published", "draft", "in_review") if permissions.is_expert(viewer) \
        else ("published",)
    return [other for other in found if other.status in shown]


def recent_published(limit=10):
    return db.session.scalars(
        select(Article).where(Article.status == "published")
        .order_by(Article.published_at.desc()).limit(limit)).all()


def published_for_module(module_id):
    from knowledge.models import article_module

    return db.session.scalars(
        select(Article).join(article_module, article_module.c.article_id == Article.id)
        .where(article_module.c.module_id == module_id, Article.status == "published")
        .order_by(Article.published_at.desc())).all()


def published_for_question(question_id):
    """Published articles promoted from a thread ("Promoted to: ...")."""
    return db.session.scalars(
        select(Article).where(Article.source_question_id == question_id,
                              Article.status == "published").order_by(Article.id)).all()


def tag_counts(limit=40):
    """(tag name, number of published articles) for the most used tags."""
    from knowledge.models import article_tag

    tag = tag_service.tag_table()
    rows = db.session.execute(
        select(tag.c.name, func.count(article_tag.c.article_id))
        .join(article_tag, article_tag.c.tag_id == tag.c.id)
        .join(Article, Article.id == article_tag.c.article_id)
        .where(Article.status == "published")
        .group_by(tag.c.name).order_by(func.count(article_tag.c.article_id).desc(),
                                       tag.c.name).limit(limit))
    return [(name, count) for name, count in rows]


def published_with_tag(name):
    from knowledge.models import article_tag

    tag = tag_service.tag_table()
    return db.session.scalars(
        select(Article).join(article_tag, article_tag.c.article_id == Article.id)
        .join(tag, tag.c.id == article_tag.c.tag_id)
        .where(tag.c.name == name, Article.status == "published")
        .order_by(Article.published_at.desc())).all()


def all_for_picker(exclude_id=None):
    """(id, "title (lang)") of articles a translation can point to."""
    rows = db.session.execute(select(Article.id, Article.title, Article.lang)
                              .where(Article.status != "archived").order_by(Article.title))
    return [(i, f"{title} ({lang})") for i, title, lang in rows if i != exclude_id]

"""The thesaurus as experts edit it: concepts in the database, the posts each one reaches,
and re-indexing only the posts a change concerns.

A concept's change reaches the index without a rebuild: the documents that held its old names
or tags (found in the index before the change) and those that hold its new ones (found the same
way) are queued in the changing transaction, and indexed after the commit with the new
thesaurus (search_index.indexing). The version token tells every process to read it again.
"""
import json
import logging
import re
import uuid
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import func, select

from core.audit import services as audit
from core.config import LANGUAGES
from core.errors import InvalidInput, NotFound
from core.extensions import db
from core.i18n import lazy_gettext as _l
from core.timeutil import utcnow
from core.transactions import transactional
from search_index import indexing, permissions, registry, thesaurus
from search_index.backend import CONCEPT_PREFIX, SearchPlan, TermGroup
from search_index.documents import split_key
from search_index.models import ThesaurusConcept, ThesaurusVersion

log = logging.getLogger(__name__)
MAX_SLUG = 80
MAX_NAME = 120
MAX_NAMES = 30
MAX_TAGS = 20
# The tags are stored joined by spaces in a column of 1,000 characters: 20 of 49 fit.
MAX_TAG = 49
# As the message says: lower-case letters, digits and hyphens.
SLUG_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")
TAG_RE = re.compile(r"^[\w-]+$")
# How many posts the concept page links to.
REACH_LIMIT = 20
# Documents found per query while collecting what a change concerns.
_PAGE = 500
# Beyond this many documents a change concerns, the queue takes the first ones only: a rebuild
# (`flask search rebuild`) is the tool for a concept in most of the posts.
MAX_REINDEX = 20_000


@dataclass
class ConceptInput:
    """What an expert typed: the id, the names per language, the tags (already split)."""

    slug: str
    names: dict
    tags: list


def all_concepts():
    """Every concept, by id."""
    return db.session.scalars(select(ThesaurusConcept).order_by(ThesaurusConcept.slug)).all()


def get_concept(concept_id):
    """The concept with this number, or NotFound."""
    concept = db.session.get(ThesaurusConcept, concept_id)
    if concept is None:
        raise NotFound(_l("This concept does not exist (it may have been deleted)."))
    return concept


def validate(data):
    """`data` (a ConceptInput) cleaned: names stripped and unique, bounded; raises
    InvalidInput with the reason a reader understands."""
    slug = (data.slug or "").strip().lower()
    if not slug or len(slug) > MAX_SLUG or not SLUG_RE.match(slug):
        raise InvalidInput(_l("The identifier is made of lower-case letters, digits and "
                              "hyphens (at most %(max)s characters), e.g. street-outreach.",
                              max=MAX_SLUG), field="slug")
    names = {}
    for lang in LANGUAGES:
        kept = []
        for name in data.names.get(lang, []):
            name = " ".join(name.replace("\x00", "").split())
            if not name:
                continue
            if len(name) > MAX_NAME:
                raise InvalidInput(_l("A name has at most %(max)s characters.", max=MAX_NAME))
            if name.casefold() not in {known.casefold() for known in kept}:
                kept.append(name)
        if len(kept) > MAX_NAMES:
            raise InvalidInput(_l("A language has at most %(max)s names.", max=MAX_NAMES))
        if kept:
            names[lang] = kept
    if not names:
        raise InvalidInput(_l("Give the concept at least one name."))
    tags = list(dict.fromkeys(tag.strip().lower() for tag in data.tags if tag.strip()))
    if len(tags) > MAX_TAGS or any(len(tag) > MAX_TAG or not TAG_RE.match(tag) for tag in tags):
        raise InvalidInput(_l("Up to %(count)s tags of letters, digits and hyphens, at most "
                              "%(max)s characters each.", count=MAX_TAGS, max=MAX_TAG),
                           field="tags")
    return ConceptInput(slug=slug, names=names, tags=tags)


def _bump_version():
    thesaurus.forget_version()
    version = db.session.get(ThesaurusVersion, 1)
    if version is None:
        db.session.add(ThesaurusVersion(id=1, token=uuid.uuid4().hex))
    else:
        version.token = uuid.uuid4().hex


def _parsed(slug, names, tags):
    return thesaurus.parse({"concepts": [{"id": slug, "terms": names, "tags": tags}]}) \
        .concepts[0]


def _search_keys(plan):
    """The keys of every document `plan` matches, page by page, up to MAX_REINDEX."""
    keys = []
    page = 1
    while len(keys) < MAX_REINDEX:
        plan.page, plan.per_page = page, _PAGE
        hits = registry.backend().search(plan).hits
        keys.extend(hit.key for hit in hits)
        if len(hits) < _PAGE:
            break
        page += 1
    return keys


def documents_of(concept):
    """The keys of the indexed documents holding one of the names or tags of `concept` (a
    parsed thesaurus.Concept), or its concept term."""
    groups = [TermGroup(alternatives=[((CONCEPT_PREFIX + concept.id,), 1.0)])]
    groups += [TermGroup(alternatives=[(terms, 1.0)]) for terms in
               dict.fromkeys(terms for _lang, terms in concept.names)]
    keys = _search_keys(SearchPlan(optional=groups, sort="newest"))
    if concept.tags:
        keys += _search_keys(SearchPlan(tags=[tuple(concept.tags)], sort="newest"))
    return list(dict.fromkeys(keys))[:MAX_REINDEX]


def _reindex(*concepts):
    keys = set()
    for concept in concepts:
        if concept is not None:
            keys.update(documents_of(concept))
    for key in sorted(keys):
        indexing.enqueue(*split_key(key))
    return len(keys)


def _ever_filled():
    """Whether the concepts table was ever filled: every change writes the version row."""
    return db.session.get(ThesaurusVersion, 1) is not None


def _ensure_seeded():
    """Before the first edit: the file's concepts into the table (the page edits those)."""
    if not _ever_filled():
        _import(thesaurus.read_file(current_app.config.get("SEARCH_THESAURUS")), replace=False)


@transactional
def listed_concepts():
    """Every concept, by identifier. While the table was never filled, search reads the
    shipped file: its concepts are imported first, so that the page lists what is in effect
    (not "0 concepts") and an expert edits those."""
    if not _ever_filled():
        _ensure_seeded()
        db.session.commit()
    return all_concepts()


@transactional
def save_concept(actor, concept_id, data):
    """Create (concept_id None) or change a concept; the posts holding its old or new names
    or tags are queued for indexing. Returns the concept."""
    permissions.allow_edit_thesaurus(actor)
    _ensure_seeded()
    data = validate(data)
    concept = get_concept(concept_id) if concept_id is not None else None
    clash = db.session.scalar(select(ThesaurusConcept).where(ThesaurusConcept.slug == data.slug))
    if clash is not None and clash is not concept:
        raise InvalidInput(_l("Another concept already has the identifier “%(slug)s”.",
                              slug=data.slug), field="slug")
    old = _parsed(concept.slug, concept.names, concept.tags.split()) if concept else None
    if concept is None:
        concept = ThesaurusConcept(slug=data.slug, names=data.names, tags=" ".join(data.tags))
        db.session.add(concept)
    else:
        concept.slug, concept.names = data.slug, data.names
        concept.tags = " ".join(data.tags)
    concept.updated_at = utcnow()
    _bump_version()
    count = _reindex(old, _parsed(data.slug, data.names, data.tags))
    db.session.flush()
    audit.record(actor, "thesaurus_concept_saved", "thesaurus_concept", concept.id,
                 details={"slug": data.slug, "names": data.names, "tags": data.tags,
                          "reindexed": count})
    db.session.commit()
    return concept


@transactional
def delete_concept(actor, concept_id):
    """Delete a concept; the posts that carried it are queued for indexing."""
    permissions.allow_edit_thesaurus(actor)
    _ensure_seeded()
    concept = get_concept(concept_id)
    old = _parsed(concept.slug, concept.names, concept.tags.split())
    count = _reindex(old)
    audit.record(actor, "thesaurus_concept_deleted", "thesaurus_concept", concept.id,
                 details={"slug": concept.slug, "reindexed": count})
    db.session.delete(concept)
    _bump_version()
    db.session.commit()


def reach(concept, viewer, limit=REACH_LIMIT):
    """(how many indexed posts carry the concept, cards of the first `limit` the viewer may
    see). The index holds only what every reader may see; the cards come from the database
    now, so a post hidden or deleted since is left out."""
    plan = SearchPlan(optional=[TermGroup(alternatives=[((CONCEPT_PREFIX + concept.slug,),
                                                         1.0)])],
                      sort="newest", per_page=limit)
    page = registry.backend().search(plan)
    by_kind = {}
    for hit in page.hits:
        kind, ident = split_key(hit.key)
        by_kind.setdefault(kind, []).append(ident)
    cards = {}
    for kind, ids in by_kind.items():
        provider = registry.state().providers.get(kind)
        if provider is not None:
            cards.update({f"{kind}:{ident}": card
                          for ident, card in provider.cards(ids, viewer).items()})
    return page.total, [cards[hit.key] for hit in page.hits if hit.key in cards]


def _import(data, replace):
    """Write the concepts of `data` (the file's structure); returns how many were written."""
    existing = {row.slug: row for row in all_concepts()}
    if replace:
        for row in existing.values():
            db.session.delete(row)
        db.session.flush()
        existing = {}
    written = 0
    for entry in data.get("concepts", []):
        try:
            cleaned = validate(ConceptInput(slug=str(entry.get("id", "")),
                                            names=entry.get("terms", {}),
                                            tags=entry.get("tags", [])))
        except InvalidInput as error:
            # One bad entry of a hand-edited file must not keep the others out.
            log.warning("thesaurus: concept %r skipped: %s", entry.get("id"), error)
            continue
        row = existing.get(cleaned.slug)
        if row is None:
            row = ThesaurusConcept(slug=cleaned.slug)
            db.session.add(row)
            existing[cleaned.slug] = row
        row.names, row.tags, row.updated_at = cleaned.names, " ".join(cleaned.tags), utcnow()
        written += 1
    _bump_version()
    return written


@transactional
def import_concepts(data, replace=False, only_if_empty=False):
    """Load concepts from the file's structure: each replaces the concept of the same id,
    others stay (all go with `replace`); with `only_if_empty`, nothing happens once the
    table was ever filled (an expert who deleted every concept keeps none). Returns how
    many were written. Indexed posts change with the next rebuild (an import concerns most of
    them)."""
    if only_if_empty and (
            _ever_filled() or db.session.scalar(select(func.count(ThesaurusConcept.id)))):
        return 0
    written = _import(data, replace)
    db.session.commit()
    return written


def export_concepts():
    """The concepts in the file's structure, as JSON text."""
    return json.dumps(thesaurus.entries(all_concepts()), ensure_ascii=False, indent=2) + "\n"

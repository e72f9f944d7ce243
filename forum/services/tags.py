"""Parsing the tags a user typed and keeping tag counters right."""
import re
import unicodedata

from sqlalchemy import func, select, update
from sqlalchemy.dialects import postgresql, sqlite

from core.config import LANGUAGES
from core.errors import InvalidInput, NotFound
from core.extensions import db
from core.i18n import lazy_gettext as _l
from core.timeutil import utcnow
from core.transactions import transactional
from core.validation import is_invisible
from forum.models import Question, Tag, question_tag
from forum.services.tag_synonyms import main_names, main_of

MAX_TAGS = 5
MAX_TAG_LENGTH = 35


def _valid_tag(name):
    """Letters, digits, combining marks (Khmer vowels, Arabic vowel signs) and inner hyphens."""
    if not name or len(name) > MAX_TAG_LENGTH or name.endswith("-") or "--" in name:
        return False
    categories = [unicodedata.category(char)[0] for char in name]
    # Hangul fillers are letters (Lo) that show nothing: a tag of them looks empty.
    return categories[0] in "LN" and all(
        (category in "LNM" or char == "-") and not is_invisible(char)
        for char, category in zip(name, categories))


def parse_tags(text):
    """Split 'a, b c' into clean, unique, lower-case tag names; raises InvalidInput."""
    names = []
    # The Arabic comma (،) and the ideographic/full-width ones separate tags too: a reader
    # types the comma of their own keyboard.
    for raw in re.split(r"[\s,،、，]+", (text or "").strip()):
        if not raw:
            continue
        name = unicodedata.normalize("NFC", raw.lower().strip("-#"))
        if not _valid_tag(name):
            raise InvalidInput(
                _l("“%(tag)s” is not a valid tag: use letters, digits and hyphens (at most "
                   "%(n)s characters).", tag=raw[:40], n=MAX_TAG_LENGTH), field="tags")
        if name not in names:
            names.append(name)
    if not names:
        raise InvalidInput(_l("Add at least one tag."), field="tags")
    if len(names) > MAX_TAGS:
        raise InvalidInput(_l("At most %(n)s tags.", n=MAX_TAGS), field="tags")
    return names


def get_or_create_tags(names):
    """Tag rows for `names`, creating the missing ones in the current transaction; a
    synonym gives its main tag (once, however many of its group were typed).

    Askers who create the same new tag at once both succeed: the insert skips a name another
    transaction took meanwhile (PostgreSQL waits for that one to commit), and the rows are read
    after it.
    """
    names = main_names(names)
    existing = set(db.session.scalars(select(Tag.name).where(Tag.name.in_(names))))
    missing = sorted(set(names) - existing)  # one order everywhere: no deadlock between two
    if missing:
        dialect = postgresql if db.engine.dialect.name == "postgresql" else sqlite
        db.session.execute(
            dialect.insert(Tag).values([{"name": name, "description": "", "question_count": 0,
                                         "created_at": utcnow()} for name in missing])
            .on_conflict_do_nothing(index_elements=["name"]))
    by_name = {tag.name: tag for tag in db.session.scalars(select(Tag).where(Tag.name.in_(names)))}
    return [by_name[name] for name in names]


def adjust_counts(tag_ids, delta):
    """Add `delta` to the question count of each tag, atomically in SQL."""
    if tag_ids:
        db.session.execute(update(Tag).where(Tag.id.in_(list(tag_ids)))
                           .values(question_count=Tag.question_count + delta))


def plausible_name(name):
    """Whether `name` (from an address) could name a tag: bounded, without control
    characters, so that it is worth a query."""
    return bool(name) and len(name) <= MAX_TAG_LENGTH * 4 and name.isprintable()


def find_tag(name):
    """The tag called `name`, or None."""
    return db.session.scalar(select(Tag).where(Tag.name == (name or "").strip().lower()))


def find_main_tag(name):
    """The main tag of the group of the tag called `name`, or None."""
    tag = find_tag(name)
    return main_of(tag) if tag is not None else None


def get_tag(name):
    """The tag called `name`; raises NotFound."""
    tag = find_tag(name)
    if tag is None:
        raise NotFound()
    return tag


def get_main_tag(name):
    """The main tag of the group of the tag called `name`; raises NotFound."""
    return main_of(get_tag(name))


def list_tags(sort="popular", page=1, per_page=60):
    """Main tags with at least one visible question, most used (or by name) first."""
    order = Tag.name if sort == "name" else Tag.question_count.desc()
    page = min(max(1, page), 1000)
    # A group is listed once, under its main tag, which holds its questions.
    query = (select(Tag).where(Tag.question_count > 0, Tag.synonym_of_id.is_(None))
             .order_by(order, Tag.name)
             .offset((page - 1) * per_page).limit(per_page + 1))
    rows = db.session.scalars(query).all()
    return rows[:per_page], len(rows) > per_page


@transactional
def update_tag_description(tag, description, lang=None):
    """Experts write the tag wiki, in `lang` (one of LANGUAGES, or None: not said)."""
    if lang is not None and lang not in LANGUAGES:
        raise InvalidInput(_l("Choose the language the description is written in."),
                           field="lang")
    tag.description = (description or "").strip()[:2000]
    tag.description_lang = lang if tag.description else None
    db.session.commit()
    return tag


@transactional
def recount(tag_ids=None):
    """Recompute question counts from the rows (repair tool for the CLI and tests)."""
    visible = (select(func.count()).select_from(question_tag)
               .join(Question, Question.id == question_tag.c.question_id)
               .where(question_tag.c.tag_id == Tag.id, Question.is_live)
               .scalar_subquery())
    statement = update(Tag).values(question_count=visible)
    if tag_ids is not None:
        statement = statement.where(Tag.id.in_(list(tag_ids)))
    db.session.execute(statement)
    db.session.commit()


def tag_table():
    """The tag table, for other packages' queries that join their own rows to tags."""
    return Tag.__table__

"""Tag synonyms, as Stack Overflow keeps them: a moderator or expert declares that a tag means
the same as a main tag (`maraude` ≡ `street-outreach` ≡ `educacion-de-calle`); the group is
then found, listed and followed as one tag.

Declaring merges, as Stack Overflow does: the questions and followers of the synonym move to
the main tag at once, so the main tag's count is the group's and the tag index lists the group
once. New posts typed with a synonym are stored with the main tag (tags.get_or_create_tags).
Lists, feeds and search still read the whole group (a handful of ids), which covers a question
saved in the instant of the merge and the training articles, whose tags are not the forum's to
rewrite.
"""
from sqlalchemy import delete, func, insert, select, update

from core import pagecache
from core.audit.services import record
from core.errors import InvalidInput
from core.extensions import db
from core.i18n import lazy_gettext as _l
from core.transactions import transactional
from forum.models import Question, Tag, TagFollow, question_tag
from forum.permissions import allow_manage_synonyms
from forum.services.threads import QUESTION_LISTS, thread_changed
from search_index import registry, tag_groups

DECLARED = "tag_synonym_declared"
REMOVED = "tag_synonym_removed"


def _clean(name):
    return (name or "").strip().lower()[:100]


def _lock(*names):
    """Hold the rows of these tags until the transaction ends, before reading them: two
    declarations at once (a → b and b → a) go one after the other, and the second sees the
    first, so that no loop is ever stored. A write rather than SELECT … FOR UPDATE: it also
    makes a second SQLite writer wait."""
    db.session.execute(update(Tag).where(Tag.name.in_([_clean(name) for name in names]))
                       .values(synonym_of_id=Tag.synonym_of_id)
                       .execution_options(synchronize_session=False))


def _tag(name, field):
    # Read again after the lock: the session may hold the row as it was before.
    tag = db.session.scalar(select(Tag).where(Tag.name == _clean(name))
                            .execution_options(populate_existing=True))
    if tag is None:
        raise InvalidInput(_l("There is no tag “%(tag)s”.", tag=(name or "").strip()[:40]),
                           field=field)
    return tag


def main_of(tag):
    """The main tag of `tag`'s group (`tag` itself when it is not a synonym)."""
    if tag.synonym_of_id is None:
        return tag
    return db.session.get(Tag, tag.synonym_of_id)


def synonyms_of(tag):
    """The synonyms pointing to the main tag `tag`, by name."""
    return db.session.scalars(select(Tag).where(Tag.synonym_of_id == tag.id)
                              .order_by(Tag.name)).all()


def group_ids(tag):
    """Ids of every tag of `tag`'s group, main tag first."""
    main = main_of(tag)
    return [main.id] + list(db.session.scalars(select(Tag.id).where(Tag.synonym_of_id == main.id)))


def group_names(names):
    """Every tag name in the groups of `names` (unknown names are left as they are): the
    lookup search_index.tag_groups asks for a `tag:` filter."""
    names = [name for name in names if name][:50]
    if not names:
        return set()
    tags = db.session.scalars(select(Tag).where(Tag.name.in_(names))).all()
    mains = {tag.synonym_of_id or tag.id for tag in tags}
    if not mains:
        return set(names)
    rows = db.session.scalars(select(Tag.name).where(
        Tag.id.in_(mains) | Tag.synonym_of_id.in_(mains)))
    return set(names) | set(rows)


def typed_synonyms(names):
    """[(name, main tag name)] for the synonyms among `names`: what to tell an author whose
    tags were replaced."""
    if not names:
        return []
    rows = db.session.execute(
        select(Tag.name, Tag.synonym_of_id).where(Tag.name.in_(names),
                                                  Tag.synonym_of_id.is_not(None))).all()
    mains = dict(db.session.execute(select(Tag.id, Tag.name)
                                    .where(Tag.id.in_({main for _n, main in rows}))).all())
    return sorted((name, mains[main]) for name, main in rows)


def main_names(names):
    """`names` with each synonym replaced by its main tag, without repeats, in order."""
    if not names:
        return []
    main_by_name = dict(db.session.execute(
        select(Tag.name, Tag.synonym_of_id).where(Tag.name.in_(names),
                                                  Tag.synonym_of_id.is_not(None))).all())
    if not main_by_name:
        return list(names)
    mains = dict(db.session.execute(select(Tag.id, Tag.name)
                                    .where(Tag.id.in_(set(main_by_name.values())))).all())
    result = []
    for name in names:
        name = mains[main_by_name[name]] if name in main_by_name else name
        if name not in result:
            result.append(name)
    return result


def translated_tag(value):
    """The main tag of the thesaurus concept that `value` names in any language, or is a tag
    of (`confianza` → `confiance`): the most used of the concept's existing tags; None when
    the thesaurus does not know `value` or none of its tags exists."""
    value = _clean(value)
    names = tag_groups.translated_tags(registry.state().thesaurus.get(), value)
    if not names:
        return None
    tags = db.session.scalars(select(Tag).where(Tag.name.in_(names))).all()
    mains = {main.id: main for main in (main_of(tag) for tag in tags)}
    return max(mains.values(), key=lambda tag: (tag.question_count, -names.index(tag.name)
                                                if tag.name in names else -len(names)),
               default=None)


def _merge(synonym, main):
    """Move the questions and followers of `synonym` to `main`, keeping counts right."""
    moved = list(db.session.scalars(select(question_tag.c.question_id)
                                    .where(question_tag.c.tag_id == synonym.id)))
    if moved:
        both = select(question_tag.c.question_id).where(question_tag.c.tag_id == main.id)
        db.session.execute(delete(question_tag).where(question_tag.c.tag_id == synonym.id,
                                                      question_tag.c.question_id.in_(both)))
        db.session.execute(update(question_tag).where(question_tag.c.tag_id == synonym.id)
                           .values(tag_id=main.id))
    followers = select(TagFollow.user_id).where(TagFollow.tag_id == main.id)
    db.session.execute(insert(TagFollow).from_select(
        ["user_id", "tag_id", "created_at"],
        select(TagFollow.user_id, main.id, TagFollow.created_at)
        .where(TagFollow.tag_id == synonym.id, TagFollow.user_id.not_in(followers))))
    db.session.execute(delete(TagFollow).where(TagFollow.tag_id == synonym.id))
    for tag in (synonym, main):
        tag.question_count = db.session.scalar(
            select(func.count()).select_from(question_tag)
            .join(Question, Question.id == question_tag.c.question_id)
            .where(question_tag.c.tag_id == tag.id, Question.is_live))
    # Their pages name the tags, and their search documents are indexed with them.
    for question_id in moved:
        thread_changed(question_id)


@transactional
def declare_synonym(actor, synonym_name, main_name):
    """Make the tag `synonym_name` a synonym of `main_name` (of its main tag, when
    `main_name` is itself a synonym); its questions, followers and own synonyms move to that
    main tag. Refuses unknown tags, a tag made its own synonym, a loop, and a tag that is
    already a synonym. Returns the main tag."""
    allow_manage_synonyms(actor)
    _lock(synonym_name, main_name)
    synonym = _tag(synonym_name, "synonym")
    main = main_of(_tag(main_name, "main"))
    if synonym.id == main.id:
        if synonym.name == _clean(main_name):
            raise InvalidInput(_l("A tag cannot be a synonym of itself."), field="synonym")
        raise InvalidInput(_l("“%(tag)s” is already the main tag of this group.",
                              tag=synonym.name), field="synonym")
    if synonym.synonym_of_id is not None:
        raise InvalidInput(_l("“%(tag)s” is already a synonym of “%(main)s”: remove that "
                              "synonym first.", tag=synonym.name,
                              main=main_of(synonym).name), field="synonym")
    # A main tag joining another group brings its synonyms along: groups stay one level deep.
    for member in synonyms_of(synonym):
        member.synonym_of_id = main.id
    synonym.synonym_of_id = main.id
    db.session.flush()
    _merge(synonym, main)
    record(actor, DECLARED, "tag", main.id, details={"synonym": synonym.name,
                                                     "main": main.name})
    pagecache.changed(QUESTION_LISTS)
    db.session.commit()
    return main


@transactional
def remove_synonym(actor, synonym_name, main_name=None):
    """`synonym_name` (a synonym of `main_name`, when given) is a tag of its own again. The
    questions merged into the main tag keep it (as on Stack Overflow): removing a synonym
    undoes the mapping, not the retagging. Returns the former main tag."""
    allow_manage_synonyms(actor)
    _lock(synonym_name)
    synonym = _tag(synonym_name, "synonym")
    if synonym.synonym_of_id is None or (
            main_name is not None and main_of(synonym).name != _clean(main_name)):
        raise InvalidInput(_l("“%(tag)s” is not a synonym.", tag=synonym.name),
                           field="synonym")
    main = main_of(synonym)
    synonym.synonym_of_id = None
    record(actor, REMOVED, "tag", main.id, details={"synonym": synonym.name,
                                                    "main": main.name})
    pagecache.changed(QUESTION_LISTS)
    db.session.commit()
    return main


"""What a tag filter finds: the tag, the tags declared its synonyms, and the tags of the
thesaurus concepts it belongs to or names in any language (`tag:confianza` finds posts tagged
`confiance` or `trust`).

Declared synonyms live in the database of the package that owns tags; it registers a lookup
here (register_lookup), so that search_index never imports it.
"""
from flask import current_app

from search_index import analysis

EXTENSION = "carnets_tag_synonyms"


def register_lookup(app, lookup):
    """lookup(names) -> set of every tag name in the declared synonym groups of `names`."""
    app.extensions[EXTENSION] = lookup


def _declared(names):
    lookup = current_app.extensions.get(EXTENSION)
    return set(lookup(sorted(names))) if lookup and names else set()


def named_concepts(thesaurus, value):
    """The concepts whose name in some language is `value` (a tag: hyphens are spaces),
    compared as the index compares words: without accents or case, stemmed."""
    text = value.replace("-", " ")
    analysed = {}
    found = []
    for concept in thesaurus.concepts:
        for lang, terms in concept.names:
            if lang not in analysed:
                analysed[lang] = tuple(term for term, _s, _e in analysis.tokens(text, lang))
            if analysed[lang] and analysed[lang] == terms:
                found.append(concept)
                break
    return found


def translated_tags(thesaurus, value):
    """The tags of the concepts that `value` names in any language, most specific first."""
    tags = []
    for concept in named_concepts(thesaurus, value):
        tags.extend(tag for tag in concept.tags if tag not in tags)
    return tags


def group(thesaurus, tag):
    """Every tag a `tag:` filter on `tag` finds, sorted (`tag` itself included)."""
    found = {tag} | _declared({tag})
    known = any(name in concept.tags for concept in thesaurus.concepts for name in found)
    for name in sorted(found):
        found.update(thesaurus.tag_synonyms(name))
    if not known:
        # Only a value that is no concept's tag is read as a name: "ninas-de-la-calle" is the
        # street girls' tag, though its words, stemmed, also name street children.
        found.update(translated_tags(thesaurus, tag))
    return tuple(sorted(found | _declared(found)))

"""A promoted draft's headings, the hints that go with them, and what in a text is unfinished.

A draft promoted from a thread starts with three headings written in the ARTICLE's language: a
French thread makes a French article, whatever language the expert who promotes it reads. What
to write under each heading is a hint shown beside the editor, in the reader's language, and
never text inside the draft, so nothing of it can be published by mistake. A text stays
unfinished, and cannot be published, while a heading has nothing under it or the text holds a
hint or placeholder in any of the catalogs' languages (drafts promoted before the hints moved
beside the editor carried one inside their text).
"""
import re

from flask_babel import force_locale

from core.config import LANGUAGES
from core.i18n import lazy_gettext as _l

SITUATION = _l("# The situation")
WHAT_WORKED = _l("# What worked")
GOOD_PRACTICE = _l("# Good practice")

# (heading, hint): the guidance beside the editor, section by section.
GUIDANCE = (
    (SITUATION, _l("The context of the question in general terms: nothing that identifies the "
                   "child (no name, place or date of birth).")),
    (WHAT_WORKED, _l("The answers you chose, quoted with the names of their authors. Keep what "
                     "helps and cut the rest.")),
    (GOOD_PRACTICE, _l("What a colleague should remember, in general terms, so that it helps "
                       "elsewhere too. The article is not published while this section is "
                       "empty.")),
)
# The placeholder that promoted drafts used to carry inside their text; still found in old data.
OLD_PLACEHOLDER = _l("(Write here what a colleague should remember, in general terms.)")

# A translation shorter than this could match ordinary words of a real article.
SHORTEST_HINT = 12
_SPACES = re.compile(r"\s+")
# Markdown headings written with "#" (CommonMark ATX headings), and code fences.
_HEADING = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")


def _in_language(message, language):
    """`message` translated into `language` (the article's), whatever the reader's is."""
    with force_locale(language if language in LANGUAGES else "en"):
        return str(message)


def heading_title(heading):
    """'# The situation' -> 'The situation' (in the current language), for the guidance."""
    return str(heading).lstrip("#").strip()


def guidance():
    """(section title, hint) of each section, in the reader's language."""
    return [(heading_title(heading), str(hint)) for heading, hint in GUIDANCE]


def draft_body(question, chosen, language):
    """The markdown a promoted draft starts from, written in `language` (the article's): the
    question's context, then each chosen answer credited to its author, then an empty
    "Good practice" section that keeps it from publication until the expert writes it."""
    with force_locale(language if language in LANGUAGES else "en"):
        parts = [str(SITUATION), "", question.body.strip(), "", str(WHAT_WORKED), ""]
        for answer in chosen:
            parts += [_quote(answer.body.strip()), "",
                      str(_l("— %(name)s, in the discussion", name=answer.author.name)), ""]
        parts += [str(GOOD_PRACTICE), ""]
    return "\n".join(parts)


def draft_title(title, language):
    """The title of a draft whose question's title is too short for an article."""
    return _in_language(_l("Good practice: %(title)s", title=title), language)


def _quote(text):
    return "\n".join("> " + line if line.strip() else ">" for line in text.splitlines())


def _normal(text):
    return _SPACES.sub(" ", text).strip().casefold()


def hints():
    """{normalised text: text} of every hint and placeholder, in every catalog's language."""
    found = {}
    messages = [hint for _heading, hint in GUIDANCE] + [OLD_PLACEHOLDER]
    for language in LANGUAGES:
        with force_locale(language):
            for message in messages:
                text = str(message).strip()
                if len(text) >= SHORTEST_HINT:
                    found.setdefault(_normal(text), text)
    return found


def empty_sections(body):
    """The titles of the headings of `body` with nothing under them (no text before the next
    heading of the same or a higher level); code blocks count as text."""
    items, fence = [], None  # items: (level, title) for a heading, None for a line of text
    for line in (body or "").splitlines():
        opening = _FENCE.match(line)
        if fence is not None:
            items.append(None)
            if opening and opening.group(1)[0] == fence[0] and len(opening.group(1)) >= len(fence):
                fence = None
            continue
        if opening:
            fence = opening.group(1)
            items.append(None)
            continue
        heading = _HEADING.match(line)
        if heading:
            items.append((len(heading.group(1)), (heading.group(2) or "").strip()))
        elif line.strip():
            items.append(None)
    empty = []
    for index, item in enumerate(items):
        if item is None:
            continue
        level, title = item
        for later in items[index + 1:]:
            if later is None:
                break
            if later[0] <= level:
                empty.append(title or "#")
                break
        else:
            empty.append(title or "#")
    return empty


def problems(title, summary, body):
    """Why this text may not be published yet, as messages in the reader's language; an empty
    list when nothing keeps it from publication."""
    found = [str(_l("The section “%(heading)s” is empty: write it, or remove its heading.",
                    heading=heading)) for heading in empty_sections(body)]
    text = _normal(" ".join((title or "", summary or "", body or "")))
    for normal, hint in hints().items():
        if normal in text:
            found.append(str(_l("The text still holds the hint “%(hint)s”: replace it with "
                                "your own words.", hint=hint)))
    return found


def refusal(title, summary, body):
    """The message that refuses publication of this text, or None when it may be published."""
    found = problems(title, summary, body)
    if not found:
        return None
    return str(_l("This text cannot be published yet. %(problem)s", problem=found[0]))

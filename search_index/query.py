"""The reader's query language, parsed once for every backend.

    words  "a phrase"  -excluded  -"excluded phrase"
    tag:NAME  lang:fr  user:NAME  module:SLUG  is:accepted  is:answered  is:article

Nothing a reader types is an error: unknown operators are searched as words, a lone `tag:` or
an unbalanced quote is explained in a message, control characters are dropped and an
over-long query is cut, all without failing the search.
"""
import re
from dataclasses import dataclass, field

from core.i18n import lazy_gettext as _l

MAX_QUERY = 300
FLAGS = ("accepted", "answered", "article")
FILTERS = ("tag", "lang", "user", "module")
SORTS = ("relevance", "newest", "votes")
CHUNK_RE = re.compile(r'(-)?(?:([A-Za-z]+):)?(?:"([^"]*)("?)|([^\s"]+))')
CONTROL_RE = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\ufeff]")


@dataclass
class ParsedQuery:
    """What a query asks for; `messages` explain what was ignored or changed."""

    text: str = ""
    words: list[str] = field(default_factory=list)
    phrases: list[str] = field(default_factory=list)
    excluded: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    langs: list[str] = field(default_factory=list)
    users: list[str] = field(default_factory=list)
    modules: list[str] = field(default_factory=list)
    flags: set[str] = field(default_factory=set)
    messages: list = field(default_factory=list)

    @property
    def has_text(self):
        """True when there is something to rank by (words or phrases)."""
        return bool(self.words or self.phrases)

    @property
    def is_empty(self):
        """True when the query asks for nothing at all."""
        return not (self.has_text or self.excluded or self.tags or self.langs or self.users
                    or self.modules or self.flags)


def clean(text):
    """The query without control characters, squeezed, and cut to MAX_QUERY characters."""
    text = CONTROL_RE.sub(" ", text or "")
    return " ".join(text.split())


def parse(text, languages=()):
    """Parse a reader's query; `languages` are the valid values of `lang:`."""
    raw = clean(text)
    query = ParsedQuery()
    if len(raw) > MAX_QUERY:
        raw = raw[:MAX_QUERY].rsplit(" ", 1)[0] if " " in raw[:MAX_QUERY] else raw[:MAX_QUERY]
        query.messages.append(_l("Your search was long: only its first %(n)s characters were "
                                 "used.", n=MAX_QUERY))
    query.text = raw
    if raw.count('"') % 2:
        query.messages.append(_l("A quotation mark was not closed: the words after it were "
                                 "searched as a phrase."))
    for match in CHUNK_RE.finditer(raw):
        negative, operator, phrase, _closing, word = match.groups()
        if not (phrase or word):
            continue
        operator = (operator or "").lower()
        if operator in FILTERS or operator == "is":
            _add_operator(query, operator, (phrase if phrase is not None else word).strip(),
                          languages)
        elif phrase is not None:
            text_part = f"{operator}: {phrase}" if operator else phrase
            (query.excluded if negative else query.phrases).append(text_part.strip())
        else:
            value = f"{operator}:{word}" if operator else word
            if value.endswith(":") and value[:-1].lower() in FILTERS + ("is",):
                query.messages.append(_l("“%(op)s” needs a value, for example %(example)s.",
                                         op=value, example=_example(value[:-1].lower())))
                continue
            (query.excluded if negative else query.words).append(value)
    query.phrases = [p for p in query.phrases if p]
    return query


def _example(operator):
    return {"tag": "tag:maraude", "lang": "lang:fr", "user": "user:amina",
            "module": "module:1", "is": "is:accepted"}[operator]


def _add_operator(query, operator, value, languages):
    value = value.lower()
    if not value:
        query.messages.append(_l("“%(op)s” needs a value, for example %(example)s.",
                                 op=operator + ":", example=_example(operator)))
    elif operator == "is":
        if value in FLAGS:
            query.flags.add(value)
        else:
            query.messages.append(_l("“is:%(value)s” is not known: use is:accepted, "
                                     "is:answered or is:article.", value=value))
    elif operator == "lang" and languages and value not in languages:
        query.messages.append(_l("“lang:%(value)s” is not a content language: use one of "
                                 "%(langs)s.", value=value, langs=", ".join(languages)))
    else:
        getattr(query, operator + "s").append(value)

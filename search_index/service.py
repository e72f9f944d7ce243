"""Search as readers use it: a query string in, a page of grouped, highlighted results out."""
import logging
import math
from dataclasses import dataclass, field

from flask import current_app

from core.accounts.permissions import is_moderator
from core.extensions import db
from core.i18n import current_locale, lazy_gettext as _l
from search_index import analysis, indexing, registry, snippets, spelling, tag_groups, thesaurus
from search_index.backend import SearchPlan, TermGroup
from search_index.documents import split_key
from search_index.query import SORTS, ParsedQuery, clean, parse

PER_PAGE = 10
MAX_PAGE = 100
log = logging.getLogger(__name__)


@dataclass
class Result:
    """One result: what the provider shows of it, and its highlighted title and snippet."""

    card: object
    title: object
    snippet: object


@dataclass
class Results:
    """A page of results with what the page says about the query."""

    text: str
    sort: str
    page: int
    per_page: int
    total: int = 0
    total_exact: bool = True
    items: list[Result] = field(default_factory=list)
    messages: list = field(default_factory=list)
    suggestion: str | None = None
    corrected_from: str | None = None
    parsed: object = None
    # Said to moderators only: some changes could not be indexed yet.
    index_behind: bool = False

    @property
    def pages(self):
        return max(1, math.ceil(self.total / self.per_page))

    @property
    def has_next(self):
        return self.page < self.pages

    @property
    def has_previous(self):
        return self.page > 1

    @property
    def number(self):
        return self.page


def _languages():
    return tuple(current_app.config["LANGUAGES"])


def _group(text, langs):
    """The TermGroup of a query word or phrase, or None when it carries no meaning."""
    forms = analysis.query_forms(text, langs)
    if len(forms) < len(langs) and not analysis.KHMER_RE.search(text):
        # A stop word in one of the languages ("de", "la"): requiring it would hide every
        # document in that language, which never indexed it.
        return None
    alternatives = {tuple(terms): 1.0 for terms in forms.values()}
    return TermGroup(alternatives=list(alternatives.items())) if alternatives else None


def build_plan(parsed, sort="relevance", page=1, per_page=PER_PAGE, match_all=None):
    """The SearchPlan of a parsed query. Ranked searches ask for any of the words (more
    words rank higher); sorted ones for all of them. Phrases are always required."""
    langs = tuple(parsed.langs) or _languages()
    words, together = [], []
    for word in parsed.words:
        parts = analysis.query_words(word)
        words += [g for g in (_group(part, langs) for part in parts) if g]
        if len(parts) > 1:
            # Khmer words typed glued: each is a word of the query, and their phrase one
            # more, optional, so that the posts holding them together rank first.
            together += [g for g in [_group(word, langs)] if g]
    phrases = [g for g in (_group(phrase, langs) for phrase in parsed.phrases) if g]
    if match_all is None:
        match_all = sort != "relevance"
    concepts = registry.state().thesaurus.get()
    if not match_all:
        # Other names of the concepts the query names, in every language, ranked lower. Read
        # in every language even under `lang:`: "confianza lang:fr" asks for French posts about
        # trust, which never hold the Spanish word.
        words += thesaurus.expansions(concepts, " ".join(parsed.words + parsed.phrases),
                                      _languages())
    plan = SearchPlan(
        required=phrases + (words if match_all else []),
        optional=together if match_all else words + together,
        excluded=[g for g in (_group(text, langs) for text in parsed.excluded) if g],
        # Declared synonyms and the thesaurus' translations of each tag (search_index.tag_groups).
        tags=[tag_groups.group(concepts, tag) for tag in parsed.tags],
        langs=list(parsed.langs), users=list(parsed.users),
        modules=list(parsed.modules),
        kinds=["article"] if "article" in parsed.flags else [],
        accepted="accepted" in parsed.flags, answered="answered" in parsed.flags,
        sort=sort, page=page, per_page=per_page)
    return plan


def _suggestion(parsed):
    """The query with its unknown words corrected in the query's own language, or None."""
    return spelling.suggestion(parsed, registry.backend(), _languages(),
                               preferred=current_locale())


def _cards(hits, viewer):
    by_kind = {}
    for hit in hits:
        kind, ident = split_key(hit.key)
        by_kind.setdefault(kind, []).append(ident)
    providers = registry.state().providers
    cards = {}
    for kind, ids in by_kind.items():
        provider = providers.get(kind)
        if provider:
            for ident, card in provider.cards(ids, viewer).items():
                cards[f"{kind}:{ident}"] = card
    return cards


def _run(parsed, sort, page, viewer, results):
    plan = build_plan(parsed, sort, page)
    filtered = (plan.tags or plan.langs or plan.users or plan.modules or plan.kinds
                or plan.accepted or plan.answered)
    if parsed.has_text and not plan.has_text and not filtered:
        results.messages.append(_l("Your search only holds very common words: add a word "
                                   "that says what you are looking for."))
        return
    hit_page = registry.backend().search(plan)
    results.total, results.total_exact = hit_page.total, hit_page.exact
    # Cards come from the database now: whatever was deleted or hidden since it was indexed
    # is dropped here, so it never shows, even from a stale index.
    cards = _cards(hit_page.hits, viewer)
    terms = plan.highlight_terms()
    for hit in hit_page.hits:
        card = cards.get(hit.key)
        if card is None:
            continue
        results.items.append(Result(
            card=card,
            title=snippets.highlight(card.title, card.lang, terms),
            snippet=snippets.snippet(hit.text, hit.lang, terms)))


def _catch_up(report=False):
    """Index what another process committed but could not index yet, before reading;
    with `report`, returns True when the index is known to lack some change (one more query,
    asked only for the moderators who see the notice).

    Never waits for the writer (a search waited up to a minute while another process wrote:
    that process indexes the queue itself), and never fails the search: an index that cannot
    take a change still answers with what it has.
    """
    try:
        if indexing.has_pending():
            indexing.drain(wait=False)
        return report and indexing.has_failures()
    except Exception:  # noqa: BLE001 — the search goes on; the queue keeps the changes
        log.exception("search: the index could not catch up with the queue")
        db.session.rollback()
        return report


def search(text, sort="relevance", page=1, viewer=None, per_page=PER_PAGE):
    """Search every provider's documents; never raises on what a reader typed."""
    sort = sort if sort in SORTS else "relevance"
    page = min(max(page, 1), MAX_PAGE)
    parsed = parse(text, _languages())
    results = Results(text=parsed.text, sort=sort, page=page, per_page=per_page,
                      messages=list(parsed.messages), parsed=parsed)
    if parsed.is_empty:
        return results
    results.index_behind = _catch_up(report=is_moderator(viewer))
    _run(parsed, sort, page, viewer, results)
    if parsed.words:
        suggestion = _suggestion(parsed)
        if suggestion and results.total == 0:
            # Nothing for what was typed: show what was probably meant, and say so.
            corrected = parse(suggestion, _languages())
            _run(corrected, sort, page, viewer, results)
            if results.total:
                results.corrected_from, results.text = parsed.text, corrected.text
                results.parsed = corrected
            else:
                results.suggestion = suggestion
        else:
            results.suggestion = suggestion
    return results


def _subject_words(title):
    """The words of a title that say what it is about: without the small words of any
    language ("comment", "pendant"), which many threads share whatever their subject."""
    words = [word.strip('"-') for word in clean(title).split()]
    return [word for word in words if word and not any(
        analysis.is_light(word, lang) for lang in _languages())]


def similar(title, viewer=None, limit=5):
    """Threads that may already answer a question being asked with this title.

    A thread counts when it holds at least half of the title's meaningful words (two at
    least), so that a new question is not held up by threads sharing one common word.
    """
    words = _subject_words(title)
    parsed = ParsedQuery(text=" ".join(words), words=words)
    plan = build_plan(parsed, "relevance", 1, per_page=limit * 3)
    # The title's own words (build_plan puts thesaurus concepts after them).
    groups = [group for group in plan.optional if not group.is_concept()]
    if not groups:
        return []
    _catch_up()
    hits = registry.backend().search(plan).hits
    needed = max(2, math.ceil(len(groups) / 2)) if len(groups) > 1 else 1
    kept = []
    for hit in hits:
        present = {term for term, _s, _e in analysis.tokens(hit.title + " " + hit.text,
                                                            hit.lang)}
        if sum(1 for group in groups if group.all_terms() & present) >= needed:
            kept.append(hit)
    cards = _cards(kept, viewer)
    terms = plan.highlight_terms()
    return [Result(card=cards[hit.key], title=snippets.highlight(cards[hit.key].title,
                                                                 cards[hit.key].lang, terms),
                   snippet=snippets.snippet(hit.text, hit.lang, terms))
            for hit in kept if hit.key in cards][:limit]

"""The SQL of a search on the PostgreSQL engine: a SearchPlan as a WHERE clause, a rank
and an ORDER BY, with bound parameters.

Queries are tsquery literals built from the plan's terms (`<->` for a phrase, `|` for
alternatives, `&` for required words, `& !(...)` for excluded ones), each lexeme quoted, sent as
a bound parameter: they mean exactly what they mean on Whoosh.
"""
from search_index.backend import CONCEPT_PREFIX, TermGroup
from search_index.pg_rows import lexeme

# ts_rank weights for D, C, B, A: the title (A) counts 2.5 times the body (B), as in Whoosh;
# C holds thesaurus concepts, D Khmer syllables (as a body word).
RANK_WEIGHTS = "{0.4, 0.2, 0.4, 1.0}"
# 1: divide by 1 + log(length), so a long thread does not win only by being long.
RANK_NORMALISATION = 1
# Up to this many words, "any two of them in the title" is a tier of its own.
MAX_PAIRED_WORDS = 6
# ts_rank takes no weight per query term, only per class: each concept a query names is ranked
# by a ts_rank of its own whose class C weight is the concept's weight in the plan
# (CONCEPT_WEIGHT a word of its name, see thesaurus.expansions) times 0.6, in title words (a
# name of one word weighs 0.84, between a body word and a title word; of two words, 1.68 title
# words: ts_rank has no term frequency and divides by the log of the length, where BM25 in
# Whoosh favours the concept's short field). ts_rank refuses a weight above 1.0: then every
# weight is divided alike, which keeps their ratios and the order of the results.
CONCEPT_CLASS_WEIGHT = 0.6


def _weight_scale(plan_weight):
    """What every weight is divided by so that the heaviest concept's stays within 1.0."""
    return max(1.0, CONCEPT_CLASS_WEIGHT * plan_weight)


def rank_weights(plan):
    """The ts_rank weights of a plan's words: RANK_WEIGHTS, scaled with its concepts' (each
    concept is ranked apart, see SearchQuery._rank)."""
    if not plan.concept_weight():
        return RANK_WEIGHTS
    scale = _weight_scale(plan.concept_weight())
    return "{" + ", ".join(f"{weight / scale:.4f}" for weight in (0.4, 0.0, 0.4, 1.0)) + "}"


def _words_of(group):
    """The group without its concept term: the words and phrases of its alternatives."""
    return TermGroup(alternatives=[(terms, weight) for terms, weight in group.alternatives
                                   if not terms[0].startswith(CONCEPT_PREFIX)])


def _concept_terms(groups):
    """(weight, concept term) of every concept the groups name."""
    return [(weight, terms[0]) for group in groups for terms, weight in group.alternatives
            if terms[0].startswith(CONCEPT_PREFIX)]


def _concepts_weight(plan):
    """What a post carrying every concept of the plan weighs at most, in title words."""
    return CONCEPT_CLASS_WEIGHT * sum(
        weight for weight, _term in _concept_terms(plan.required + plan.optional))


def _alternative_query(terms, loose=False):
    lexemes = [lexeme(term) for term in terms if term]
    return "(" + (" & " if loose else " <-> ").join(lexemes) + ")" if lexemes else None


def _group_query(group, loose=False):
    """The tsquery of a TermGroup: any of its alternatives, or None when it has none.

    `loose`: a phrase's words anywhere, in any order; GIN answers that without reading the
    rows, where a phrase makes PostgreSQL check the positions of every row it matched.
    """
    options = [query for query in (_alternative_query(terms, loose)
                                   for terms, _w in group.alternatives) if query]
    return "(" + " | ".join(options) + ")" if options else None


def _at_least_two(queries):
    """A tsquery matching any two of `queries`, or None when there are too many pairs."""
    if not 3 <= len(queries) <= MAX_PAIRED_WORDS:
        return None
    return " | ".join(f"({first} & {second})"
                      for index, first in enumerate(queries) for second in queries[index + 1:])


class SearchQuery:
    """The WHERE, rank and ORDER BY of a plan, with their bound parameters."""

    def __init__(self, plan):
        self.params = {}
        required = [q for q in (_group_query(g) for g in plan.required) if q]
        optional = [q for q in (_group_query(g) for g in plan.optional) if q]
        excluded = [q for q in (_group_query(g) for g in plan.excluded) if q]
        filters = []
        for names in plan.tags:
            filters.append(f"tags && CAST({self._bind(list(names))} AS text[])")
        for column, values in (("lang", plan.langs), ("kind", plan.kinds)):
            if values:
                filters.append(f"{column} = ANY(CAST({self._bind(list(values))} AS text[]))")
        if plan.users:
            users = [user.lower() for user in plan.users]
            filters.append(f"users && CAST({self._bind(users)} AS text[])")
        if plan.modules:
            filters.append(f"modules && CAST({self._bind(list(plan.modules))} AS text[])")
        if plan.accepted:
            filters.append("accepted")
        if plan.answered:
            filters.append("answered")

        matched = " & ".join(required) if required else " | ".join(optional)
        exclusion = f"!({' | '.join(excluded)})" if excluded else ""
        if matched:
            # Excluded words in the same tsquery: the GIN index answers "a and not b" by
            # itself, where a separate NOT (...) made PostgreSQL read every row holding a.
            full = f"({matched}) & {exclusion}" if exclusion else matched
            text_conditions = [f"terms @@ CAST({self._bind(full)} AS tsquery)"]
        elif exclusion:
            text_conditions = [f"NOT (terms @@ CAST({self._bind(' | '.join(excluded))} "
                               f"AS tsquery))"]
        else:
            text_conditions = []
        self.where = " AND ".join(text_conditions + filters) or "true"
        self.has_text = bool(text_conditions)
        self.text_condition = text_conditions[0] if text_conditions else "true"

        ranked = plan.sort == "relevance" and bool(matched)
        self.weights = rank_weights(plan)
        self.rank = self._rank(plan, [
            group for group in plan.optional
            if any(len(terms) > 1 for terms, _w in group.alternatives)
            and not group.is_concept()]) if ranked else "0.0"
        # Only for ranked searches (see PostgresBackend.search): the title tiers, from all
        # the words in the title to any of them, in their loose form; the full condition is
        # checked again on the candidates only.
        self.title_tiers = []
        if ranked:
            # Without the concept groups: titles hold words, never a concept term, so a tier
            # asking for one matched nothing and every concept query ranked every match.
            loose_required = [q for q in (_group_query(g, True) for g in plan.required
                                          if not g.is_concept()) if q]
            loose_optional = [q for q in (_group_query(g, True) for g in plan.optional
                                          if not g.is_concept()) if q]
            if loose_required:
                titles = [" & ".join(loose_required)]
            else:
                titles = [" & ".join(loose_optional), _at_least_two(loose_optional),
                          " | ".join(loose_optional)]
                # Posts naming a concept in another language share none of the title's words
                # and weigh the concepts' class weight: a tier is kept only where the title
                # words it guarantees (all, two, one) weigh more, so that it surely ranks above
                # them ("educación de calle": 1.68 title words; "albergue": 0.84).
                guaranteed, concepts = (len(loose_optional), 2, 1), _concepts_weight(plan)
                titles = [title for title, words in zip(titles, guaranteed) if words > concepts]
                titles = list(dict.fromkeys(title for title in titles if title))
            # With excluded words, the whole condition too: two GIN bitmaps ANDed, where a NOT
            # on each title match read thousands of rows only to drop them.
            tier_filters = (text_conditions if exclusion else []) + filters
            self.title_tiers = [
                " AND ".join([f"title_terms @@ CAST({self._bind(title)} AS tsquery)"]
                             + tier_filters) for title in titles]
            prefer = ""
            if plan.prefer_lang:
                prefer = f"lang = {self._bind(plan.prefer_lang)} DESC, "
            self.order = f"relevance DESC, {prefer}created DESC, key"
        elif plan.sort == "votes":
            self.order = "score DESC, created DESC, key"
        else:
            self.order = "created DESC, key"

    def _bind(self, value):
        name = f"p{len(self.params)}"
        self.params[name] = value
        return f":{name}"

    def _rank(self, plan, phrases=()):
        """One ts_rank over any of the query's words (their weights are the lexemes' weights),
        and one per concept the query names (its own weight, see CONCEPT_CLASS_WEIGHT).

        Not one per word: a ts_rank per word and per alternative cost several times more on
        queries matching tens of thousands of posts. ts_rank ignores `<->`: an optional phrase
        (Khmer words typed glued, see service.build_plan) adds its words' rank again where it
        is found as a phrase, as its pairs do on Whoosh.
        """
        groups = plan.required + plan.optional
        words = [_words_of(group) for group in groups]
        queries = [query for query in map(_group_query, words) if query]
        concepts = _concept_terms(groups)
        if not queries and not concepts:
            return "0.0"
        parts = []
        if queries:
            # ts_rank divides by the number of the query's lexemes: the words' rank is taken
            # back to their sum, as the concepts' (one lexeme each), so that they add up.
            lexemes = len({term for group in words for terms, _w in group.alternatives
                           for term in terms if term})
            parts.append(f"ts_rank('{self.weights}', terms, "
                         f"CAST({self._bind(' | '.join(queries))} AS tsquery), "
                         f"{RANK_NORMALISATION}) * {max(lexemes, 1)}")
        # A ts_rank per concept, with its own weight in class C: one class weight for all of
        # them made a one-word concept ("shelter") weigh as much as a two-word one ("night
        # shelter") and crowd out the posts carrying the longer name in other languages.
        scale = _weight_scale(plan.concept_weight())
        for weight, term in concepts:
            class_weights = f"{{0, {CONCEPT_CLASS_WEIGHT * weight / scale:.4f}, 0, 0}}"
            parts.append(f"ts_rank('{class_weights}', terms, "
                         f"CAST({self._bind(lexeme(term))} AS tsquery), {RANK_NORMALISATION})")
        rank = " + ".join(parts)
        for group in phrases:
            phrase, loose = _group_query(group), _group_query(group, loose=True)
            rank += (f" + CASE WHEN terms @@ CAST({self._bind(phrase)} AS tsquery) THEN "
                     f"ts_rank('{self.weights}', terms, CAST({self._bind(loose)} AS tsquery), "
                     f"{RANK_NORMALISATION}) ELSE 0 END")
        return f"({rank}) * boost"

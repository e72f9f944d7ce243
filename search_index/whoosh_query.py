"""A SearchPlan as the query nodes search_index.whoosh_matching ranks: words and phrases
(a phrase is its neighbouring pairs, indexed as such), filters and excluded words."""
from search_index import whoosh_matching as matching
from search_index.backend import is_side_term

# Between the two words of a pair in the `pairs` field (see whoosh_backend._pairs).
PAIR = "|"


def _group_query(group):
    options = []
    for terms, weight in group.alternatives:
        if is_side_term(terms[0]):
            options.append(matching.Term("side", terms[0], weight))
        elif len(terms) == 1:
            options.append(matching.Term("content", terms[0], weight))
        else:
            # A phrase is all its neighbouring pairs (indexed as such), which score as much
            # as one word.
            pairs = [f"{first}{PAIR}{second}" for first, second in zip(terms, terms[1:])]
            boost = weight / len(pairs)
            options.append(matching.All(tuple(matching.Term("pairs", pair, boost)
                                              for pair in pairs))
                           if len(pairs) > 1 else matching.Term("pairs", pairs[0], weight))
    return options[0] if len(options) == 1 else matching.Any(tuple(options))


def _either(parts):
    return parts[0] if len(parts) == 1 else matching.Any(tuple(parts))


def _every(parts):
    return parts[0] if len(parts) == 1 else matching.All(tuple(parts))


def text_query(plan):
    required = [_group_query(group) for group in plan.required]
    optional = [_group_query(group) for group in plan.optional]
    if optional:
        # Scores add up, so documents matching more of the words rank higher.
        if not required:
            return _either(optional)
        return matching.Maybe(_every(required), _either(optional))
    if required:
        return _every(required)
    return None


def filter_query(plan):
    parts = [_either([matching.Term("tags", tag) for tag in names]) for names in plan.tags]
    for field, values in (("lang", plan.langs), ("users", [u.lower() for u in plan.users]),
                          ("modules", plan.modules), ("kind", plan.kinds)):
        if values:
            parts.append(_either([matching.Term(field, value) for value in values]))
    if plan.accepted:
        parts.append(matching.Term("accepted", True))
    if plan.answered:
        parts.append(matching.Term("answered", True))
    return _every(parts) if parts else None


def excluded_query(plan):
    if not plan.excluded:
        return None
    return _either([_group_query(group) for group in plan.excluded])

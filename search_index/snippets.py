"""Highlighted snippets, cut from the stored text the same way for every backend."""
from markupsafe import Markup, escape

from search_index import analysis

WIDTH = 220
LEAD = 40


def _matches(text, lang, terms):
    # A word that says nothing of the subject in the document's language ("comment",
    # "pendant") is not marked, even when the query held it.
    return [(start, end) for term, start, end in analysis.tokens(text, lang)
            if term in terms and not analysis.is_light(text[start:end], lang)]


def _marked(text, spans, start, end):
    parts, position = [], start
    for span_start, span_end in spans:
        if span_start < start or span_end > end or span_start < position:
            continue
        parts.append(escape(text[position:span_start]))
        parts.append(Markup("<mark>%s</mark>") % text[span_start:span_end])
        position = span_end
    parts.append(escape(text[position:end]))
    return Markup("").join(parts)


def highlight(text, lang, terms):
    """The whole of `text`, escaped, with the words matching `terms` in <mark>."""
    return _marked(text, _matches(text, lang, terms), 0, len(text)) if terms else escape(text)


def snippet(text, lang, terms, width=WIDTH):
    """About `width` characters of `text` around its densest cluster of matches, marked."""
    text = text or ""
    spans = _matches(text, lang, terms) if terms else []
    if not spans:
        end = _word_end(text, width)
        return escape(text[:end]) + (Markup("…") if end < len(text) else "")
    best, best_count = spans[0][0], 0
    for index, (start, _end) in enumerate(spans):
        count = sum(1 for s, e in spans[index:] if e - start <= width - LEAD)
        if count > best_count:
            best, best_count = start, count
    start = _word_start(text, max(0, best - LEAD))
    end = _word_end(text, start + width)
    body = _marked(text, spans, start, end)
    return ((Markup("…") if start > 0 else Markup("")) + body
            + (Markup("…") if end < len(text) else Markup("")))


def _word_start(text, position):
    if position <= 0:
        return 0
    space = text.find(" ", position)
    return space + 1 if 0 <= space < position + 20 else position


def _word_end(text, position):
    if position >= len(text):
        return len(text)
    space = text.rfind(" ", position - 30, position)
    return space if space > 0 else position

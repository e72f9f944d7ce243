"""When a post is deleted, its text leaves the articles promoted from its thread: the article's
text, every one of its revisions (so that restoring an old one cannot bring it back, nor a diff
show it) and, through the re-indexed article, search.

What was quoted is found by matching the post's text, in every version it had, line by line
(a promoted draft quotes an answer line for line) and then sentence by sentence (what a
curator moved around or merged). The post itself is only soft-deleted and keeps its history
for its author and moderators; undeleting it does not put the quote back: a curator quotes it
again by hand if it still belongs in the article.
"""
import re

from flask_babel import force_locale
from sqlalchemy import select

from core import markup
from core.extensions import db
from core.i18n import lazy_gettext as _l
from core.revisions import list_revisions
from knowledge.articles import ARTICLE_HEADING
from knowledge.models import Article
from knowledge.search import KIND
from search_index import indexing

PLACEHOLDER = _l("[This passage quoted a post that was deleted.]")
# Quote markers, then a list or heading marker: what promotion or a curator puts around a line.
MARKERS_RE = re.compile(r"^(?:\s*>)*\s*(?:[-*+]\s+|\d+[.)]\s+|#{1,6}\s+)?")
QUOTE_RE = re.compile(r"^(?:\s*>)*\s?")
SENTENCE_END_RE = re.compile(r"(?<=[.!?…。])\s+")
# Shorter lines ("Thanks.", "---") match too much; the search is limited to one thread.
MIN_LINE = 8
MIN_SENTENCE = 20


def _normal(line):
    return " ".join(MARKERS_RE.sub("", line, count=1).split())


def fingerprint(texts):
    """(lines, sentences) of a post's texts worth looking for, longest sentences first."""
    lines, sentences = set(), set()
    for text in texts:
        for raw in (text or "").splitlines():
            line = _normal(raw)
            if len(line) < MIN_LINE or not any(char.isalnum() for char in line):
                continue
            lines.add(line)
            sentences.update(part for part in SENTENCE_END_RE.split(line)
                             if len(part) >= MIN_SENTENCE)
    return lines, sorted(sentences, key=len, reverse=True)


def redact(text, lines, sentences, placeholder):
    """`text` with each run of matching lines, then each matching sentence, replaced by
    `placeholder` (inside the blockquote when the line was quoted)."""
    kept, held, in_run, changed = [], [], False, False
    for raw in (text or "").splitlines():
        normal = _normal(raw)
        if normal in lines:
            if not in_run:
                kept.append(QUOTE_RE.match(raw).group(0) + placeholder)
            # Blank lines between two redacted lines go with them: one gap, one placeholder.
            held, in_run, changed = [], True, True
        elif in_run and not normal:
            held.append(raw)
        else:
            kept.extend(held)
            kept.append(raw)
            held, in_run = [], False
    kept.extend(held)
    result = "\n".join(kept) if changed else text
    for sentence in sentences:
        result = result.replace(sentence, placeholder)
    mark = re.escape(placeholder)
    return re.sub(rf"{mark}(?:[ \t]*{mark})+", lambda _match: placeholder, result)


def _texts(post_type, post):
    return [post.body] + [revision.body for revision in list_revisions(post_type, post.id)]


def redact_thread(question_id, texts):
    """Take `texts` out of every article promoted from the thread and of all its revisions
    (in the caller's transaction)."""
    lines, sentences = fingerprint(texts)
    if not lines:
        return
    found = db.session.scalars(select(Article).where(Article.source_question_id == question_id))
    for article in found:
        with force_locale(article.lang):
            placeholder = str(PLACEHOLDER)
        body = redact(article.body, lines, sentences, placeholder)
        if body != article.body:
            article.body = body
            article.body_html = markup.render(body, top_heading=ARTICLE_HEADING)
            indexing.enqueue(KIND, article.id)
        for revision in list_revisions("article", article.id):
            revision.body = redact(revision.body, lines, sentences, placeholder)


def post_deleted(post, post_type):
    """forum's post_deleted receiver. A deleted question takes its answers with it: nobody but
    their authors and moderators reads them any more, so no article may show them either."""
    if post_type == "question":
        texts = _texts("question", post)
        for answer in post.answers:
            texts += _texts("answer", answer)
        redact_thread(post.id, texts)
    elif post_type == "answer":
        redact_thread(post.question_id, _texts("answer", post))

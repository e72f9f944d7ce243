"""When a post is deleted, its text leaves the articles promoted from its thread: the article's
text, every one of its revisions (so that restoring an old one cannot bring it back, nor a diff
show it) and, through the re-indexed article, search.

What was quoted is found by matching the post's text, in every version it had, line by line
(a promoted draft quotes an answer line for line) and then sentence by sentence (what a
curator moved around or merged). The post itself is only soft-deleted and keeps its history
for its author and moderators; undeleting it does not put the quote back: a curator quotes it
again by hand if it still belongs in the article.

Redaction records a revision of its own, so that an edit form opened before it meets the edit
conflict page; and every text that enters an article later (an edit, a change, a restored or
approved revision) is scrubbed the same way, so that a copy taken before cannot bring it back.
A deleted question's title leaves the article's title and summary too; the article then gets
a new address. Translations of the articles are redacted with them.
"""
import re

from flask_babel import force_locale
from sqlalchemy import or_, select

from core import pagecache
from core.extensions import db
from core.i18n import lazy_gettext as _l
from core.revisions import add_revision, list_revisions
from forum.services import threads
from forum.services.redaction import PASSAGE_SUMMARY
from forum.services.redaction import PLACEHOLDER as PASSAGE_PLACEHOLDER
from forum.services.redaction import passage_pattern
from knowledge.services.articles import PUBLISHED_SCOPE, render_body, unique_slug
from knowledge.models import Article
from knowledge.search import KIND
from search_index import indexing

PLACEHOLDER = _l("[This passage quoted a post that was deleted.]")
NEUTRAL_TITLE = _l("Good practice from a deleted discussion")
REDACTED = _l("Quotes of a deleted post removed")
# Quote markers, then a list or heading marker: what promotion or a curator puts around a line.
MARKERS_RE = re.compile(r"^(?:\s*>)*\s*(?:[-*+]\s+|\d+[.)]\s+|#{1,6}\s+)?")
QUOTE_RE = re.compile(r"^(?:\s*>)*\s?")
SENTENCE_END_RE = re.compile(r"(?<=[.!?…。])\s+")
# Emphasis a curator adds around quoted words; ignored when comparing.
EMPHASIS = str.maketrans("", "", "*_")
# Shorter lines ("Thanks.", "---") match too much; the search is limited to one thread.
MIN_LINE = 8
MIN_SENTENCE = 20


def _normal(line):
    return " ".join(MARKERS_RE.sub("", line, count=1).translate(EMPHASIS).split())


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


def _flowed(text):
    """`text` as one normalised line (markers and emphasis out, whitespace and line ends one
    space) and, for each of its characters, where it was in `text`."""
    chars, where, offset = [], [], 0
    for raw in text.splitlines(keepends=True):
        for index in range(MARKERS_RE.match(raw).end(), len(raw)):
            char = raw[index]
            if char in "*_" or (char.isspace() and (not chars or chars[-1] == " ")):
                continue
            chars.append(" " if char.isspace() else char)
            where.append(offset + index)
        if chars and chars[-1] != " ":
            chars.append(" ")
            where.append(offset + len(raw))
        offset += len(raw)
    return "".join(chars), where


def _rewrapped(text, wanted, placeholder):
    """`text` with each of `wanted` (longest first) replaced where a curator rewrapped it or
    added emphasis: the match is made on the flowed text, the replacement on `text`."""
    flowed, where = _flowed(text)
    spans, taken = [], [False] * len(flowed)
    # Whole words of pieces as long as a sentence: a short line of a post found inside a
    # longer one of the curator's would take the curator's words with it.
    for piece in (piece for piece in wanted if len(piece) >= MIN_SENTENCE):
        start = flowed.find(piece)
        while start != -1:
            end = start + len(piece)
            whole = (start == 0 or not flowed[start - 1].isalnum()) and (
                end == len(flowed) or not flowed[end].isalnum())
            if whole and not any(taken[start:end]):
                taken[start:end] = [True] * (end - start)
                spans.append((where[start], where[end - 1] + 1))
            start = flowed.find(piece, end)
    for start, end in sorted(spans, reverse=True):
        text = text[:start] + placeholder + text[end:]
    return text


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
    result = _rewrapped(result, sorted(lines, key=len, reverse=True) + sentences, placeholder)
    mark = re.escape(placeholder)
    return re.sub(rf"{mark}(?:[ \t]*{mark})+", lambda _match: placeholder, result)


def _title_re(titles):
    words = [r"\s+".join(map(re.escape, title.split())) for title in titles if title.strip()]
    return re.compile("|".join(words), re.IGNORECASE) if words else None


def retitle(title, summary, titles_re, neutral):
    """(title, summary) with a deleted question's title out: a title that names it becomes
    `neutral`, a summary says `neutral` where it named it."""
    if titles_re is None:
        return title, summary
    if titles_re.search(title or ""):
        title = neutral
    return title, titles_re.sub(lambda _match: neutral, summary or "")


def _texts(post_type, post):
    return [post.body] + [revision.body for revision in list_revisions(post_type, post.id)]


def _titles(question):
    return [question.title] + [revision.title or "" for revision in
                               list_revisions("question", question.id)]


def _deleted(question_id):
    """(texts, titles) of the deleted posts of a thread; a deleted question takes its
    answers with it."""
    question = threads.load_question(question_id)
    if question is None:
        return [], []
    if not question.is_live:
        texts, titles = _texts("question", question), _titles(question)
        answers = question.answers
    else:
        texts, titles, answers = [], [], [a for a in question.answers if not a.is_live]
    for answer in answers:
        texts += _texts("answer", answer)
    return texts, titles


def _group_query(group_ids):
    return select(Article).where(or_(Article.id.in_(group_ids),
                                     Article.translation_of_id.in_(group_ids)))


def _localised(lang, placeholder=PLACEHOLDER):
    with force_locale(lang):
        return str(placeholder), str(NEUTRAL_TITLE)


def scrub(article, title, summary, body):
    """(title, summary, body) with every quote and title of a deleted post of the article's
    thread (or of its translations' threads) out: what enters an article passes here."""
    sources = {found.source_question_id for found in db.session.scalars(
        _group_query([article.group_id])) if found.source_question_id}
    if article.source_question_id:
        sources.add(article.source_question_id)
    texts, titles = [], []
    for question_id in sorted(sources):
        found_texts, found_titles = _deleted(question_id)
        texts += found_texts
        titles += found_titles
    if not texts:
        return title, summary, body
    lines, sentences = fingerprint(texts)
    placeholder, neutral = _localised(article.lang)
    title, summary = retitle(title, summary, _title_re(titles), neutral)
    return title, summary, redact(body, lines, sentences, placeholder) if lines else body


def _rename(article, title):
    """Give the article a new title and the address made from it. Privacy before link
    stability: the old address named the child, so it now answers 404 rather than redirect.
    Notifications about the article follow: they are titled and linked when read."""
    article.title, article.slug = title, unique_slug(title)


def _redact_revisions(article, lines, sentences, titles_re, placeholder, neutral):
    changed = False
    for revision in list_revisions("article", article.id):
        fields = dict(revision.fields or {})
        body = redact(revision.body, lines, sentences, placeholder)
        title, summary = retitle(revision.title, fields.get("summary", ""), titles_re, neutral)
        if (body, title, summary) != (revision.body, revision.title, fields.get("summary", "")):
            revision.body, revision.title, changed = body, title, True
            if "summary" in fields:
                # A new dict: JSON columns do not see changes made inside the old one.
                revision.fields = dict(fields, summary=summary)
    return changed


def _record_redaction(article, editor, summary=REDACTED):
    """A revision that says so, copying the newest one: an edit form opened before the
    redaction then meets the edit conflict page instead of saving the quote back."""
    # What the feed of published articles shows of it changes too.
    pagecache.changed(PUBLISHED_SCOPE)
    latest = list_revisions("article", article.id)[0]
    if latest.number > (article.published_revision or 0) and article.status == "published":
        # A change awaits review: its editors (who may not review it, who are told when it
        # goes live) stay who they were, rather than the one who deleted the post.
        editor = latest.editor
    revision = add_revision("article", article.id, editor or article.curator, latest.body,
                            title=latest.title, tags=latest.tags, lang=latest.lang,
                            summary=str(summary), fields=latest.fields)
    if article.published_revision == latest.number:
        # The published text was redacted, not changed: no change awaits review.
        db.session.flush()
        article.published_revision = revision.number


def redact_thread(question_id, texts, titles=(), editor=None, placeholder=PLACEHOLDER,
                  note=REDACTED):
    """Take `texts` (and `titles`, a deleted question's) out of every article promoted from
    the thread, of their translations and of all their revisions (in the caller's
    transaction); `editor` deleted (or redacted) the post; `placeholder` (a lazy string)
    says what was there, `note` why the article has a new revision."""
    lines, sentences = fingerprint(texts)
    titles_re = _title_re(titles)
    if not lines and titles_re is None:
        return
    groups = {found.group_id for found in db.session.scalars(
        select(Article).where(Article.source_question_id == question_id))}
    if not groups:
        return
    for article in db.session.scalars(_group_query(groups)).all():
        placeholder_text, neutral = _localised(article.lang, placeholder)
        body = redact(article.body, lines, sentences, placeholder_text)
        title, summary = retitle(article.title, article.summary, titles_re, neutral)
        changed = (body, title, summary) != (article.body, article.title, article.summary)
        if changed:
            article.body, article.summary = body, summary
            article.body_html = render_body(body)
            if title != article.title:
                _rename(article, title)
        if _redact_revisions(article, lines, sentences, titles_re, placeholder_text, neutral) \
                or changed:
            _record_redaction(article, editor, note)
            indexing.enqueue(KIND, article.id)


def post_deleted(post, post_type, actor=None):
    """forum's post_deleted receiver. A deleted question takes its answers with it: nobody but
    their authors and moderators reads them any more, so no article may show them either."""
    if post_type == "question":
        texts = _texts("question", post)
        for answer in post.answers:
            texts += _texts("answer", answer)
        redact_thread(post.id, texts, _titles(post), editor=actor)
    elif post_type == "answer":
        redact_thread(post.question_id, _texts("answer", post), editor=actor)


def post_hidden(post, post_type, actor=None):
    """forum's post_hidden receiver: a hidden post is read by its author and moderators only,
    so its text leaves the articles as a deleted post's does."""
    post_deleted(post, post_type, actor)


def _scrub_passage(pattern, placeholder, text):
    return pattern.sub(lambda _match: placeholder, text or "")


def redact_passage(question_id, passage, editor=None):
    """Take a passage a moderator redacted from a post of the thread out of every article
    promoted from it, of their translations and of all their revisions, wherever it is
    (case and spacing aside), in the caller's transaction."""
    pattern = passage_pattern(passage)
    groups = {found.group_id for found in db.session.scalars(
        select(Article).where(Article.source_question_id == question_id))}
    if pattern is None or not groups:
        return
    for article in db.session.scalars(_group_query(groups)).all():
        with force_locale(article.lang):
            placeholder = str(PASSAGE_PLACEHOLDER)
        title, summary, body = (_scrub_passage(pattern, placeholder, value) for value in (
            article.title, article.summary, article.body))
        changed = (title, summary, body) != (article.title, article.summary, article.body)
        if changed:
            article.body, article.summary = body, summary
            article.body_html = render_body(body)
            if title != article.title:
                _rename(article, title[:200])
        for revision in list_revisions("article", article.id):
            fields = dict(revision.fields or {})
            new = {name: _scrub_passage(pattern, placeholder, value) if value else value
                   for name, value in (("title", revision.title), ("body", revision.body),
                                       ("summary", fields.get("summary")))}
            if (new["title"], new["body"]) != (revision.title, revision.body):
                revision.title, revision.body, changed = new["title"], new["body"], True
            if new["summary"] != fields.get("summary"):
                revision.fields, changed = dict(fields, summary=new["summary"]), True
        if changed:
            _record_redaction(article, editor, PASSAGE_SUMMARY)
            indexing.enqueue(KIND, article.id)


def post_redacted(post, post_type, actor=None, passage=None, texts=(), titles=()):
    """forum's post_redacted receiver: what a moderator redacted from a post leaves the
    articles promoted from its thread (a passage wherever it is; a redacted revision's lines
    and title as a deleted post's would)."""
    question_id = post.id if post_type == "question" else post.question_id
    if passage:
        redact_passage(question_id, passage, editor=actor)
    elif texts or titles:
        redact_thread(question_id, list(texts), list(titles), editor=actor,
                      placeholder=PASSAGE_PLACEHOLDER, note=PASSAGE_SUMMARY)

"""Page benchmark: how the main pages hold up from 1,000 to 100,000 questions (DESIGN §9).

Usage (from the project folder):

    .venv/bin/python bench/pages.py             # 1,000 then 100,000 questions (1-2 minutes)
    .venv/bin/python bench/pages.py --small     # 1,000 then 10,000 questions (quick look)
    .venv/bin/python bench/pages.py --keep DIR  # keep DIR/bench.sqlite for a look afterwards
    make bench

What it does:

1. Creates a fresh SQLite database in a temporary folder and fills it, by bulk Core inserts,
   with 1,000 realistic questions: 50 users, 40 tags (a few popular ones), 1-3 tags a question,
   answers on ~70 % of questions, comments and replies, votes that add up to the scores, dates
   over six years and ~2 % deleted posts. One "target" question has exactly 20 answers of
   600-900 characters, 40 comments (some of them replies) and an accepted answer.
2. Measures with Flask's test client (no network, no server) the median time of 30 requests,
   after 3 warm-ups, of the target question page, the question lists (each sort, one popular
   tag) and the home page, as an anonymous visitor and as a signed-in member. Requests go
   round-robin across the pages, so that load from elsewhere on the machine hits them alike.
   They carry a browser's Accept-Encoding: compression is part of the time, as in production.
3. Grows the same database to 100,000 questions (10,000 with --small) and measures again.
4. Prints the times and their ratio (target <= 1.5), the target page's transfer size with its
   stylesheet (budget 20 KB compressed) and its SQL query count (budget 8).

Post texts are the demo site's real posts (core/demo_content.json), so that pages
render and compress like real ones. ANALYZE runs after each fill, so that both sizes are
measured under the same conditions (--no-analyze skips it, as on a site that never runs it).
--show-sql prints the statements of the question page.
It prints figures and always exits 0: it is a measuring tool, not a test. PASS/FAIL only
marks each figure against its DESIGN §9 target.
"""
import argparse
import gc
import itertools
import json
import random
import re
import shutil
import statistics
import sys
import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # runnable as a plain script, whatever the current folder

from sqlalchemy import bindparam, event, func, insert, select, update  # noqa: E402

from core import create_app  # noqa: E402
from core.accounts.models import User  # noqa: E402
from core.accounts.names import name_key  # noqa: E402
from core.accounts.services import create_user, hash_password  # noqa: E402
from core.extensions import db  # noqa: E402
from core.markup import render  # noqa: E402
from core.timeutil import utcnow  # noqa: E402
from forum.models import Answer, Comment, Question, Tag, Vote, question_tag  # noqa: E402

# --- What is measured and against which target -------------------------------------------

SEED = 1729
SMALL_SIZE = 1_000
LARGE_SIZE = 100_000
QUICK_LARGE_SIZE = 10_000
WARMUPS = 3
REQUESTS = 30
RATIO_TARGET = 1.5
TRANSFER_BUDGET = 20 * 1024
QUERY_BUDGET = 8
# What a browser sends: the page is compressed as in production and the time includes it.
BROWSER_HEADERS = {"Accept-Encoding": "gzip, deflate, br",
                   "Accept-Language": "fr-FR,fr;q=0.9,en;q=0.8"}
CSRF_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
STYLESHEET_RE = re.compile(r'href="(/static/style\.css\?v=[^"]+)"')
MEMBER = {"username": "bench_member", "email": "bench.member@example.org",
          "password": "bench-password-1"}

# --- Shape of the generated forum --------------------------------------------------------

USERS = 50
YEARS = 6
BATCH = 5_000
DELETED_RATE = 0.02
ANSWERED_RATE = 0.70
EDITED_RATE = 0.10
TARGET_ANSWERS = 20
TARGET_COMMENTS = 40
TARGET_QUESTION_COMMENTS = 8
TARGET_REPLIES = 12

FIRST_NAMES = ("Amina", "Jean", "Sokha", "Rivo", "Lucía", "Moussa", "Claire", "Dara", "Fanja",
               "Pedro", "Awa", "Youssef", "Marie", "Chantha", "Hery", "Rosa", "Ibrahima",
               "Nadia", "Vanna", "Tojo", "Carmen", "Omar", "Léa", "Sophea", "Lova")
LAST_NAMES = ("Ndiaye", "Dupont", "Chea", "Rakoto", "Quispe", "Traoré", "Martin", "Sok",
              "Andria", "Mamani", "Diallo", "Benali", "Bernard", "Keo", "Rabe")
ORGANISATIONS = ("Samusocial", "Enfants du Monde", "Aide à l'enfance", "Foyer Saint-Paul",
                 "Équipe mobile de nuit", "Maison des jeunes", "")
COUNTRIES = ("CM", "PE", "FR", "KH", "MG", "SN", "MA", "BE", "")
TAGS = ("premier-contact", "maraude", "mineurs-non-accompagnes", "sante-mentale", "addictions",
        "hebergement", "famille", "scolarisation", "droits", "police", "violences",
        "exploitation", "filles", "nuit", "gare", "migration", "papiers", "sante", "nutrition",
        "ecoute", "confiance", "fugue", "reinsertion", "formation", "equipe", "supervision",
        "burn-out", "partenariats", "justice", "age", "traumatisme", "jeux", "sport",
        "apprentissage", "documentation", "ethique", "confidentialite", "benevoles",
        "financement", "evaluation")
# Real posts written for the demo site: they render and compress like the forum's own text,
# which a generator repeating a few sentences would not (gzip would flatter the page).
DEMO_CONTENT = ROOT / "core" / "demo_content.json"


# --- Text ---------------------------------------------------------------------------------

def rendered(text):
    """(markdown, sanitised HTML) as the app stores them."""
    return text, render(text)


def _comment_bodies(comments):
    for comment in comments:
        yield comment["body"]
        yield from _comment_bodies(comment.get("replies", []))


@dataclass
class Corpus:
    """The demo site's posts, each rendered once and reused: rendering 300,000 bodies would
    take longer than inserting them, and the stored HTML is what the pages cost."""

    questions: list  # (title, lang, (body, body_html))
    answers: list  # (body, body_html), as the answers below
    comments: list
    target_answers: list  # 20 answers of 600 to 900 characters, French ones first
    target_comments: list  # the 40 longest comments (about 150 characters)

    @classmethod
    def load(cls):
        content = json.loads(DEMO_CONTENT.read_text(encoding="utf-8"))
        questions = content["questions"]
        answers = [(question["lang"] != "fr", answer["body"])
                   for question in questions for answer in question["answers"]]
        comments = [body for question in questions for body in _comment_bodies(
            question["comments"] + [c for a in question["answers"] for c in a.get("comments", [])])]
        target_answers = [body for _, body in sorted(answers) if 600 <= len(body) <= 900]
        if len(target_answers) < TARGET_ANSWERS or len(comments) < TARGET_COMMENTS:
            raise RuntimeError(f"{DEMO_CONTENT} has too few posts for the target question")
        return cls(
            questions=[(q["title"], q["lang"], rendered(q["body"])) for q in questions],
            answers=[rendered(body) for _, body in answers],
            comments=[rendered(body) for body in comments],
            target_answers=[rendered(body) for body in target_answers[:TARGET_ANSWERS]],
            target_comments=[rendered(body) for body in
                             sorted(comments, key=len, reverse=True)[:TARGET_COMMENTS]])


# --- Generated rows -----------------------------------------------------------------------

@dataclass
class Sequences:
    """Explicit primary keys, so that rows can refer to each other before they are inserted."""

    question: itertools.count
    answer: itertools.count
    comment: itertools.count

    @classmethod
    def after_existing(cls, conn):
        def start(model):
            return (conn.scalar(select(func.max(model.id))) or 0) + 1
        return cls(*(itertools.count(start(model)) for model in (Question, Answer, Comment)))


@dataclass
class Batch:
    """Rows for one transaction, in insertion order of their tables."""

    questions: list = field(default_factory=list)
    question_tags: list = field(default_factory=list)
    answers: list = field(default_factory=list)
    comments: list = field(default_factory=list)
    votes: list = field(default_factory=list)
    # question.accepted_answer_id points at an answer that points back at the question: the
    # question goes in first with NULL, the answer after, then this update.
    accepted: list = field(default_factory=list)

    def insert(self, conn):
        tables = ((Question.__table__, self.questions), (question_tag, self.question_tags),
                  (Answer.__table__, self.answers), (Comment.__table__, self.comments),
                  (Vote.__table__, self.votes))
        for table, rows in tables:
            if rows:
                conn.execute(insert(table), rows)
        if self.accepted:
            table = Question.__table__
            conn.execute(update(table).where(table.c.id == bindparam("q_id"))
                         .values(accepted_answer_id=bindparam("a_id")), self.accepted)


class ForumGenerator:
    """Makes plausible users, tags, questions, answers, comments and votes."""

    def __init__(self, rng, now, corpus, voter_ids, tag_ids):
        self.rng = rng
        self.now = now
        self.corpus = corpus
        self.voter_ids = voter_ids  # every user, the signed-in member included
        self.author_ids = [user_id for user_id in voter_ids if user_id <= USERS]
        self.tag_ids = tag_ids
        # Zipf-like popularity: the first tags carry most questions, as on real forums.
        self.tag_weights = [1 / (rank + 1) ** 0.9 for rank in range(len(tag_ids))]

    # Dates and small random facts

    def question_date(self):
        # More questions lately than six years ago: the forum grew.
        age = YEARS * 365 * 86400 * (1 - self.rng.random() ** 0.5)
        return self.now - timedelta(seconds=age)

    def later(self, start, mean_hours):
        return min(self.now, start + timedelta(hours=self.rng.expovariate(1 / mean_hours)))

    def deletion(self, created, author_id):
        if self.rng.random() >= DELETED_RATE:
            return {"deleted_at": None, "deleted_by_id": None}
        return {"deleted_at": self.later(created, 48), "deleted_by_id": author_id}

    def edit_date(self, created):
        return self.later(created, 72) if self.rng.random() < EDITED_RATE else None

    def votes(self, batch, author_id, created, target_column, post_id):
        """Votes by distinct users (never the author); returns the score they add up to."""
        ups = min(int(self.rng.paretovariate(1.4)) - 1, 30)
        downs = self.rng.choice((0,) * 9 + (self.rng.randint(1, 3),))
        voters = self.rng.sample([v for v in self.voter_ids if v != author_id], ups + downs)
        for index, voter in enumerate(voters):
            batch.votes.append({
                "user_id": voter, "question_id": None, "answer_id": None,
                target_column: post_id, "value": 1 if index < ups else -1,
                "created_at": self.later(created, 200)})
        return ups - downs

    # Rows

    def question_row(self, batch, question_id, created, author_id=None, text=None,
                     deleted=True):
        author_id = author_id or self.rng.choice(self.author_ids)
        title, lang, (body, body_html) = text or self.rng.choice(self.corpus.questions)
        edited = self.edit_date(created)
        row = {
            "id": question_id, "title": title, "body": body, "body_html": body_html,
            "author_id": author_id, "lang": lang,
            "score": self.votes(batch, author_id, created, "question_id", question_id),
            "answer_count": 0, "accepted_answer_id": None,
            "status": self.rng.choices(("open", "closed", "duplicate"), (96, 3, 1))[0],
            "created_at": created, "edited_at": edited, "last_activity_at": edited or created,
            **(self.deletion(created, author_id) if deleted else
               {"deleted_at": None, "deleted_by_id": None}),
        }
        batch.questions.append(row)
        tag_count = self.rng.choice((1, 2, 2, 3))
        chosen = set()
        while len(chosen) < tag_count:
            chosen.add(self.rng.choices(self.tag_ids, self.tag_weights)[0])
        batch.question_tags.extend({"question_id": question_id, "tag_id": tag_id}
                                   for tag_id in chosen)
        return row

    def answer_row(self, batch, answer_id, question, body=None, deleted=True):
        author_id = self.rng.choice([a for a in self.author_ids if a != question["author_id"]])
        created = self.later(question["created_at"], 40)
        body, body_html = body or self.rng.choice(self.corpus.answers)
        row = {
            "id": answer_id, "question_id": question["id"], "body": body,
            "body_html": body_html, "author_id": author_id,
            "score": self.votes(batch, author_id, created, "answer_id", answer_id),
            "created_at": created, "edited_at": self.edit_date(created),
            **(self.deletion(created, author_id) if deleted else
               {"deleted_at": None, "deleted_by_id": None}),
        }
        batch.answers.append(row)
        if row["deleted_at"] is None:
            question["answer_count"] += 1
        self.touch(question, row["edited_at"] or created)
        return row

    def comment_row(self, batch, comment_id, question, post, on_answer, parent=None, body=None,
                    deleted=True):
        author_id = self.rng.choice(self.author_ids)
        created = self.later((parent or post)["created_at"], 20)
        body, body_html = body or self.rng.choice(self.corpus.comments)
        row = {
            "id": comment_id, "thread_id": question["id"],
            "question_id": None if on_answer else post["id"],
            "answer_id": post["id"] if on_answer else None,
            "parent_id": parent["id"] if parent else None,
            "body": body, "body_html": body_html, "author_id": author_id, "created_at": created,
            **(self.deletion(created, author_id) if deleted else
               {"deleted_at": None, "deleted_by_id": None}),
        }
        batch.comments.append(row)
        self.touch(question, created)
        return row

    @staticmethod
    def touch(question, moment):
        question["last_activity_at"] = max(question["last_activity_at"], moment)

    def comments_on(self, batch, sequences, question, post, on_answer, count):
        """`count` comments on one post; about a quarter reply to an earlier one."""
        made = []
        for _ in range(count):
            parent = self.rng.choice(made) if made and self.rng.random() < 0.25 else None
            made.append(self.comment_row(batch, next(sequences.comment), question, post,
                                         on_answer, parent))

    def filler_question(self, batch, sequences):
        """An ordinary question: answers on ~70 %, a few comments, sometimes an accepted answer."""
        question = self.question_row(batch, next(sequences.question), self.question_date())
        self.comments_on(batch, sequences, question, question, False,
                         self.rng.choices((0, 1, 2, 3), (55, 25, 12, 8))[0])
        answers = []
        if self.rng.random() < ANSWERED_RATE:
            for _ in range(min(1 + int(self.rng.expovariate(1 / 1.5)), 12)):
                answer = self.answer_row(batch, next(sequences.answer), question)
                answers.append(answer)
                self.comments_on(batch, sequences, question, answer, True,
                                 self.rng.choices((0, 1, 2), (70, 20, 10))[0])
        live = [answer for answer in answers if answer["deleted_at"] is None]
        if live and self.rng.random() < 0.45:
            accepted = self.rng.choice(live)
            batch.accepted.append({"q_id": question["id"], "a_id": accepted["id"]})

    def target_question(self, batch, sequences):
        """The page of DESIGN §9: 20 answers of 600-900 characters, 40 comments, one accepted."""
        rng = self.rng
        question = self.question_row(
            batch, next(sequences.question), self.now - timedelta(days=200), author_id=2,
            text=self.corpus.questions[0], deleted=False)
        question["status"] = "open"
        answers = [self.answer_row(batch, next(sequences.answer), question, body=body,
                                   deleted=False) for body in self.corpus.target_answers]
        # Accept a middling answer, so that "accepted first" reorders the page.
        accepted = sorted(answers, key=lambda answer: answer["score"])[TARGET_ANSWERS // 2]
        batch.accepted.append({"q_id": question["id"], "a_id": accepted["id"]})
        posts = [(question, False)] * TARGET_QUESTION_COMMENTS + [
            (rng.choice(answers), True) for _ in range(TARGET_COMMENTS - TARGET_QUESTION_COMMENTS)]
        made = []  # (comment, the post it is on)
        for index, ((post, on_answer), body) in enumerate(zip(posts, self.corpus.target_comments)):
            # The last TARGET_REPLIES comments reply to an earlier one on the same post when
            # there is one, so that the page shows nested threads.
            earlier = [comment for comment, on in made if on is post]
            replies = index >= TARGET_COMMENTS - TARGET_REPLIES
            parent = rng.choice(earlier) if earlier and replies else None
            made.append((self.comment_row(batch, next(sequences.comment), question, post,
                                          on_answer, parent, body=body, deleted=False), post))
        return question["id"]


# --- Building the database ----------------------------------------------------------------

def user_rows(rng, now, password_hash):
    rows = []
    for user_id in range(1, USERS + 1):
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        username = f"{first.lower().replace('é', 'e').replace('í', 'i')}{user_id:02d}"
        rows.append({
            "id": user_id, "username": username, "username_key": username.lower(),
            "display_name": f"{first} {last}", "display_name_key": name_key(f"{first} {last}"),
            "email": f"{username}@example.org",
            "password_hash": password_hash,
            # One moderator, a few experts, members otherwise.
            "role": "moderator" if user_id == 1 else ("expert" if user_id <= 6 else "member"),
            "organisation": rng.choice(ORGANISATIONS), "country": rng.choice(COUNTRIES),
            "locale": rng.choice(("fr", "fr", "en", "es", None)),
            "languages": rng.choice(("fr", "fr en", "es fr", "km fr", "mg fr")), "bio": "",
            "created_at": now - timedelta(days=rng.randint(30, YEARS * 365)),
            "last_seen_at": now - timedelta(days=rng.randint(0, 60)), "suspended_until": None})
    return rows


def tag_rows(now):
    return [{"id": index + 1, "name": name, "description": "", "question_count": 0,
             "created_at": now - timedelta(days=YEARS * 365)} for index, name in enumerate(TAGS)]


def refresh_tag_counts(conn):
    """Tag.question_count as the app keeps it: live questions only."""
    live = (select(func.count()).select_from(question_tag)
            .join(Question.__table__, Question.__table__.c.id == question_tag.c.question_id)
            .where(question_tag.c.tag_id == Tag.__table__.c.id,
                   Question.__table__.c.deleted_at.is_(None)).scalar_subquery())
    conn.execute(update(Tag.__table__).values(question_count=live))


def settle(conn, analyze):
    """Leave the database as a running site would: WAL checkpointed, statistics known."""
    conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    if analyze:
        conn.exec_driver_sql("ANALYZE")


@dataclass
class Forum:
    """The benchmark's database and the facts the measurements need."""

    generator: ForumGenerator
    target_id: int
    popular_tag: str

    @classmethod
    def create(cls, app, rng, size, analyze=True):
        """Schema, users, tags, the member who signs in, the target question and fillers."""
        now = utcnow()
        with app.app_context():
            db.create_all()
            with db.engine.begin() as conn:
                conn.execute(insert(User.__table__),
                             user_rows(rng, now, hash_password(MEMBER["password"])))
                conn.execute(insert(Tag.__table__), tag_rows(now))
            member = create_user(MEMBER["username"], MEMBER["email"], MEMBER["password"])
            generator = ForumGenerator(rng, now, Corpus.load(),
                                       list(range(1, USERS + 1)) + [member.id],
                                       list(range(1, len(TAGS) + 1)))
            with db.engine.begin() as conn:
                batch = Batch()
                target_id = generator.target_question(batch, Sequences.after_existing(conn))
                batch.insert(conn)
        forum = cls(generator, target_id, TAGS[0])
        forum.grow(app, size, analyze)
        return forum

    def grow(self, app, size, analyze=True):
        """Add filler questions until there are `size`, committing every BATCH questions."""
        with app.app_context():
            with db.engine.connect() as conn:
                missing = size - conn.scalar(select(func.count(Question.id)))
            while missing > 0:
                with db.engine.begin() as conn:
                    sequences = Sequences.after_existing(conn)
                    batch = Batch()
                    for _ in range(min(BATCH, missing)):
                        self.generator.filler_question(batch, sequences)
                    batch.insert(conn)
                missing -= len(batch.questions)
            with db.engine.begin() as conn:
                refresh_tag_counts(conn)
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                settle(conn, analyze)


def describe(app):
    """Row counts, to print beside the figures."""
    with app.app_context(), db.engine.connect() as conn:
        return {model.__tablename__: conn.scalar(select(func.count()).select_from(model))
                for model in (Question, Answer, Comment, Vote)}


# --- Measuring ----------------------------------------------------------------------------

class PageError(Exception):
    """A page answered something other than 200: shown in the table instead of a time."""


def fetch(client, url, headers=None):
    response = client.get(url, headers=headers or {})
    try:
        if response.status_code != 200:
            raise PageError(f"HTTP {response.status_code}")
        return response.get_data()
    finally:
        response.close()  # static files are streamed from an open file


def median_times(targets):
    """Median wall time in ms of each (client, url) in `targets`, keyed like `targets`.

    Requests go round-robin, one per page a round (WARMUPS rounds, then REQUESTS measured
    ones): a burst of load from elsewhere on the machine then hits every page alike instead
    of skewing the one measured at that moment. A page that fails gets its error instead.
    """
    samples = {key: [] for key in targets}
    failed = {}
    gc.collect()  # the fill's garbage is not the pages' to pay for
    for round_number in range(WARMUPS + REQUESTS):
        for key, (client, url) in targets.items():
            if key in failed:
                continue
            start = time.perf_counter()
            try:
                fetch(client, url, BROWSER_HEADERS)
            except PageError as error:
                failed[key] = str(error)
                continue
            if round_number >= WARMUPS:
                samples[key].append(time.perf_counter() - start)
    return {key: failed.get(key) or statistics.median(samples[key]) * 1000 for key in targets}


def signed_in_client(app):
    """A test client signed in as the member, through the real login form."""
    client = app.test_client()
    token = CSRF_RE.search(fetch(client, "/auth/login").decode()).group(1)
    response = client.post("/auth/login", data={
        "username": MEMBER["username"], "password": MEMBER["password"], "csrf_token": token})
    if response.status_code != 302:
        raise RuntimeError(f"sign-in failed: HTTP {response.status_code}")
    return client


@contextmanager
def recorded_queries(engine):
    """Collect the SQL statements the engine sends while the block runs."""
    statements = []

    def record(_conn, _cursor, statement, _parameters, _context, _executemany):
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", record)


def compressed_size(client, url, encoding):
    """(bytes on the wire, Content-Encoding actually used) for one Accept-Encoding."""
    response = client.get(url, headers={"Accept-Encoding": encoding})
    try:
        return len(response.get_data()), response.headers.get("Content-Encoding", "identity")
    finally:
        response.close()


def transfer(client, url):
    """What the question page and its stylesheet weigh on the wire."""
    html = fetch(client, url).decode()
    css_url = STYLESHEET_RE.search(html).group(1)
    return {"html": (len(html.encode()), "identity"),
            "html gzip": compressed_size(client, url, "gzip"),
            "html br": compressed_size(client, url, "br"),
            "css": compressed_size(client, css_url, "identity"),
            "css gzip": compressed_size(client, css_url, "gzip"),
            "css br": compressed_size(client, css_url, "br")}


def page_urls(forum):
    return [f"/questions/{forum.target_id}", "/questions", "/questions?sort=votes",
            "/questions?sort=active", "/questions?sort=unanswered",
            f"/questions?tag={forum.popular_tag}", "/"]


def measure(app, forum):
    """Times of every page for both visitors, and the question page's queries and weight."""
    clients = {"anonymous": app.test_client(), "member": signed_in_client(app)}
    question_url = f"/questions/{forum.target_id}"
    result = {"queries": {}, "transfer": {}}
    result["times"] = median_times({(url, who): (client, url) for url in page_urls(forum)
                                    for who, client in clients.items()})
    with app.app_context():
        engine = db.engine
    for who, client in clients.items():
        with recorded_queries(engine) as statements:
            fetch(client, question_url, BROWSER_HEADERS)
        result["queries"][who] = statements
        result["transfer"][who] = transfer(client, question_url)
    return result


# --- Report -------------------------------------------------------------------------------

def mark(ok):
    return "PASS" if ok else "FAIL"


def print_times(sizes, results):
    small, large = sizes
    print(f"\nMedian server time, ms ({REQUESTS} requests after {WARMUPS} warm-ups, "
          f"Accept-Encoding: {BROWSER_HEADERS['Accept-Encoding']})")
    print(f"{'page':<34}{'visitor':<11}{small:>9,} q{large:>11,} q{'ratio':>8}  "
          f"target ≤ {RATIO_TARGET}")
    for key, first in results[small]["times"].items():
        second = results[large]["times"][key]
        if isinstance(first, str) or isinstance(second, str):
            print(f"{key[0]:<34}{key[1]:<11}{first!s:>11}{second!s:>13}{'':>8}  FAIL")
            continue
        ratio = second / first
        print(f"{key[0]:<34}{key[1]:<11}{first:>11.2f}{second:>13.2f}{ratio:>8.2f}  "
              f"{mark(ratio <= RATIO_TARGET)}")


def print_queries(sizes, results, show_sql):
    print(f"\nSQL queries for the question page (budget ≤ {QUERY_BUDGET})")
    for who in ("anonymous", "member"):
        counts = [len(results[size]["queries"][who]) for size in sizes]
        cells = "".join(f"{count:>9} at {size:,} q" for count, size in zip(counts, sizes))
        print(f"  {who:<11}{cells}  {mark(max(counts) <= QUERY_BUDGET)}")
        if show_sql:
            for statement in results[sizes[-1]]["queries"][who]:
                print("      " + " ".join(statement.split())[:160])


def print_transfer(forum, size, result):
    print(f"\nTransfer size of /questions/{forum.target_id} ({TARGET_ANSWERS} answers, "
          f"{TARGET_COMMENTS} comments) and style.css, bytes, at {size:,} questions")
    print(f"{'':<26}{'anonymous':>22}{'member':>22}")
    rows = ("html", "html gzip", "html br", "css", "css gzip", "css br")
    for row in rows:
        cells = "".join(f"{result[who][row][0]:>10,} ({result[who][row][1]:<8})"
                        for who in ("anonymous", "member"))
        print(f"  {row:<24}{cells}")
    for encoding in ("gzip", "br"):
        totals = [result[who][f"html {encoding}"][0] + result[who][f"css {encoding}"][0]
                  for who in ("anonymous", "member")]
        cells = "".join(f"{total:>10,} {'':<9}" for total in totals)
        print(f"  {'HTML + CSS, ' + encoding:<24}{cells} budget {TRANSFER_BUDGET:,}: "
              + " / ".join(mark(total <= TRANSFER_BUDGET) for total in totals))


def report(forum, sizes, results, counts, show_sql):
    print("\nRows: " + "; ".join(
        f"{size:,} q → " + ", ".join(f"{n:,} {table}s" for table, n in counts[size].items())
        for size in sizes))
    print_times(sizes, results)
    print_queries(sizes, results, show_sql)
    print_transfer(forum, sizes[-1], results[sizes[-1]]["transfer"])


# --- Entry point --------------------------------------------------------------------------

def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--small", action="store_true",
                        help=f"measure at {SMALL_SIZE:,} and {QUICK_LARGE_SIZE:,} questions only")
    parser.add_argument("--keep", metavar="DIR",
                        help="build the database in DIR/bench.sqlite and keep it")
    parser.add_argument("--no-analyze", dest="analyze", action="store_false",
                        help="skip ANALYZE, as a site that never runs it")
    parser.add_argument("--show-sql", action="store_true",
                        help="print the statements of the question page")
    args = parser.parse_args(argv)
    if args.keep and (Path(args.keep) / "bench.sqlite").exists():
        parser.error(f"{args.keep}/bench.sqlite exists: the benchmark needs a fresh database")
    return args


def run(folder, args):
    sizes = (SMALL_SIZE, QUICK_LARGE_SIZE if args.small else LARGE_SIZE)
    app = create_app({
        "INSTANCE_PATH": folder,
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/bench.sqlite",
        "SECRET_KEY": "bench",
        "RATELIMIT_ENABLED": False,
        "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
    })
    rng = random.Random(SEED)
    results, counts = {}, {}
    forum = None
    for size in sizes:
        start = time.perf_counter()
        if forum is None:
            forum = Forum.create(app, rng, size, args.analyze)
        else:
            forum.grow(app, size, args.analyze)
        counts[size] = describe(app)
        print(f"{size:,} questions ready in {time.perf_counter() - start:.1f} s; measuring…",
              flush=True)
        # Measure as a freshly started server would, without the loader's pooled connections.
        with app.app_context():
            db.engine.dispose()
        start = time.perf_counter()
        results[size] = measure(app, forum)
        print(f"  measured in {time.perf_counter() - start:.1f} s", flush=True)
    report(forum, sizes, results, counts, args.show_sql)
    with app.app_context():
        db.engine.dispose()  # close the SQLite files before the folder goes away


def main(argv=None):
    args = parse_args(argv)
    started = time.perf_counter()
    if args.keep:
        Path(args.keep).mkdir(parents=True, exist_ok=True)
        run(str(Path(args.keep).resolve()), args)
        print(f"\nDatabase kept in {Path(args.keep).resolve() / 'bench.sqlite'}")
    else:
        folder = tempfile.mkdtemp(prefix="carnets-bench-")
        try:
            run(folder, args)
        finally:
            shutil.rmtree(folder, ignore_errors=True)
    print(f"Total {time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())

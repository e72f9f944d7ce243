"""Seed the database of an end-to-end server: the demo, plus a question with 20 answers and
40 comments (the page of DESIGN §9's budget). Run as `python -m tests.e2e.seed`; prints JSON."""
import json

from core import create_app
from core.accounts import services as accounts
from core.demo import load
from core.extensions import db
from forum.models import Question
from forum.services.answers import accept_answer, post_answer
from forum.services.comments import post_comment
from forum.services.questions import ask_question
from knowledge.models import Article

ANSWER = ("What worked for our team: we came back at the same hour every evening, said who we "
          "were and what we could offer, and never asked for a name on the first nights. "
          "After a week the boy started to come and sit with us. **Patience** mattered more "
          "than any tool; we also agreed in the team on one person he could always ask for.\n\n"
          "- keep promises small and keep them\n- write the observations, not the judgements\n")


def seed():
    """Create the content and return the ids the tests need."""
    load(echo=lambda *_: None)
    users = [accounts.create_user(f"peer{n:02d}", f"peer{n:02d}@example.org", "peer-password",
                                  display_name=f"Peer {n:02d}") for n in range(1, 22)]
    asker = users[0]
    question = ask_question(
        asker, "How do we keep in touch with a boy who sleeps in a different place every night?",
        "He is 15, he moves between three areas of the city and has no phone. We lose him for "
        "days. How do other outreach teams keep contact without pushing him away?",
        "street-outreach trust first-contact", "en")
    answers = [post_answer(user, question.id, f"{ANSWER}\n\n(Peer {n:02d})")
               for n, user in enumerate(users[1:], start=2)]
    accept_answer(asker, answers[3].id)
    comments = 0
    for index, answer in enumerate(answers):
        first = post_comment(users[(index + 2) % 21], "Did this work with girls too? "
                             "We see different reactions.", answer_id=answer.id)
        post_comment(answer.author, "Yes, with a female colleague present.",
                     parent_id=first.id)
        comments += 2
    # A published article and a French question of the demo, for the pages of every language.
    article = db.session.scalars(db.select(Article).where(Article.status == "published")
                                 .order_by(Article.id)).first()
    french = db.session.scalars(db.select(Question).where(Question.lang == "fr")
                                .order_by(Question.id)).first()
    return {"big_question": question.id, "answers": len(answers), "comments": comments,
            "article": article.slug, "french_question": french.id}


if __name__ == "__main__":
    app = create_app()
    with app.app_context():
        print(json.dumps(seed()))

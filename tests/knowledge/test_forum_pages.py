"""What knowledge adds to forum's pages through core.hooks: "Promote to good practice" for
curators on a thread with a live answer, and no "Promoted to" badge for a mere draft."""
from forum.services import posting
from tests import factories


def _thread(app, name="a", answers=1):
    """A question by `name`_asker with `answers` answers, by `name`_answerer_1, _2…"""
    with app.app_context():
        question = factories.question(factories.user("member", f"{name}_asker"))
        answer_ids = [
            factories.answer(factories.user("member", f"{name}_answerer_{n}"), question.id).id
            for n in range(1, answers + 1)]
        return question.id, answer_ids


def test_only_curators_are_offered_to_promote_a_thread(app, client, user_client):
    question_id, _answers = _thread(app)
    link = f'<p class="actions"><a href="/kb/promote/{question_id}">Promote to good practice</a></p>'
    for role in ("expert", "admin"):
        assert link in user_client(role).get(f"/questions/{question_id}").get_data(as_text=True)
    for reader in (user_client("member"), user_client("moderator"), client):
        assert "/kb/promote/" not in reader.get(f"/questions/{question_id}").get_data(as_text=True)


def test_a_thread_without_a_live_answer_is_not_offered_for_promotion(app, user_client):
    question_id, answer_ids = _thread(app)
    unanswered, _none = _thread(app, "b", answers=0)
    expert = user_client("expert")
    with app.app_context():
        posting.delete_post(factories.user("moderator", "moderator_x"), "answer", answer_ids[0])
    for thread in (question_id, unanswered):
        assert "/kb/promote/" not in expert.get(f"/questions/{thread}").get_data(as_text=True)


def test_a_draft_gives_the_thread_no_promoted_badge(app, client, user_client):
    question_id, answer_ids = _thread(app)
    expert = user_client("expert")
    response = expert.post_form(f"/kb/promote/{question_id}", {"answers": str(answer_ids[0])})
    assert response.status_code == 302
    for reader in (expert, client):
        page = reader.get(f"/questions/{question_id}").get_data(as_text=True)
        assert "Promoted to:" not in page and 'class="promoted"' not in page

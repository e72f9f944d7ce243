"""Safeguarding alerts: a member raises one on any post; it reaches the safeguarding leads and
nobody else; leads acknowledge and close it with what was done, both audited; to anyone else
the alert's pages and forms do not exist, and bad input saves nothing."""
import logging
from datetime import timedelta

import pytest
from sqlalchemy import select

from core.accounts import services as accounts
from core.accounts.services import get_user_by_username
from core.audit.models import AuditEntry
from core.errors import Forbidden, InvalidInput, NotFound
from core.extensions import db
from core.notifications import services as notifications
from core.notifications.models import Notification
from forum.models import SafeguardingAlert
from forum.services import deletion, safeguarding
from tests import factories
from tests.forum.conftest import count, field_error, html, snapshot
from tests.notes import targets as notes_targets

NOTE = "He said he sleeps under the bridge and someone hurts him at night."


def _lead(username="lead"):
    lead = factories.user("member", username)
    accounts.set_safeguarding_lead(lead, True, actor=None)
    return lead


# -- the service ------------------------------------------------------------------------------

def test_an_alert_reaches_each_lead_and_nobody_else(ctx):
    lead, other_lead = _lead("lead1"), _lead("lead2")
    moderator, member = factories.user("moderator"), factories.user("member")
    author, alerter = factories.user("member"), factories.user("member")
    question = factories.question(author)
    answer = factories.answer(author, question.id)
    sent = safeguarding.raise_alert(alerter, "answer", answer.id, f"  {NOTE}  ")
    assert sent.leads == 2
    alert = sent.alert
    assert (alert.target_type, alert.target_id, alert.question_id, alert.alerter_id,
            alert.note) == ("answer", answer.id, question.id, alerter.id, NOTE)
    assert timedelta(hours=3, minutes=59) < alert.due_at - alert.created_at <= timedelta(hours=4)
    for user in (lead, other_lead):
        shown, withheld = notifications.recent(user)[0]
        assert not withheld and shown.kind == "safeguarding_alert"
        assert shown.url == f"/moderation/alerts/{alert.id}"
    for user in (moderator, member, author, alerter):
        assert notifications.recent(user) == []


def test_the_response_time_is_configurable(ctx):
    ctx.config["CARNETS_SAFEGUARDING_RESPONSE_HOURS"] = 1
    try:
        _lead()
        alerter = factories.user("member")
        question = factories.question(factories.user("member"))
        alert = safeguarding.raise_alert(alerter, "question", question.id).alert
        assert alert.due_at - alert.created_at == timedelta(hours=1)
    finally:
        ctx.config["CARNETS_SAFEGUARDING_RESPONSE_HOURS"] = 4


def test_without_a_lead_the_alert_is_kept_and_a_warning_logged(ctx, caplog):
    alerter = factories.user("member")
    question = factories.question(factories.user("member"))
    with caplog.at_level(logging.WARNING):
        sent = safeguarding.raise_alert(alerter, "question", question.id)
    assert sent.leads == 0
    assert count(ctx, SafeguardingAlert) == 1
    assert "no safeguarding lead is named" in caplog.text


def test_a_comment_can_be_the_subject(ctx):
    lead = _lead()
    author = factories.user("member")
    question = factories.question(author)
    answer = factories.answer(author, question.id)
    from forum.services import comments
    comment = comments.post_comment(author, "A short remark on this.", answer_id=answer.id)
    alert = safeguarding.raise_alert(factories.user("member"), "comment", comment.id).alert
    assert alert.question_id == question.id
    case = safeguarding.get_alert(alert.id, lead)
    assert case.post.id == comment.id and case.question.id == question.id


def test_bad_input_saves_nothing(ctx):
    lead = _lead()
    alerter = factories.user("member")
    question = factories.question(factories.user("member"))
    with pytest.raises(InvalidInput) as refused:
        safeguarding.raise_alert(alerter, "question", question.id, "x" * 2001)
    assert refused.value.field == "note"
    for post_type, post_id in (("poll", question.id), ("question", 999), ("answer", 1)):
        with pytest.raises(NotFound):
            safeguarding.raise_alert(alerter, post_type, post_id)
    suspended = factories.user("member")
    suspended.suspended_until = factories.question(alerter).created_at + timedelta(days=3)
    db.session.commit()
    with pytest.raises(Forbidden):
        safeguarding.raise_alert(suspended, "question", question.id)
    assert count(ctx, SafeguardingAlert) == 0
    assert notifications.recent(lead) == []


def test_a_deleted_post_is_alerted_by_whoever_sees_it_and_shown_to_leads(ctx):
    lead = _lead()
    author, reader = factories.user("member"), factories.user("member")
    question = factories.question(author, body="The boy sleeps behind the bus station, alone.")
    answer = factories.answer(author, question.id)
    deletion.delete_post(author, "answer", answer.id)
    with pytest.raises(NotFound):
        safeguarding.raise_alert(reader, "answer", answer.id)
    alert = safeguarding.raise_alert(author, "answer", answer.id).alert
    case = safeguarding.get_alert(alert.id, lead)
    assert case.post.is_deleted and case.post.body_html
    deletion.delete_post(author, "question", question.id)
    assert "bus station" in safeguarding.get_alert(
        safeguarding.raise_alert(author, "question", question.id).alert.id, lead).post.body


def test_open_alerts_come_earliest_deadline_first_with_overdue_marked(ctx):
    _lead()
    alerter = factories.user("member")
    question = factories.question(factories.user("member"))
    first = safeguarding.raise_alert(alerter, "question", question.id).alert
    second = safeguarding.raise_alert(alerter, "question", question.id).alert
    third = safeguarding.raise_alert(alerter, "question", question.id).alert
    second.due_at = second.created_at - timedelta(minutes=20)
    db.session.commit()
    cases = safeguarding.open_alerts()
    assert [case.alert.id for case in cases] == [second.id, first.id, third.id]
    assert [case.overdue for case in cases] == [True, False, False]
    safeguarding.close_alert(get_user_by_username("lead"), second.id, "Called the partner.")
    assert [case.alert.id for case in safeguarding.open_alerts()] == [first.id, third.id]


def test_leads_acknowledge_and_close_with_what_was_done_audited(ctx):
    lead, other = _lead("lead1"), _lead("lead2")
    question = factories.question(factories.user("member"))
    alert = safeguarding.raise_alert(factories.user("member"), "question", question.id).alert
    assert safeguarding.acknowledge_alert(lead, alert.id) is True
    assert safeguarding.acknowledge_alert(other, alert.id) is False  # the first one stays
    assert alert.acknowledged_by_id == lead.id and alert.acknowledged_at is not None
    with pytest.raises(InvalidInput) as refused:
        safeguarding.close_alert(other, alert.id, "   ")
    assert refused.value.field == "action_taken"
    with pytest.raises(InvalidInput):
        safeguarding.close_alert(other, alert.id, "x" * 2001)
    assert alert.closed_at is None
    safeguarding.close_alert(other, alert.id, "Called the child protection unit; visit tonight.")
    assert (alert.closed_by_id, alert.action_taken) == (
        other.id, "Called the child protection unit; visit tonight.")
    with pytest.raises(InvalidInput):
        safeguarding.close_alert(other, alert.id, "Again.")
    with pytest.raises(InvalidInput):
        safeguarding.acknowledge_alert(other, alert.id)
    entries = db.session.scalars(select(AuditEntry).where(
        AuditEntry.target_type == "safeguarding_alert").order_by(AuditEntry.id)).all()
    assert [(e.action, e.actor_id, e.target_id) for e in entries] == [
        ("alert_acknowledged", lead.id, alert.id), ("alert_closed", other.id, alert.id)]
    # What was done stays with the alert, for the leads: not in the log admins read.
    assert all("child protection" not in (e.reason + str(e.details)) for e in entries)


def test_closing_an_unacknowledged_alert_acknowledges_it(ctx):
    lead = _lead()
    question = factories.question(factories.user("member"))
    alert = safeguarding.raise_alert(factories.user("member"), "question", question.id).alert
    safeguarding.close_alert(lead, alert.id, "Informed the shelter's director.")
    assert alert.acknowledged_by_id == lead.id
    assert [e.action for e in db.session.scalars(select(AuditEntry).order_by(
        AuditEntry.id)) if e.target_type == "safeguarding_alert"] == [
        "alert_acknowledged", "alert_closed"]


def test_nobody_but_a_lead_reads_or_handles_an_alert(ctx):
    _lead()
    question = factories.question(factories.user("member"))
    alerter = factories.user("member")
    alert = safeguarding.raise_alert(alerter, "question", question.id).alert
    for user in (None, alerter, factories.user("moderator"), factories.user("admin")):
        with pytest.raises(NotFound):
            safeguarding.get_alert(alert.id, user)
        with pytest.raises(NotFound):
            safeguarding.acknowledge_alert(user, alert.id)
        with pytest.raises(NotFound):
            safeguarding.close_alert(user, alert.id, "Nothing.")
    assert alert.acknowledged_at is None and alert.closed_at is None
    assert db.session.scalars(select(AuditEntry).where(
        AuditEntry.action.like("alert_%"))).all() == []


# -- the pages --------------------------------------------------------------------------------

@pytest.fixture
def thread(app, seed, make_user):
    author = make_user("member")
    question_id = seed.question(author, title="A boy of ten alone at the bus station")
    answer_id = seed.answer(author, question_id,
                            body="He told me the man at the garage beats him every night.")
    comment_id = seed.comment(author, question_id=question_id)
    return {"question": question_id, "answer": answer_id, "comment": comment_id}


@pytest.fixture
def lead_client(app, user_client):
    lead = user_client("member")
    with app.app_context():
        accounts.set_safeguarding_lead(get_user_by_username(lead.username), True)
    return lead


def test_every_post_offers_the_control_to_signed_in_members_only(app, client, user_client,
                                                                   thread):
    page = html(user_client("member").get(f"/questions/{thread['question']}"))
    for kind in ("questions", "answers", "comments"):
        assert f'href="/{kind}/{thread[kind[:-1]]}/alert"' in page
    assert "A child may be in danger now" in page
    assert "/alert" not in html(client.get(f"/questions/{thread['question']}"))


def test_the_form_explains_and_the_member_is_told_it_was_sent(app, user_client, lead_client,
                                                              thread):
    member = user_client("member")
    url = f"/answers/{thread['answer']}/alert"
    page = html(member.get(url))
    assert "privately to your organisation's safeguarding leads" in page
    assert "emergency services or child helpline" in page
    assert "A boy of ten alone at the bus station" in page
    response = member.post_form(url, {"note": NOTE})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"#answer-{thread['answer']}")
    assert "Your alert was sent to the safeguarding leads." in html(
        member.get(response.headers["Location"]))
    with app.app_context():
        alert = db.session.scalars(select(SafeguardingAlert)).one()
        assert (alert.target_type, alert.target_id, alert.note) == (
            "answer", thread["answer"], NOTE)
    # The lead: first on /moderation, in the notifications, and the alert's own page.
    moderation = html(lead_client.get("/moderation"))
    assert moderation.index('id="alerts-heading"') < moderation.index(NOTE)
    assert "the man at the garage beats him" in moderation and "due in" in moderation
    assert "Nobody has acknowledged it yet." in moderation
    notes = html(lead_client.get("/notifications"))
    assert "Safeguarding alert, a child may be in danger:" in notes
    assert notes_targets(lead_client) == [f"/moderation/alerts/{alert.id}"]
    alert_page = lead_client.get(f"/moderation/alerts/{alert.id}")
    assert "A boy of ten alone at the bus station" in html(alert_page)


def test_without_a_lead_the_member_is_told_to_contact_their_organisation(app, user_client,
                                                                         thread):
    member = user_client("member")
    response = member.post_form(f"/questions/{thread['question']}/alert", {"note": ""},
                                follow_redirects=True)
    page = html(response)
    assert "contact your organisation directly" in page
    assert "Your alert was sent" not in page
    assert count(app, SafeguardingAlert) == 1


def test_leads_acknowledge_and_close_through_the_pages(app, user_client, lead_client, thread):
    member = user_client("member")
    member.post_form(f"/comments/{thread['comment']}/alert", {"note": NOTE})
    with app.app_context():
        alert_id = db.session.scalars(select(SafeguardingAlert.id)).one()
    url = f"/moderation/alerts/{alert_id}"
    assert lead_client.post_form(f"{url}/acknowledge").status_code == 302
    page = html(lead_client.get(url))
    assert "Acknowledged by" in page and "I am handling it" not in page
    refused = lead_client.post_form(f"{url}/close", {"action_taken": ""})
    assert refused.status_code == 400 and field_error(html(refused), "action_taken")
    response = lead_client.post_form(f"{url}/close",
                                     {"action_taken": "Called the outreach team\x00 tonight."})
    assert response.status_code == 400  # a NUL byte: the form again, nothing saved
    with app.app_context():
        assert db.session.get(SafeguardingAlert, alert_id).closed_at is None
    response = lead_client.post_form(f"{url}/close",
                                     {"action_taken": "Called the outreach team tonight."})
    assert response.status_code == 302
    assert "No open alert." in html(lead_client.get("/moderation"))
    page = html(lead_client.get(url))
    assert "Called the outreach team tonight." in page and "Closed by" in page
    with app.app_context():
        actions = db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)).all()
    assert actions[-2:] == ["alert_acknowledged", "alert_closed"]


def test_others_get_404_and_nothing_changes(app, client, user_client, lead_client, thread):
    alerter = user_client("member")
    alerter.post_form(f"/answers/{thread['answer']}/alert", {"note": NOTE})
    with app.app_context():
        alert_id = db.session.scalars(select(SafeguardingAlert.id)).one()
    url = f"/moderation/alerts/{alert_id}"
    before = snapshot(app, SafeguardingAlert, AuditEntry, Notification)
    for other in (client, alerter, user_client("member"), user_client("moderator"),
                  user_client("admin")):
        assert other.get(url).status_code == 404
        if other is not client:
            assert other.post_form(f"{url}/acknowledge").status_code == 404
            assert other.post_form(f"{url}/close",
                                   {"action_taken": "Nothing."}).status_code == 404
            page = html(other.get("/notifications"))
            assert "Safeguarding alert" not in page and NOTE not in page
        if other is not client:
            assert NOTE not in html(other.get("/moderation"))
        assert NOTE not in html(other.get(f"/questions/{thread['question']}"))
        assert NOTE not in html(other.get("/search?q=bridge"))
    assert snapshot(app, SafeguardingAlert, AuditEntry, Notification) == before
    moderation = html(user_client("moderator").get("/moderation"))
    assert 'id="alerts-heading"' not in moderation


def test_bad_requests_are_refused_without_a_500(app, user_client, lead_client, thread):
    member = user_client("member")
    for url in ("/answers/1234567890123456789012345/alert", "/polls/1/alert",
                "/answers/999/alert", "/moderation/alerts/1234567890123456789012345",
                "/moderation/alerts/999"):
        assert member.get(url).status_code == 404
        assert lead_client.get(url).status_code == 404
    long_note = member.post_form(f"/questions/{thread['question']}/alert",
                                 {"note": "x" * 2001})
    assert long_note.status_code == 400 and field_error(html(long_note), "note")
    nul = member.post_form(f"/questions/{thread['question']}/alert", {"note": "a\x00b"})
    assert nul.status_code == 400 and field_error(html(nul), "note")
    no_token = member.post(f"/questions/{thread['question']}/alert", data={"note": "hello"})
    assert no_token.status_code == 400
    assert lead_client.post("/moderation/alerts/1/acknowledge").status_code in (400, 404)
    assert count(app, SafeguardingAlert) == 0


def test_an_admin_names_a_lead_on_the_profile_page(app, user_client, make_user):
    admin, member = user_client("admin"), user_client("member")
    target = make_user("member")
    page = html(admin.get(f"/users/{target}"))
    assert "Safeguarding lead:" in page and "Name as safeguarding lead" in page
    assert "Safeguarding lead:" not in html(member.get(f"/users/{target}"))
    url = f"/users/{target}/safeguarding-lead"
    assert member.post_form(url, {"lead": "yes"}).status_code == 403
    assert user_client("moderator").post_form(url, {"lead": "yes"}).status_code == 403
    assert admin.post_form(url, {"lead": "maybe"}).status_code == 400
    with app.app_context():
        assert not get_user_by_username(target).safeguarding_lead
    assert admin.post_form(url, {"lead": "yes"}).status_code == 302
    with app.app_context():
        assert get_user_by_username(target).safeguarding_lead
        entry = db.session.scalars(select(AuditEntry)).one()
        assert (entry.action, entry.actor.username) == ("safeguarding_lead_added", admin.username)
    assert "Stop receiving safeguarding alerts" in html(admin.get(f"/users/{target}"))
    assert admin.post_form(url, {"lead": "no"}).status_code == 302
    with app.app_context():
        assert not get_user_by_username(target).safeguarding_lead
    assert admin.post_form("/users/nobody-here/safeguarding-lead",
                           {"lead": "yes"}).status_code == 404


def test_the_leads_read_the_deadline_in_words(app, user_client, lead_client, thread):
    member = user_client("member")
    for kind in ("questions", "answers"):
        member.post_form(f"/{kind}/{thread[kind[:-1]]}/alert", {"note": f"About the {kind}"})
    with app.app_context():
        late = db.session.scalars(select(SafeguardingAlert).where(
            SafeguardingAlert.target_type == "answer")).one()
        late.due_at = late.created_at - timedelta(minutes=20)
        db.session.commit()
    page = html(lead_client.get("/moderation"))
    assert "2 open alerts, the most urgent first." in page
    # The overdue one first, marked; the other due within the response time (4 hours).
    assert page.index("overdue by 20 minutes") < page.index("due in 4 hours")
    assert page.index("About the answers") < page.index("About the questions")
    assert 'class="alert overdue"' in page

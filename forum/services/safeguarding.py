"""Safeguarding alerts: "a child may be in danger now", sent privately to the leads.

A member raises an alert on a question, answer or comment; each safeguarding lead is
notified, and nobody else. Leads acknowledge it, record what was done and close it (both
audited). To anyone who is not a lead, an alert does not exist (NotFound).
"""
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from core.accounts.services import safeguarding_leads
from core.audit import services as audit
from core.errors import InvalidInput, NotFound
from core.extensions import db
from core.i18n import lazy_gettext as _l
from core.notifications.services import notify
from core.timeutil import utcnow
from core.transactions import transactional
from forum.models import Answer, Comment, Question, SafeguardingAlert
from forum.permissions import allow_handle_alerts, allow_raise_alert
from forum.services import threads

TARGET_TYPES = ("question", "answer", "comment")
NOTE_LENGTH = 2000
ACTION_LENGTH = 2000
DEFAULT_RESPONSE_HOURS = 4
_MODELS = {"question": Question, "answer": Answer, "comment": Comment}


def response_time():
    """How long the leads have to respond (CARNETS_SAFEGUARDING_RESPONSE_HOURS)."""
    hours = current_app.config.get("CARNETS_SAFEGUARDING_RESPONSE_HOURS",
                                   DEFAULT_RESPONSE_HOURS)
    try:
        hours = float(hours)
    except (TypeError, ValueError):
        hours = DEFAULT_RESPONSE_HOURS
    return timedelta(hours=hours if hours > 0 else DEFAULT_RESPONSE_HOURS)


def alert_target(post_type, post_id, viewer):
    """The post an alert would be about, as `viewer` may see it; NotFound for an unknown type
    or a post they may not see."""
    if post_type == "comment":
        return threads.get_comment(post_id, viewer)
    if post_type in TARGET_TYPES:
        return threads.get_post(post_type, post_id, viewer)
    raise NotFound()


@dataclass(frozen=True)
class AlertSent:
    """What the alerting member is told: the alert, and how many leads it went to (0: the
    organisation has named none, and the member must contact it directly)."""

    alert: SafeguardingAlert
    leads: int


@transactional
def raise_alert(user, post_type, post_id, note=""):
    """Store an alert by `user` about a post, due within the response time, and notify each
    safeguarding lead (nobody else). Raises NotFound (no such post) or InvalidInput (note)."""
    allow_raise_alert(user)
    post = alert_target(post_type, post_id, user)
    note = (note or "").replace("\x00", "").strip()
    if len(note) > NOTE_LENGTH:
        raise InvalidInput(_l("Keep the note under %(count)s characters.", count=NOTE_LENGTH),
                           field="note")
    now = utcnow()
    alert = SafeguardingAlert(
        target_type=post_type, target_id=post.id,
        question_id=post.thread_id if post_type == "comment" else post.question_id,
        alerter_id=user.id, note=note, created_at=now, due_at=now + response_time())
    db.session.add(alert)
    db.session.flush()
    leads = safeguarding_leads()
    for lead in leads:
        notify(lead.id, "safeguarding_alert", alert, actor=user)
    if not leads:
        current_app.logger.warning(
            "Safeguarding alert %s was raised but no safeguarding lead is named: an admin "
            "must name one on a member's profile page.", alert.id)
    db.session.commit()
    return AlertSent(alert, len(leads))


@dataclass(frozen=True)
class AlertCase:
    """An alert with the post it is about (whatever its state: leads need its text) and its
    question, for the leads' pages."""

    alert: SafeguardingAlert
    post: object
    question: Question
    now: datetime

    @property
    def overdue(self):
        return self.alert.closed_at is None and self.alert.due_at <= self.now

    @property
    def time_left(self):
        """Until the deadline (negative once overdue)."""
        return self.alert.due_at - self.now


def _cases(alerts):
    """AlertCase of each alert: the posts loaded with one query a type."""
    wanted = {}
    for alert in alerts:
        wanted.setdefault(alert.target_type, set()).add(alert.target_id)
    posts = {}
    for post_type, post_ids in wanted.items():
        model = _MODELS.get(post_type)
        if model is None:
            continue
        for post in db.session.scalars(select(model).where(model.id.in_(sorted(post_ids)))
                                       .options(selectinload(model.author))):
            posts[(post_type, post.id)] = post
    now = utcnow()
    return [AlertCase(alert, posts.get((alert.target_type, alert.target_id)), alert.question,
                      now) for alert in alerts]


def _alert_options():
    return (selectinload(SafeguardingAlert.alerter),
            selectinload(SafeguardingAlert.acknowledged_by),
            selectinload(SafeguardingAlert.closed_by),
            selectinload(SafeguardingAlert.question))


def open_alerts():
    """The alerts not closed yet, the most urgent (earliest deadline) first, as AlertCases
    (`overdue` marks those past their deadline). For the leads' eyes only: callers check
    can_handle_alerts."""
    alerts = db.session.scalars(
        select(SafeguardingAlert).where(SafeguardingAlert.closed_at.is_(None))
        .order_by(SafeguardingAlert.due_at, SafeguardingAlert.id)
        .options(*_alert_options())).all()
    return _cases(alerts)


def get_alert(alert_id, viewer):
    """The AlertCase of alert `alert_id`; NotFound for anyone who is not a lead, and for an
    alert that does not exist."""
    allow_handle_alerts(viewer)
    alert = db.session.get(SafeguardingAlert, alert_id, options=_alert_options())
    if alert is None:
        raise NotFound()
    return _cases([alert])[0]


def _alert_for_update(lead, alert_id):
    allow_handle_alerts(lead)
    alert = db.session.get(SafeguardingAlert, alert_id)
    if alert is None:
        raise NotFound()
    return alert


ALREADY_CLOSED = _l("This alert is already closed.")


@transactional
def acknowledge_alert(lead, alert_id):
    """`lead` says they are handling the alert (the first acknowledgement stays); audited.
    Returns whether this call acknowledged it."""
    alert = _alert_for_update(lead, alert_id)
    if alert.closed_at is not None:
        raise InvalidInput(ALREADY_CLOSED)
    if alert.acknowledged_at is not None:
        return False
    alert.acknowledged_by_id, alert.acknowledged_at = lead.id, utcnow()
    audit.record(lead, "alert_acknowledged", "safeguarding_alert", alert.id)
    db.session.commit()
    return True


@transactional
def close_alert(lead, alert_id, action_taken):
    """Close the alert with what was done (required, kept with the alert, not in the audit
    log that admins who are not leads read); acknowledges it too if nobody had. Audited."""
    alert = _alert_for_update(lead, alert_id)
    if alert.closed_at is not None:
        raise InvalidInput(ALREADY_CLOSED)
    action_taken = (action_taken or "").replace("\x00", "").strip()
    if not action_taken:
        raise InvalidInput(_l("Say what was done before closing the alert."),
                           field="action_taken")
    if len(action_taken) > ACTION_LENGTH:
        raise InvalidInput(_l("Keep the note under %(count)s characters.", count=ACTION_LENGTH),
                           field="action_taken")
    now = utcnow()
    if alert.acknowledged_at is None:
        alert.acknowledged_by_id, alert.acknowledged_at = lead.id, now
        audit.record(lead, "alert_acknowledged", "safeguarding_alert", alert.id)
    alert.action_taken = action_taken
    alert.closed_by_id, alert.closed_at = lead.id, now
    audit.record(lead, "alert_closed", "safeguarding_alert", alert.id)
    db.session.commit()
    return alert

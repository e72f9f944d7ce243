"""The outbox: every message to send, written in the same transaction as its cause. Models
never commit."""
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from core.extensions import db
from core.timeutil import utcnow


class OutboxMessage(db.Model):
    """A message waiting to leave, or gone. Two shapes:

    - `category` "notification" or "digest": `payload` names the notifications (JSON list of
      ids); the sender writes the message when it sends it, in the recipient's language, and
      leaves out whatever the recipient may no longer see (a post deleted, hidden or redacted
      since), so that no mail ever carries withdrawn text.
    - any other category ("password_reset", "email_change"...): `subject`, `text_body` and
      `html_body` are written at queue time.
    """

    __tablename__ = "outbox_message"
    __table_args__ = (
        # The sender's one question: what is due and not sent.
        Index("ix_outbox_message_sent_at_next_attempt_at", "sent_at", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)
    # The address at queue time: an e-mail change confirmation goes to the new address.
    to_address: Mapped[str] = mapped_column(String(254))
    category: Mapped[str] = mapped_column(String(20))
    payload: Mapped[str] = mapped_column(Text, default="", server_default="")
    subject: Mapped[str] = mapped_column(String(300), default="", server_default="")
    text_body: Mapped[str] = mapped_column(Text, default="", server_default="")
    html_body: Mapped[str] = mapped_column(Text, default="", server_default="")
    # Fixed at queue time: a message sent twice after a crash carries the same Message-ID,
    # so that mail clients can show it once.
    message_id: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    attempts: Mapped[int] = mapped_column(default=0, server_default="0")
    # A sender takes a message by writing its claim and a deadline; another sender takes it
    # over only once that deadline has passed (the first one died).
    claimed_by: Mapped[str | None] = mapped_column(String(32))
    claimed_until: Mapped[datetime | None] = mapped_column()
    sent_at: Mapped[datetime | None] = mapped_column()
    # Given up (too many failures) or withdrawn (nothing left the recipient may see).
    abandoned_at: Mapped[datetime | None] = mapped_column()
    last_error: Mapped[str] = mapped_column(String(500), default="", server_default="")

"""A real SMTP server for the mail tests: aiosmtpd on a free local port, keeping what it
receives as parsed messages."""
import email
import threading
import time
from email import policy

from aiosmtpd.controller import Controller

from tests.servers import free_port


class _Keeper:
    def __init__(self):
        self.messages = []
        self.envelopes = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.original_content or envelope.content,
                                           policy=policy.default)
        with self.lock:
            self.messages.append(message)
            self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        return "250 Message accepted for delivery"


class SMTPServer:
    """`host`, `port`, `messages` (email.message.EmailMessage, in arrival order);
    `config()` gives the app settings that send through it."""

    def __init__(self):
        self.host = "127.0.0.1"
        self.port = free_port()
        self._keeper = _Keeper()
        self._controller = Controller(self._keeper, hostname=self.host, port=self.port)

    def start(self):
        self._controller.start()
        return self

    def stop(self):
        self._controller.stop()

    @property
    def messages(self):
        with self._keeper.lock:
            return list(self._keeper.messages)

    @property
    def envelopes(self):
        with self._keeper.lock:
            return list(self._keeper.envelopes)

    def clear(self):
        with self._keeper.lock:
            self._keeper.messages.clear()
            self._keeper.envelopes.clear()

    def to(self, address):
        """The messages whose envelope went to `address`."""
        return [message for message, (_, rcpts) in zip(self.messages, self.envelopes)
                if address in rcpts]

    def wait_for(self, count, timeout=10):
        """Wait until at least `count` messages arrived; the messages."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and len(self.messages) < count:
            time.sleep(0.05)
        return self.messages

    def config(self):
        return {"MAIL_HOST": self.host, "MAIL_PORT": self.port, "MAIL_SECURITY": "none",
                "MAIL_USERNAME": "", "MAIL_PASSWORD": ""}

    def env(self):
        return {key: str(value) for key, value in self.config().items()}

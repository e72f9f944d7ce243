"""Where messages leave: an SMTP server (MAIL_HOST set), one connection for a whole batch, or
.eml files in MAIL_DIR (MAIL_HOST empty: `make run` needs no mail server).

A transport is used as a context manager; `send(message, to_address)` returns when the server
accepted the message, and raises PermanentFailure when the server refused it for good (a 5xx
answer about this recipient or this message: the next messages still go), or another
exception for a failure worth trying again (Unreachable: no connection; a 4xx answer).
"""
import os
import smtplib
import ssl
import tempfile
from email.utils import parseaddr
from pathlib import Path

from core.timeutil import utcnow

TIMEOUT = 30


class PermanentFailure(Exception):
    """The server refused this message for good: trying again would not help."""


class Unreachable(Exception):
    """No connection to the mail server: the messages after this one would fail alike."""


def open_transport(config):
    """The transport the settings name: SMTP when MAIL_HOST is set, else files."""
    if config.get("MAIL_HOST"):
        return SMTPTransport(config)
    return FileTransport(config["MAIL_DIR"])


def envelope_sender(config):
    """The address of MAIL_SENDER ("Carnets <carnets@example.org>" -> carnets@example.org)."""
    return parseaddr(config["MAIL_SENDER"])[1]


class SMTPTransport:
    """One SMTP connection, opened on the first message and kept for the batch; a broken
    connection is opened again for the next message."""

    def __init__(self, config):
        self.host = config["MAIL_HOST"]
        self.port = int(config["MAIL_PORT"])
        self.security = (config.get("MAIL_SECURITY") or "starttls").lower()
        self.username = config.get("MAIL_USERNAME") or ""
        self.password = config.get("MAIL_PASSWORD") or ""
        self.sender = envelope_sender(config)
        self.timeout = config.get("MAIL_TIMEOUT", TIMEOUT)
        self.connection = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def _connect(self):
        if self.security == "tls":
            connection = smtplib.SMTP_SSL(self.host, self.port, timeout=self.timeout,
                                          context=ssl.create_default_context())
        else:
            connection = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
        try:
            connection.ehlo()
            if self.security == "starttls":
                connection.starttls(context=ssl.create_default_context())
                connection.ehlo()
            if self.username:
                connection.login(self.username, self.password)
        except BaseException:
            connection.close()
            raise
        return connection

    def close(self):
        if self.connection is not None:
            try:
                self.connection.quit()
            except (smtplib.SMTPException, OSError):
                self.connection.close()
            self.connection = None

    def send(self, message, to_address, name=None):
        if self.connection is None:
            try:
                self.connection = self._connect()
            except (smtplib.SMTPException, OSError) as error:
                raise Unreachable(f"{self.host}:{self.port}: {error}") from error
        try:
            self.connection.send_message(message, from_addr=self.sender,
                                         to_addrs=[to_address])
        except smtplib.SMTPRecipientsRefused as error:
            # smtplib has reset the transaction: the connection serves the next messages.
            code, reply = next(iter(error.recipients.values()))
            if 500 <= code < 600:
                raise PermanentFailure(f"{code} {_text(reply)}") from error
            raise
        except (smtplib.SMTPDataError, smtplib.SMTPSenderRefused) as error:
            if 500 <= error.smtp_code < 600:
                raise PermanentFailure(f"{error.smtp_code} {_text(error.smtp_error)}") from error
            raise
        except (smtplib.SMTPServerDisconnected, smtplib.SMTPResponseException, OSError):
            # The connection may be in any state: the next message opens a new one.
            self.connection.close()
            self.connection = None
            raise


def _text(reply):
    return reply.decode("utf-8", "replace") if isinstance(reply, bytes) else str(reply)


class FileTransport:
    """Each message written as <MAIL_DIR>/<UTC time>-<outbox id>.eml, whole or not at all (a
    temporary file renamed: a reader never sees half a message)."""

    def __init__(self, folder):
        self.folder = Path(folder)

    def __enter__(self):
        self.folder.mkdir(parents=True, exist_ok=True)
        return self

    def __exit__(self, *exc):
        pass

    def send(self, message, to_address, name=None):
        stamp = utcnow().strftime("%Y%m%dT%H%M%S%fZ")
        final = self.folder / f"{stamp}-{name or 'message'}.eml"
        fd, temporary = tempfile.mkstemp(dir=self.folder, prefix=".", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(message.as_bytes())
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(temporary, final)
        except BaseException:
            if os.path.exists(temporary):
                os.unlink(temporary)
            raise
        return final

"""E-mail backends that fail the way mail servers and workers do."""

import json
import os
import signal
import smtplib

from django.core.mail.backends.base import BaseEmailBackend


class RefusingBackend(BaseEmailBackend):
    """The mail server is down: nothing is handed over."""

    def send_messages(self, email_messages):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


class ProcessDied(BaseException):
    """Stands for the end of the process: nothing after it runs (no except Exception)."""


class DyingBackend(BaseEmailBackend):
    """Hands the e-mail over, then the process ends before anything else happens."""

    def send_messages(self, email_messages):
        from django.core import mail

        mail.outbox.extend(email_messages)
        raise ProcessDied


class AppendThenKillBackend(BaseEmailBackend):
    """Delivers to the file named by NOTIFY_TEST_MAILBOX, one JSON line per e-mail, and then
    kills its own process with SIGKILL: the worker dies between sending and recording."""

    def send_messages(self, email_messages):
        with open(os.environ["NOTIFY_TEST_MAILBOX"], "a", encoding="utf-8") as mailbox:
            for message in email_messages:
                mailbox.write(json.dumps({"to": message.to, "subject": message.subject}) + "\n")
            mailbox.flush()
            os.fsync(mailbox.fileno())
        os.kill(os.getpid(), signal.SIGKILL)

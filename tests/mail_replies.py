"""`statex mail-in` as its own process for tests, and replies composed the way mail programs write them."""

from __future__ import annotations

import os
import signal
import smtplib
import socket
import subprocess
import sys
import time
from email.message import EmailMessage
from pathlib import Path

from tests.conftest import free_port

ROOT = Path(__file__).resolve().parent.parent
QUOTED = ("\n\nOn Tue, 1 Dec 2026 at 10:00, Statex <hello@statex.test> wrote:\n"
          "> Sam of Statex wrote about your request:\n> Could you send us one invoice?\n")
SIGNATURE = "\n\nBest regards,\nEva\n--\nEva Nováková\nAccounting Office Nováková\n"


class MailIn:
    """`statex mail-in` on a free loopback port, started with the environment as it is now."""

    def __init__(self, env: dict | None = None):
        self.port = free_port()
        self.process = subprocess.Popen([sys.executable, "-m", "cli", "mail-in", "--port", str(self.port)],
                                        cwd=ROOT, env=dict(env or os.environ), stdout=subprocess.PIPE,
                                        stderr=subprocess.STDOUT, text=True, start_new_session=True)
        self._wait_until_listening()

    def _wait_until_listening(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"statex mail-in exited: {self.process.stdout.read()}")
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return
            except OSError:
                time.sleep(0.1)
        raise AssertionError("statex mail-in did not listen in time")

    def send(self, message: EmailMessage, to: str) -> dict:
        """Deliver `message` to `to` as a mail server would; smtplib raises on a refusal."""
        with smtplib.SMTP("127.0.0.1", self.port, timeout=60) as client:
            return client.send_message(message, from_addr="bounces@example.com", to_addrs=[to])

    def stop(self) -> int:
        """SIGTERM, as the supervisor and Kubernetes stop it; its exit status."""
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            return self.process.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
            raise

    @property
    def output(self) -> str:
        return self.process.stdout.read() if self.process.poll() is not None else ""


def reply(sender: str, to: str, text: str, *, message_id: str = "<reply-1@mail.example.com>",
          files: tuple[tuple[str, str, bytes], ...] = ()) -> EmailMessage:
    """A reply as a mail program writes it: the answer, a signature, the quoted mail, attached files."""
    message = EmailMessage()
    message["From"] = f"Eva <{sender}>"
    message["To"] = to
    message["Subject"] = "Re: Our team wrote to you"
    message["Message-ID"] = message_id
    message.set_content(text + SIGNATURE + QUOTED)
    for name, content_type, data in files:
        maintype, subtype = content_type.split("/")
        message.add_attachment(data, maintype=maintype, subtype=subtype, filename=name)
    return message

"""The notifications worker killed while it hands a thread message's email to SMTP: the client gets it once."""

from __future__ import annotations

import asyncio
import threading

from sqlalchemy import select

from statex.db import session_scope
from statex.models import Delivery
from tests.helpers import wait_until
from tests.fakes import SmtpPeer


class HoldingSmtpPeer(SmtpPeer):
    """Once armed, holds the next mail's DATA unanswered until released; a mail counts once its sender says QUIT.

    Only a sender that heard our 250 goes on to QUIT, so a sender killed while waiting delivers nothing.
    """

    def __init__(self):
        super().__init__()
        self.armed = threading.Event()
        self.holding = threading.Event()
        self.release = threading.Event()

    async def handle_DATA(self, server, session, envelope):
        if self.armed.is_set() and not self.holding.is_set():
            self.holding.set()
            while not self.release.is_set():
                await asyncio.sleep(0.05)
        session.taken = envelope
        return "250 OK"

    async def handle_QUIT(self, server, session, envelope):
        if getattr(session, "taken", None) is not None:
            await super().handle_DATA(server, session, session.taken)
        return "221 Bye"


def test_a_killed_worker_sends_a_messages_notification_once(client, make_user, make_token, settings, processes):
    peer = HoldingSmtpPeer().start()
    try:
        processes.env["SMTP_URL"] = peer.url
        email, _, _ = make_user()
        staff_email, _, _ = make_user("staff", name="Sam")
        created = client.post("/api/v1/submissions", json={"description": "Read our invoices automatically."},
                              headers={"Authorization": f"Bearer {make_token(email)}"}).get_json()
        staff = {"Authorization": f"Bearer {make_token(staff_email)}"}
        processes.start("scheduler", "scheduler", "--interval", "0.5")
        processes.start("worker", "worker", "notifications")
        # The request's own "received" email goes first; the reply's is the one held.
        wait_until(lambda: len(peer.messages) == 1, timeout=60, message="the received email")
        peer.armed.set()
        reply = client.post(f"/api/v1/submissions/{created['id']}/messages", json={"body": "Which ERP do you use?"},
                            headers=staff)
        assert reply.status_code == 201
        wait_until(peer.holding.is_set, timeout=60, message="the reply's email to reach SMTP")
        processes.kill("worker")
        peer.release.set()
        processes.start("worker", "worker", "notifications")
        wait_until(lambda: len(peer.messages) == 2, timeout=120, message="the reply's email sent again")
        with session_scope(settings.database_url) as session:
            wait_until(lambda: session.scalars(select(Delivery.status).where(
                Delivery.event == "message.from_staff")).all() == ["sent"], timeout=30,
                message="one sent delivery of the reply")
        replies = [m for m in peer.messages if "Which ERP do you use?" in m.get_body(("plain",)).get_content()]
        assert len(replies) == 1
    finally:
        peer.stop()

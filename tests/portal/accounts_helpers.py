"""What the account tests share: forms with their CSRF token, and links read from the outbox."""

from __future__ import annotations

import re

from sqlalchemy import select

from statex.config import load_settings
from statex.db import session_scope
from statex.messages.deliver import revealed
from statex.models import Delivery, OutboxMessage
from tests.conftest import PASSWORD, Auth

# Where one page's HTML differs from the same page's for another visitor: the CSRF token, twice.
PER_VISITOR = re.compile(r'(name="csrf-token" content=|name="csrf_token" type="hidden" value=|'
                         r'type="hidden" name="csrf_token" value=)"[^"]*"')


def csrf(client, path: str = "/portal/login") -> str:
    return Auth(client).csrf(path)


def as_seen_by_anyone(response, email: str) -> tuple[int, str]:
    """A response's status and body without what is unique to its visitor (the CSRF token, the address typed)."""
    return response.status_code, PER_VISITOR.sub(r"\1", response.get_data(as_text=True)).replace(email, "EMAIL")


def post(client, path: str, data: dict | None = None, page: str | None = None, **kwargs):
    """POST a form the way the browser does, with the CSRF token of the page it sits on."""
    return client.post(path, data={**(data or {}), "csrf_token": csrf(client, page or path)}, **kwargs)


def signup(client, email: str = "ann@example.com", password: str = PASSWORD, name: str = "Ann"):
    return post(client, "/portal/signup", {"name": name, "email": email, "password": password})


def login(client, email: str, password: str = PASSWORD, **kwargs):
    return post(client, "/portal/login", {"email": email, "password": password}, **kwargs)


def mail_to(settings, email: str) -> list[OutboxMessage]:
    """Messages kept for `email` in the development outbox, newest first."""
    with session_scope(settings.database_url) as session:
        query = (select(OutboxMessage).where(OutboxMessage.recipient == email)
                 .order_by(OutboxMessage.created_at.desc()))
        return list(session.scalars(query))


def link_in(message: OutboxMessage) -> str:
    """The portal path of the link in a message, as the email carries it and a person would click it.

    The outbox keeps a placeholder for the link's secret; `revealed` fills it in, as sending does.
    """
    settings = load_settings()
    with session_scope(settings.database_url) as session:
        delivery = session.get(Delivery, message.delivery_id)
        text = revealed(session, settings, delivery.user_id, message.body_text)
    return re.search(r"https?://[^/\s]+(/portal/\S+)", text).group(1)

"""What tests across the suite share that is neither a fixture nor a fake: ports, polling, CSRF, counting rows."""

from __future__ import annotations

import re
import socket
import time

from sqlalchemy import func, select
from sqlalchemy.orm import Session

CSRF = re.compile(r'name="csrf-token" content="([^"]+)"')


def free_port() -> int:
    """A TCP port on loopback that nothing listens on now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def csrf_in(page: str) -> str:
    """The CSRF token a portal page carries in its `<meta name="csrf-token">`."""
    return CSRF.search(page).group(1)


def count(session: Session, model, *criteria) -> int:
    """How many rows of `model` match `criteria` (SQLAlchemy expressions), as the session sees them."""
    return session.scalar(select(func.count()).select_from(model).where(*criteria))


def wait_until(condition, timeout: float = 120, every: float = 0.2, message: str = "condition",
               ignoring: tuple[type[BaseException], ...] = ()):
    """Poll `condition` until it returns something truthy and return that; fail with `message` after `timeout`.

    The timeout only stops a broken run from hanging; exceptions in `ignoring` count as "not yet".
    """
    deadline = time.monotonic() + timeout
    while True:
        try:
            value = condition()
        except ignoring:
            value = None
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {message}")
        time.sleep(every)

"""`statex mail-in`: take clients' replies by email into their requests' threads."""

from __future__ import annotations

import asyncio
import signal
import threading

import click

from cli.common import settings_or_exit
from statex.config import Settings


@click.command("mail-in")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=int, default=None, help="Port to listen on (default: MAIL_IN_PORT or 2525).")
@click.option("--interval", type=float, default=30.0, show_default=True,
              help="With MAIL_IN_IMAP_URL: seconds between two looks into the mailbox.")
def mail_in(host: str, port: int | None, interval: float) -> None:
    """Listen for replies by SMTP (or poll MAIL_IN_IMAP_URL) and add them to their requests' threads."""
    settings = settings_or_exit()
    _warm_up(settings.database_url)
    if settings.mail_in_imap_url:
        _poll(settings, interval)
        return
    from statex.mail_in.smtp import serve

    asyncio.run(serve(settings, host, port or settings.mail_in_port))


def _poll(settings: Settings, interval: float) -> None:
    """Poll the mailbox until SIGTERM or SIGINT; the round under way finishes first."""
    from statex.db import session_factory
    from statex.mail_in.imap import poll
    from statex.storage import storage_for

    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    poll(settings, session_factory(settings.database_url), storage_for(settings), interval, stop)


def _warm_up(url: str) -> None:
    """Configure the mappers now; a database that is away only makes replies wait (451), not the start."""
    from statex.db import warm_up

    try:
        warm_up(url)
    except Exception as error:  # noqa: BLE001
        click.echo(f"mail-in: the database is not reachable yet ({type(error).__name__}); "
                   "replies are answered 451 until it is", err=True)

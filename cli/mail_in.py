"""`statex mail-in`: take clients' replies by email into their requests' threads."""

from __future__ import annotations

import asyncio

import click

from cli.common import settings_or_exit


@click.command("mail-in")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=int, default=None, help="Port to listen on (default: MAIL_IN_PORT or 2525).")
def mail_in(host: str, port: int | None) -> None:
    """Listen for replies by SMTP and add them to their requests' threads."""
    from statex.mail_in.smtp import serve

    settings = settings_or_exit()
    _warm_up(settings.database_url)
    asyncio.run(serve(settings, host, port or settings.mail_in_port))


def _warm_up(url: str) -> None:
    """Configure the mappers now; a database that is away only makes replies wait (451), not the start."""
    from statex.db import warm_up

    try:
        warm_up(url)
    except Exception as error:  # noqa: BLE001
        click.echo(f"mail-in: the database is not reachable yet ({type(error).__name__}); "
                   "replies are answered 451 until it is", err=True)

"""The `statex` command: run the platform, manage the database, users, tokens and the site."""

from __future__ import annotations

import logging
import sys

import click


@click.group()
def main() -> None:
    """Statex: the public site, the client portal, the API and the AI workers."""
    logging.basicConfig(level=logging.INFO, stream=sys.stderr,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")


def _register() -> None:
    from cli import accounts, db, run
    from cli.site import site_group

    for command in (run.up, run.web, run.worker, run.scheduler, db.db, accounts.users,
                    accounts.tokens, site_group):
        main.add_command(command)


_register()

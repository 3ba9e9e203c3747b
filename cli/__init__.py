"""The `statex` command: run the platform, manage the database, users, tokens and the site."""

from __future__ import annotations

import click

from statex.telemetry import configure_logging


@click.group()
def main() -> None:
    """Statex: the public site, the client portal, the API and the AI workers."""
    # Plain text until a command loads its settings (cli.common.settings_or_exit), which may say otherwise.
    configure_logging("statex")


def _register() -> None:
    from cli import accounts, backup, db, mail_in, maintenance, run
    from cli.site import site_group

    for command in (run.up, run.web, run.worker, run.scheduler, run.reconcile, db.db, accounts.users,
                    accounts.tokens, site_group, backup.backup, backup.restore, backup.prune_backups,
                    maintenance.gc, mail_in.mail_in):
        main.add_command(command)


_register()

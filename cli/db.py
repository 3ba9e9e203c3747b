"""`statex db`: apply and write migrations."""

from __future__ import annotations

import click

from cli.common import settings_or_exit
from statex import migrate


@click.group()
def db() -> None:
    """Manage the database schema (Alembic)."""


@db.command()
def upgrade() -> None:
    """Apply every migration not yet applied."""
    migrate.upgrade(settings_or_exit().database_url)
    click.echo("database is up to date")


@db.command()
@click.option("-m", "--message", required=True, help="What the migration changes.")
def revision(message: str) -> None:
    """Write a new migration by comparing the models with the database."""
    migrate.revision(settings_or_exit().database_url, message)

"""`statex users` and `statex tokens`: accounts from the command line."""

from __future__ import annotations

from datetime import timedelta

import click

from cli.common import settings_or_exit
from statex import accounts, emails, passwords
from statex.db import session_scope
from statex.models.base import utcnow
from statex.models.users import ROLES


@click.group()
def users() -> None:
    """Manage user accounts."""


@users.command("create")
@click.option("--email", required=True)
@click.option("--password", required=True, help="At least 12 characters.")
@click.option("--name", default="")
@click.option("--role", type=click.Choice(ROLES), default="client", show_default=True)
def create_user(email: str, password: str, name: str, role: str) -> None:
    """Create a user, verified and active."""
    try:
        email = emails.check(email)
    except emails.InvalidEmail as error:
        raise click.BadParameter(str(error), param_hint="--email") from None
    refused = passwords.problem(password, email=email, name=name)
    if refused:
        raise click.BadParameter(refused, param_hint="--password")
    with session_scope(settings_or_exit().database_url) as session:
        if accounts.find_user(session, email):
            raise click.ClickException(f"a user with the email {email} exists already")
        user = accounts.create_user(session, email, password, name=name, role=role)
        user.email_verified_at = utcnow()
    click.echo(f"created {role} {email}")


@click.group()
def tokens() -> None:
    """Manage API tokens."""


@tokens.command("create")
@click.option("--email", required=True, help="The user the token acts as.")
@click.option("--name", default="command line", show_default=True)
@click.option("--days", type=click.IntRange(min=1), default=None, help="Expire after this many days.")
def create_token(email: str, name: str, days: int | None) -> None:
    """Create an API token; it is printed once, on the last line."""
    with session_scope(settings_or_exit().database_url) as session:
        user = accounts.find_user(session, email)
        if user is None:
            raise click.ClickException(f"no user has the email {email}")
        expires = utcnow() + timedelta(days=days) if days else None
        _token, plain = accounts.create_token(session, user, name, expires)
    click.echo(f"token for {email} (shown once, keep it safe):")
    click.echo(plain)

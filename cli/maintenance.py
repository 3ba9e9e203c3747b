"""Maintenance commands: collect orphaned objects from storage."""

from __future__ import annotations

import re
from datetime import timedelta

import click

from cli.common import settings_or_exit

UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days"}


class Duration(click.ParamType):
    """A span such as 90s, 30m, 1h or 2d."""

    name = "duration"

    def convert(self, value, param, ctx) -> timedelta:
        if isinstance(value, timedelta):
            return value
        match = re.fullmatch(r"(\d+)([smhd])", value.strip())
        if match is None:
            self.fail(f"{value!r} is not a duration: use a whole number and a unit, e.g. 90s, 30m, 1h or 2d.",
                      param, ctx)
        return timedelta(**{UNITS[match.group(2)]: int(match.group(1))})


@click.command()
@click.option("--older-than", type=Duration(), default="1h", show_default=True,
              help="Grace period: younger objects may belong to an upload still in flight.")
@click.option("--dry-run", is_flag=True, help="List the orphans without deleting them.")
def gc(older_than: timedelta, dry_run: bool) -> None:
    """Delete stored objects that no submission file refers to (orphans)."""
    from statex.orphans import collect_orphans

    orphans = collect_orphans(settings_or_exit(), older_than=older_than, dry_run=dry_run)
    for key in orphans:
        click.echo(key)
    verb = "would delete" if dry_run else "deleted"
    click.echo(f"{verb} {len(orphans)} orphaned object(s)")

"""`statex backup`, `restore` and `prune-backups`: the database and every stored file, to a folder or a bucket."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from cli.common import settings_or_exit

if TYPE_CHECKING:
    from statex.backup import Pruned


@click.command()
@click.option("--to", "target", envvar="BACKUP_URL", required=True, metavar="DIR|s3://BUCKET/PREFIX",
              help="Where backups go (default: $BACKUP_URL); each run adds a folder named by its UTC time.")
@click.option("--prune", is_flag=True, help="Then delete the backups the retention policy drops (see prune-backups).")
def backup(target: str, prune: bool) -> None:
    """Back up the database and every stored file; exits 1 when a file the database names is missing."""
    from statex.backup import BackupError, backup as run_backup, prune as run_prune
    from statex.dumps import DumpError

    settings = settings_or_exit()
    try:
        index = run_backup(settings, target)
    except (BackupError, DumpError) as error:
        raise click.ClickException(str(error)) from error
    objects = index["objects"]
    rows = sum(n for table, n in index["counts"].items() if table != "alembic_version")
    click.echo(f"backup written to {index['location']}")
    click.echo(f"database: {index['database']}, {rows} rows in {len(index['counts'])} tables, "
               f"schema {', '.join(index['schema_revisions']) or 'none'}")
    click.echo(f"files: {objects['count']} ({objects['bytes']:,} bytes), {objects['copied']} copied, "
               f"{objects['already_backed_up']} already backed up")
    problems = [f"missing from storage: {key}" for key in objects["missing"]] + \
               [f"does not match its size or sha256: {key}" for key in objects["damaged"]]
    if prune:
        # Even when files are missing: this backup is written, and the policy keeps the older ones holding them.
        try:
            _echo_pruned(run_prune(settings, target), dry_run=False)
        except BackupError as error:
            problems.append(f"old backups were not pruned: {error}")
    if problems:
        raise click.ClickException("the backup is written, but:\n  " + "\n  ".join(problems))


@click.command()
@click.option("--from", "source", required=True, metavar="DIR|s3://BUCKET/PREFIX[/NAME]",
              help="A backup folder, or where backups go (then the newest one is restored).")
@click.option("--yes", is_flag=True, help="Replace a database that is not empty.")
def restore(source: str, yes: bool) -> None:
    """Restore a backup into DATABASE_URL and the storage, verifying every file's sha256."""
    from statex.backup import BackupError, restore as run_restore
    from statex.dumps import DumpError

    try:
        done = run_restore(settings_or_exit(), source, replace=yes)
    except (BackupError, DumpError) as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"restored backup {done.name} of {done.index['created_at']}")
    for table, count in done.counts.items():
        expected = done.index["counts"].get(table)
        note = "" if expected in (None, count) else f" (the backup says {expected})"
        click.echo(f"  {table}: {count}{note}")
    click.echo(f"files: {done.objects - len(done.failed)} of {done.objects} restored, sha256 verified")
    if done.failed:
        raise click.ClickException("some files could not be restored:\n  " + "\n  ".join(done.failed))
    click.echo("next: `statex db upgrade` (when this release is newer than the backup), then `statex reconcile`")


@click.command("prune-backups")
@click.option("--from", "source", envvar="BACKUP_URL", required=True, metavar="DIR|s3://BUCKET/PREFIX",
              help="Where backups go (default: $BACKUP_URL).")
@click.option("--dry-run", is_flag=True, help="Only say what would be deleted.")
def prune_backups(source: str, dry_run: bool) -> None:
    """Delete the backups beyond retention: all of the last 48 hours, then hourly for 7 days, daily for 30."""
    from statex.backup import BackupError, prune

    try:
        pruned = prune(settings_or_exit(), source, dry_run=dry_run)
    except BackupError as error:
        raise click.ClickException(str(error)) from error
    _echo_pruned(pruned, dry_run)


def _echo_pruned(pruned: Pruned, dry_run: bool) -> None:
    deleted = "to delete" if dry_run else "deleted"
    unfinished = f", {len(pruned.unfinished)} unfinished {deleted}" if pruned.unfinished else ""
    click.echo(f"backups: {len(pruned.kept)} kept, {len(pruned.deleted)} {deleted}{unfinished}")
    for name in pruned.deleted + pruned.unfinished:
        click.echo(f"  {deleted}: {name}")
    click.echo(f"files: {pruned.objects_kept} kept, {pruned.objects_deleted} {deleted} (no kept backup holds them)")
    click.echo(f"bytes: {pruned.bytes_kept:,} kept, {pruned.bytes_deleted:,} {deleted}")

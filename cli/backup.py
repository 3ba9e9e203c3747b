"""`statex backup` and `statex restore`: the database and every stored file, to a folder or a bucket."""

from __future__ import annotations

import click

from cli.common import settings_or_exit


@click.command()
@click.option("--to", "target", envvar="BACKUP_URL", required=True, metavar="DIR|s3://BUCKET/PREFIX",
              help="Where backups go (default: $BACKUP_URL); each run adds a folder named by its UTC time.")
def backup(target: str) -> None:
    """Back up the database and every stored file; exits 1 when a file the database names is missing."""
    from statex.backup import BackupError, backup as run_backup
    from statex.dumps import DumpError

    try:
        index = run_backup(settings_or_exit(), target)
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
    if problems:
        raise click.ClickException("the backup is written, but not every file is in it:\n  " + "\n  ".join(problems))


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

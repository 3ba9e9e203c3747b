"""Consistent copies of the database: pg_dump/pg_restore for PostgreSQL, the online backup API for SQLite."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

from sqlalchemy.engine import make_url

PG_LIBS = Path("/usr/lib/postgresql")
TABLES_SQL = {
    "postgresql": "SELECT table_name FROM information_schema.tables "
                  "WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'",
    "sqlite": "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
}
FILES_SQL = "SELECT storage_key, size, sha256, content_type FROM submission_files ORDER BY storage_key"


class DumpError(RuntimeError):
    """A dump or restore failed; the message says which tool and why."""


@dataclass
class Inventory:
    """What a database holds: its schema revisions, rows per table, and the stored files it names."""

    revisions: list[str]
    counts: dict[str, int]
    files: list[dict[str, Any]]

    @property
    def empty(self) -> bool:
        return not any(n for table, n in self.counts.items() if table != "alembic_version")


def kind_of(database_url: str) -> str:
    """'postgresql' or 'sqlite'."""
    backend = make_url(database_url).get_backend_name()
    if backend not in TABLES_SQL:
        raise DumpError(f"backups support PostgreSQL and SQLite, not {backend}")
    return backend


def dump(database_url: str, path: Path) -> Inventory:
    """Write a consistent copy of the database to `path`; the inventory is of exactly that copy."""
    if kind_of(database_url) == "sqlite":
        with _sqlite(database_url) as source, closing(sqlite3.connect(path)) as copy:
            source.backup(copy)
            return inventory_of(copy.cursor(), "sqlite")
    with _postgres(database_url) as conn:
        # pg_dump reads the snapshot of our open transaction, so the dump and the manifest agree.
        conn.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        snapshot = conn.execute("SELECT pg_export_snapshot()").fetchone()[0]
        found = inventory_of(conn.cursor(), "postgresql")
        _run(_pg_tool("pg_dump", conn), database_url, "--format=custom", "--no-owner", "--no-privileges",
             f"--snapshot={snapshot}", f"--file={path}")
        conn.execute("COMMIT")
        return found


def restore(database_url: str, path: Path) -> None:
    """Replace the database's contents with the copy at `path`."""
    if kind_of(database_url) == "sqlite":
        with closing(sqlite3.connect(path)) as copy, _sqlite(database_url) as target:
            copy.backup(target)
        return
    with _postgres(database_url) as conn:
        tool = _pg_tool("pg_restore", conn)
    _run(tool, database_url, "--clean", "--if-exists", "--no-owner", "--no-privileges",
         "--single-transaction", "--exit-on-error", str(path))


def inventory(database_url: str) -> Inventory:
    """The inventory of the live database."""
    if kind_of(database_url) == "sqlite":
        with _sqlite(database_url) as conn:
            return inventory_of(conn.cursor(), "sqlite")
    with _postgres(database_url) as conn:
        return inventory_of(conn.cursor(), "postgresql")


def inventory_of(cursor, kind: str) -> Inventory:
    """Revisions, row counts and files, read through any DB-API cursor."""
    tables = sorted(row[0] for row in cursor.execute(TABLES_SQL[kind]).fetchall())
    counts = {table: cursor.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0] for table in tables}
    revisions = ([row[0] for row in cursor.execute("SELECT version_num FROM alembic_version").fetchall()]
                 if "alembic_version" in counts else [])
    files = []
    if "submission_files" in counts:
        files = [{"key": key, "size": size, "sha256": sha, "content_type": content_type}
                 for key, size, sha, content_type in cursor.execute(FILES_SQL).fetchall()]
    return Inventory(sorted(revisions), counts, files)


@contextmanager
def _sqlite(database_url: str) -> Iterator[sqlite3.Connection]:
    database = make_url(database_url).database
    if not database or database == ":memory:":
        raise DumpError("an in-memory SQLite database cannot be backed up or restored")
    Path(database).parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(database, timeout=30)
    try:
        yield conn
    finally:
        conn.close()


@contextmanager
def _postgres(database_url: str):
    import psycopg

    url = make_url(database_url)
    extra = {"password": url.password} if url.password else {}
    with psycopg.connect(_libpq_url(database_url), autocommit=True, **extra) as conn:
        yield conn


def _libpq_url(database_url: str) -> str:
    """The URL libpq tools understand, without the password (that goes in PGPASSWORD)."""
    url = make_url(database_url).set(drivername="postgresql", password=None)
    return url.render_as_string(hide_password=False)


def _pg_tool(name: str, conn) -> str:
    """The tool of the server's major version when installed, else a newer one, else the one on PATH."""
    major = conn.info.server_version // 10000
    versions = sorted((int(p.name) for p in PG_LIBS.glob("*") if p.name.isdigit()), reverse=True) \
        if PG_LIBS.is_dir() else []
    for version in [major] + [v for v in versions if v > major]:
        tool = PG_LIBS / str(version) / "bin" / name
        if tool.is_file():
            return str(tool)
    found = shutil.which(name)
    if found is None:
        raise DumpError(f"{name} is not installed: install the PostgreSQL client "
                        f"(Debian: apt-get install postgresql-client), version {major} or newer")
    return found


def _run(tool: str, database_url: str, *args: str) -> None:
    """Run a libpq tool against the database; its stderr becomes the error's message."""
    environ = {**os.environ}
    if password := make_url(database_url).password:
        environ["PGPASSWORD"] = password
    done = subprocess.run([tool, *args, f"--dbname={_libpq_url(database_url)}"], env=environ,
                          capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise DumpError(f"{Path(tool).name} failed: {done.stderr.strip() or f'exit status {done.returncode}'}")

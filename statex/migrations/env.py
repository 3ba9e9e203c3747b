"""Alembic environment: the URL comes from the caller (statex.migrate), the schema from the models."""

from alembic import context
from sqlalchemy import pool

from statex.db import engine_for
from statex.models import Base

config = context.config


def run_migrations() -> None:
    url = config.get_main_option("sqlalchemy.url")
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    engine = engine_for(url) if url.startswith("sqlite") else _fresh_engine(url)
    with engine.begin() as conn:
        _run(conn)


def _fresh_engine(url):
    from sqlalchemy import create_engine

    return create_engine(url, poolclass=pool.NullPool)


def _run(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


run_migrations()

"""Alembic environment. ``open_database`` passes an open connection, inside a
transaction, through ``config.attributes["connection"]``; a URL in the config
(``sqlalchemy.url``) is used only when a developer runs Alembic by hand."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from trainer.core.storage.models import Base

config = context.config


def _run(connection) -> None:  # type: ignore[no-untyped-def]
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=True,  # SQLite cannot ALTER most things; batch mode copies the table
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


connection = config.attributes.get("connection")
if connection is not None:
    _run(connection)
else:
    engine = create_engine(config.get_main_option("sqlalchemy.url") or "")
    try:
        with engine.begin() as conn:
            _run(conn)
    finally:
        engine.dispose()

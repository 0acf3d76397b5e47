"""Opening a database: engine set-up, the safety checks, and schema upgrades.

``open_database(url)`` works for SQLite files (the default, one file in the
data folder) and PostgreSQL servers (``postgresql+psycopg://...``). Before it
changes anything it makes sure the database is one this version may touch:

* a SQLite file that is not a SQLite database, or holds some other program's
  tables, raises ``DatabaseUnreadableError``;
* a database whose schema revision this version does not know (written by a
  newer Steelman) raises ``DatabaseTooNewError``.

Both checks only read (a SQLite file is opened read-only), so a refused
database is left exactly as it was. Then the Alembic migrations shipped in
``migrations/`` bring the schema to head, all in one transaction.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Engine, create_engine, event, inspect, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import DBAPIError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import StaticPool

if TYPE_CHECKING:
    from alembic.config import Config

#: The migrations this version ships, oldest first. Kept here so that opening an
#: up-to-date database never imports Alembic (it is half of the app's start-up
#: import time); tests/storage check these against the migration scripts.
KNOWN_REVISIONS: tuple[str, ...] = ("0001", "0002", "0003", "0004", "0005", "0006", "0007", "0008", "0009")
HEAD_REVISION = KNOWN_REVISIONS[-1]

from .errors import (  # noqa: E402
    DatabaseTooNewError,
    DatabaseUnavailableError,
    DatabaseUnreadableError,
    InvalidInputError,
)

from ..paths import DATABASE_FILE as DATABASE_FILE_NAME  # noqa: E402 - one name for the file
_SQLITE_MAGIC = b"SQLite format 3\x00"
_BUSY_TIMEOUT_MS = 5000
_PG_CONNECT_TIMEOUT_S = 5


@dataclass(frozen=True, eq=False)
class Database:
    """An open database: the engine and the session factory bound to it."""

    url: str
    engine: Engine
    sessions: sessionmaker[Session]

    def close(self) -> None:
        self.engine.dispose()

    def current_revision(self) -> str | None:
        with self.engine.connect() as conn:
            revisions = _read_revisions(conn)
        return revisions[0] if revisions else None

    def __enter__(self) -> Database:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def default_database_url(data_dir: Path) -> str:
    return f"sqlite:///{Path(data_dir) / DATABASE_FILE_NAME}"


def alembic_config(url: str | None = None) -> Config:
    """An Alembic config for the shipped migrations; no alembic.ini is involved."""
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(resources.files(__package__) / "migrations"))
    if url is not None:
        cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def head_revision() -> str:
    """The head according to the migration scripts (imports Alembic)."""
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def open_database(url: str) -> Database:
    """Open (creating if needed) the database at ``url`` and upgrade it to head."""
    parsed = make_url(url)
    if parsed.drivername == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg")
    known = set(KNOWN_REVISIONS)
    head = HEAD_REVISION

    if parsed.get_backend_name() == "sqlite":
        engine = _sqlite_engine(parsed, known=known, head=head)
        where = parsed.database or ":memory:"
    else:
        where = parsed.render_as_string(hide_password=True)
        connect_args: dict[str, Any] = {}
        if "connect_timeout" not in parsed.query:
            # A server that went away must not freeze the app for minutes.
            connect_args["connect_timeout"] = _PG_CONNECT_TIMEOUT_S
        engine = create_engine(parsed, pool_pre_ping=True, connect_args=connect_args)
        try:
            with engine.connect() as conn:
                _refuse_unknown(_read_revisions(conn), known=known, head=head, where=where)
                conn.rollback()
        except SQLAlchemyError as exc:
            engine.dispose()
            raise DatabaseUnavailableError(
                f"Cannot open the database at {parsed.render_as_string()}: {exc}"
            ) from exc
        except BaseException:
            engine.dispose()
            raise

    try:
        if _stored_revisions(engine) != [head]:
            _upgrade(engine, "head", known=known, head=head, where=where)
    except BaseException:
        engine.dispose()
        raise
    return Database(
        url=parsed.render_as_string(hide_password=True),
        engine=engine,
        sessions=sessionmaker(engine, expire_on_commit=False),
    )


def sqlite_path(url: str) -> Path | None:
    """The file behind a SQLite URL, or None (PostgreSQL, or an in-memory database)."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return None
    database = parsed.database or ""
    if database in ("", ":memory:") or database.startswith("file:"):
        return None
    return Path(database)


def check_sqlite_file(path: Path) -> list[str]:
    """Read-only checks of a SQLite file: header, ``PRAGMA quick_check``, tables.

    Returns the stored schema revisions (empty for an empty database); raises
    ``DatabaseUnreadableError`` when the file is not a healthy Steelman database.
    """
    return _peek_sqlite_file(Path(path))


def upgrade_database(url: str, revision: str) -> None:
    """Migrate to ``revision`` (for tests and tools; the app uses ``open_database``)."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database not in (None, "", ":memory:"):
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(parsed)
        _configure_sqlite(engine)
    else:
        engine = create_engine(parsed)
    try:
        _upgrade(engine, revision)
    finally:
        engine.dispose()


# --- internals -------------------------------------------------------------------


def _sqlite_engine(url: URL, *, known: set[str], head: str) -> Engine:
    database = url.database or ""
    if database in ("", ":memory:"):
        engine = create_engine(url, poolclass=StaticPool)
        _configure_sqlite(engine)
        return engine
    if database.startswith("file:"):
        raise InvalidInputError("url", "SQLite URI file names are not supported")
    path = Path(database)
    if path.exists():
        _refuse_unknown(_peek_sqlite_file(path), known=known, head=head, where=str(path))
    else:
        path.parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url)
    _configure_sqlite(engine)
    return engine


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # We emit BEGIN ourselves (see _on_begin), so that DDL is transactional
        # and a unit of work really is one transaction.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute(f"PRAGMA busy_timeout = {_BUSY_TIMEOUT_MS}")
            cursor.execute("PRAGMA foreign_keys = ON")
            cursor.execute("PRAGMA journal_mode = WAL")
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        # IMMEDIATE takes the write lock up front: a read-then-write unit of work
        # then waits (busy_timeout) instead of failing with SQLITE_BUSY.
        conn.exec_driver_sql("BEGIN IMMEDIATE")


def _peek_sqlite_file(path: Path) -> list[str]:
    """Read the schema revision of an existing SQLite file without writing to it."""
    try:
        with path.open("rb") as fh:
            header = fh.read(len(_SQLITE_MAGIC))
    except OSError as exc:
        raise DatabaseUnreadableError(path=path, reason=exc.strerror or str(exc)) from exc
    if header == b"":
        return []  # an empty file is an empty database
    if header != _SQLITE_MAGIC:
        raise DatabaseUnreadableError(path=path, reason="not a SQLite database")
    # With no -wal file next to it, no connection is open and everything is
    # checkpointed into the main file, so it can be read as immutable: SQLite
    # then creates no -wal/-shm files either. Otherwise read it read-only.
    busy = any(path.with_name(path.name + s).exists() for s in ("-wal", "-journal"))
    mode = "mode=ro" if busy else "mode=ro&immutable=1"
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?{mode}", uri=True)
    except sqlite3.Error as exc:
        raise _sqlite_error(path, exc) from exc
    try:
        conn.execute(f"PRAGMA busy_timeout = {_BUSY_TIMEOUT_MS}")
        # quick_check is O(file size) but skips the index cross-checks; it
        # catches truncated files and damaged pages before anything writes.
        problems = [row[0] for row in conn.execute("PRAGMA quick_check(5)")]
        if problems != ["ok"]:
            raise DatabaseUnreadableError(
                path=path, reason="it fails SQLite's integrity check: " + "; ".join(problems)
            )
        tables = {
            row[0]
            for row in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
        }
        if "alembic_version" not in tables:
            if tables:
                raise DatabaseUnreadableError(
                    path=path, reason="it holds tables that are not Steelman's"
                )
            return []
        return [row[0] for row in conn.execute("SELECT version_num FROM alembic_version")]
    except sqlite3.Error as exc:
        raise _sqlite_error(path, exc) from exc
    finally:
        conn.close()


def _sqlite_error(path: Path, exc: sqlite3.Error) -> Exception:
    code = getattr(exc, "sqlite_errorcode", None)
    if code in (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB):
        return DatabaseUnreadableError(path=path, reason=str(exc))
    return DatabaseUnavailableError(f"Cannot read {path} ({exc}). The file has not been changed.")


def _stored_revisions(engine: Engine) -> list[str] | None:
    """The stored revisions, or None if they cannot be read (the upgrade then decides)."""
    try:
        with engine.connect() as conn:
            return _read_revisions(conn)
    except SQLAlchemyError:
        return None


def _read_revisions(conn: Connection) -> list[str]:
    if not inspect(conn).has_table("alembic_version"):
        return []
    return list(conn.execute(text("SELECT version_num FROM alembic_version")).scalars())


def _refuse_unknown(
    revisions: list[str], *, known: set[str], head: str, where: str | None = None
) -> None:
    for revision in revisions:
        if revision not in known:
            raise DatabaseTooNewError(found=revision, known=head, where=where)


_PG_MIGRATION_LOCK = 0x5733_1A4E  # any constant; serialises upgrades by several clients


def _upgrade(
    engine: Engine,
    revision: str,
    *,
    known: set[str] | None = None,
    head: str = "",
    where: str | None = None,
) -> None:
    """Run the migrations up to ``revision`` in a single transaction.

    With ``known``, the stored revision is checked again inside that
    transaction (after taking the lock), in case a newer Steelman upgraded the
    database since ``open_database`` first looked.
    """
    from alembic import command

    cfg = alembic_config()
    sqlite = engine.dialect.name == "sqlite"
    try:
        with engine.connect() as conn:
            if sqlite:
                # Batch migrations copy a table and drop the old one; with foreign
                # keys on, that DROP would cascade into child tables. The pragma
                # is ignored inside a transaction, so it goes first, on the raw
                # connection (which has not begun one yet).
                conn.connection.driver_connection.execute("PRAGMA foreign_keys = OFF")
            try:
                with conn.begin():
                    if engine.dialect.name == "postgresql":
                        conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_MIGRATION_LOCK})
                    if known is not None:
                        _refuse_unknown(_read_revisions(conn), known=known, head=head, where=where)
                    cfg.attributes["connection"] = conn
                    command.upgrade(cfg, revision)
                    if sqlite:
                        broken = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                        if broken:
                            raise DatabaseUnavailableError(
                                f"The schema upgrade would break references: {broken[:5]}"
                            )
            finally:
                if sqlite:
                    conn.connection.driver_connection.execute("PRAGMA foreign_keys = ON")
    except DBAPIError as exc:
        raise DatabaseUnavailableError(
            f"Could not bring the database up to date ({exc.orig}); it was left as it was."
        ) from exc

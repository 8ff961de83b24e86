"""The store: all SQL lives in this package. Open one with `open_store(database_url)`."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from newsdesk.store.base import FetchOutcome, SavedOutcome, Store, StoreError
from newsdesk.store.sqlite import SQLiteStore

if TYPE_CHECKING:
    from newsdesk.store.postgres import PostgresStore

__all__ = [
    "FetchOutcome",
    "SQLiteStore",
    "SavedOutcome",
    "Store",
    "StoreError",
    "open_store",
    "store_exists",
]


def open_store(database_url: str) -> Store:
    """Open (creating and migrating as needed) the store that `database_url` names.

    ``sqlite:///relative/path.db``, ``sqlite:////absolute/path.db`` or a bare file path open a
    SQLite store; ``postgresql://user@host:port/dbname`` (or ``postgres://``, or
    ``postgresql+psycopg://``) opens the PostgreSQL store in that database.
    """
    path = _sqlite_path(database_url)
    if path is not None:
        return _open_sqlite(path)
    return _open_postgres("postgresql://" + database_url.partition("://")[2])


def store_exists(database_url: str) -> bool:
    """Whether the store a URL names is there already (a PostgreSQL one is taken to be)."""
    path = _sqlite_path(database_url)
    return path is None or Path(path).expanduser().exists()


def _sqlite_path(database_url: str) -> str | None:
    """The file path of a SQLite URL (or bare path), None for PostgreSQL; StoreError if neither."""
    scheme, separator, rest = database_url.partition("://")
    if not separator:
        return database_url
    if scheme == "sqlite":
        if not rest.startswith("/"):
            raise StoreError(f"a SQLite URL looks like sqlite:///path.db, not {database_url!r}")
        return rest[1:]
    if scheme in {"postgresql", "postgres", "postgresql+psycopg"}:
        return None
    raise StoreError(f"unsupported database URL scheme {scheme!r} in {database_url!r}")


def _open_sqlite(path_text: str) -> SQLiteStore:
    if not path_text or path_text == ":memory:" or path_text.startswith("file:"):
        raise StoreError("the SQLite store needs a file path, e.g. sqlite:///newsdesk.db")
    path = Path(path_text).expanduser()
    path.parent.mkdir(parents=True, exist_ok=True)
    return SQLiteStore(path)


def _open_postgres(url: str) -> PostgresStore:
    # Imported here so that SQLite users need neither psycopg nor its import time.
    try:
        from newsdesk.store.postgres import PostgresStore
    except ImportError as error:
        raise StoreError(
            f"the PostgreSQL store needs psycopg 3 and psycopg_pool ({error})"
        ) from error
    return PostgresStore(url)

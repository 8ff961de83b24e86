"""Shared fixtures: a real HTTP server on 127.0.0.1 and test settings with a temporary store."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from fixture_server import FixtureServer
from newsdesk.settings import Settings, load_settings
from newsdesk.store import Store, open_store
from services import require_postgres
from store_fixtures import empty_postgres_schema, postgres_schema


@pytest.fixture
def http_server() -> Iterator[FixtureServer]:
    """A fresh fixture HTTP server; register routes with ``http_server.route(...)``."""
    with FixtureServer() as server:
        yield server


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Settings for tests: private networks allowed, a temporary SQLite store, short timeouts."""
    return load_settings(
        environ={},
        allow_private_networks=True,
        database_url=f"sqlite:///{tmp_path}/test.db",
        total_timeout=5.0,
        connect_timeout=2.0,
    )


# A store of each kind: every test that takes `store` runs on SQLite and on PostgreSQL.


@pytest.fixture(scope="module")
def postgres_module_url() -> Iterator[str]:
    """A migrated PostgreSQL schema for this module's tests, dropped at its end."""
    with postgres_schema(require_postgres()) as url:
        open_store(url).close()
        yield url


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A URL for an empty store: a new SQLite file, or the module's emptied PostgreSQL schema."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'newsdesk.db'}"
    url: str = request.getfixturevalue("postgres_module_url")
    empty_postgres_schema(url)
    return url


@pytest.fixture
def store(database_url: str) -> Iterator[Store]:
    opened = open_store(database_url)
    yield opened
    opened.close()


@pytest.fixture
def scrypt_calls(monkeypatch: pytest.MonkeyPatch) -> list[tuple[int, int, int]]:
    """(n, r, p) of every scrypt run from here on; the hashing itself is the real one."""
    calls: list[tuple[int, int, int]] = []
    real = hashlib.scrypt

    def counted(password: bytes, **params: Any) -> bytes:
        calls.append((params["n"], params["r"], params["p"]))
        return real(password, **params)

    monkeypatch.setattr(hashlib, "scrypt", counted)
    return calls

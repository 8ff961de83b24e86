"""Real services the tests need, and the one rule for when one is missing.

On CI (``CI`` set to anything but ``0``/``false``) a missing service FAILS the test that needs it,
so a broken CI machine can never pass by skipping. On a laptop the test skips with the reason
and the variable that points it elsewhere.
"""

from __future__ import annotations

import functools
import os

import pytest

DEFAULT_POSTGRES_URL = "postgresql://postgres@127.0.0.1:5432/test"


def on_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in {"", "0", "false", "no"}


def missing_service(reason: str) -> None:
    """Fail on CI, skip elsewhere, with `reason`."""
    if on_ci():
        pytest.fail(f"{reason} (CI is set, so this fails instead of skipping)", pytrace=False)
    pytest.skip(reason)


def postgres_url() -> str:
    return os.environ.get("NEWSDESK_TEST_POSTGRES_URL") or DEFAULT_POSTGRES_URL


def require_postgres() -> str:
    """The URL of a reachable PostgreSQL for tests, from NEWSDESK_TEST_POSTGRES_URL."""
    url = postgres_url()
    problem = _postgres_problem(url)
    if problem:
        missing_service(
            f"PostgreSQL not reachable at {url} ({problem}); set NEWSDESK_TEST_POSTGRES_URL"
        )
    return url


@functools.cache
def _postgres_problem(url: str) -> str:
    """Why `url` cannot be used, or "" when it can; asked once per URL and test run."""
    try:
        import psycopg
    except ImportError as error:
        return f"psycopg is not installed: {error}"
    try:
        with psycopg.connect(url, connect_timeout=3) as conn:
            conn.execute("SELECT 1")
    except psycopg.Error as error:
        return str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
    return ""

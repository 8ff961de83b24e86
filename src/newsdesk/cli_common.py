"""What every CLI module shares: the settings and an opened store, with errors made clean."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import click

from newsdesk.settings import Settings
from newsdesk.store import Store, StoreError, open_store, store_exists


def settings_of(ctx: click.Context) -> Settings:
    """The settings `newsdesk` loaded for this invocation."""
    settings: Settings = ctx.obj
    return settings


@contextmanager
def opened_store(ctx: click.Context, *, create: bool = False) -> Iterator[Store]:
    """The configured store, closed afterwards; a store that cannot open is a clean CLI error.

    Only commands that fill a store (`create`) make a new one: a mistyped --database-url
    otherwise gave an empty store and no hint.
    """
    url = settings_of(ctx).database_url
    try:
        if not create and not store_exists(url):
            raise StoreError(
                f"there is no store at {url}: check --database-url or NEWSDESK_DATABASE_URL"
                " (serve, sources add and opml import create one)"
            )
        store = open_store(url)
    except StoreError as exc:
        raise click.ClickException(str(exc)) from exc
    try:
        yield store
    finally:
        store.close()

"""What every CLI module shares: the settings and an opened store, with errors made clean."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import click

from newsdesk.settings import Settings
from newsdesk.store import Store, StoreError, open_store


def settings_of(ctx: click.Context) -> Settings:
    """The settings `newsdesk` loaded for this invocation."""
    settings: Settings = ctx.obj
    return settings


@contextmanager
def opened_store(ctx: click.Context) -> Iterator[Store]:
    """The configured store, closed afterwards; a store that cannot open is a clean CLI error."""
    try:
        store = open_store(settings_of(ctx).database_url)
    except StoreError as exc:
        raise click.ClickException(str(exc)) from exc
    try:
        yield store
    finally:
        store.close()

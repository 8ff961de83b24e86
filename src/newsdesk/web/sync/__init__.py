"""Sync APIs for existing reader apps (Google Reader API, Miniflux v1)."""

from __future__ import annotations

from starlette.routing import BaseRoute


def routes() -> list[BaseRoute]:
    """The sync APIs' routes, mounted by the app factory."""
    return []

"""Sync APIs for existing reader apps: the Google Reader API and a Miniflux v1 subset.

docs/apps.md tells how to set up each app.
"""

from __future__ import annotations

from starlette.routing import BaseRoute

from newsdesk.web.sync import greader, miniflux


def routes() -> list[BaseRoute]:
    """The sync APIs' routes, mounted by the app factory."""
    return [*greader.routes(), *miniflux.routes()]

"""Operations endpoints: metrics for Prometheus."""

from __future__ import annotations

from starlette.routing import BaseRoute


def routes() -> list[BaseRoute]:
    """The operations routes, mounted by the app factory."""
    return []

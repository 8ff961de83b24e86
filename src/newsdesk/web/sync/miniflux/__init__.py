"""A subset of the Miniflux v1 REST API, with HTTP Basic auth or X-Auth-Token."""

from __future__ import annotations

from starlette.routing import BaseRoute, Route

from newsdesk.web.sync.miniflux import entries, feeds


def routes() -> list[BaseRoute]:
    # Ids in paths are plain text: handlers answer JSON 404 for one no stored row can have.
    return [
        Route("/v1/me", feeds.me),
        Route("/v1/categories", feeds.categories),
        Route("/v1/categories/{category_id}/entries", entries.category_entries),
        Route("/v1/feeds", feeds.feeds),
        Route("/v1/feeds/counters", feeds.counters),
        Route("/v1/feeds/{feed_id}", feeds.feed),
        Route("/v1/feeds/{feed_id}/entries", entries.feed_entries),
        Route("/v1/feeds/{feed_id}/mark-all-as-read", entries.mark_feed_read, methods=["PUT"]),
        Route("/v1/entries", entries.all_entries, methods=["GET"]),
        Route("/v1/entries", entries.update_entries, methods=["PUT"]),
        Route("/v1/entries/{entry_id}", entries.one_entry),
        Route("/v1/entries/{entry_id}/bookmark", entries.toggle_bookmark, methods=["PUT"]),
    ]

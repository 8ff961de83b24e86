"""GET /api/v1/sections: the sections, with the last day's stories and articles in each."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request

from newsdesk.web.api.common import endpoint
from newsdesk.web.front import day_counts
from newsdesk.web.pages import cache_of, store_of
from newsdesk.web.taxonomy import REGIONS, SECTIONS, section_title


@endpoint
async def list_sections(request: Request) -> dict[str, Any]:
    store = store_of(request)
    counts = {c.section: c for c in cache_of(request).get("day_counts", lambda: day_counts(store))}
    items = []
    for name in SECTIONS:
        count = counts.get(name)
        items.append(
            {
                "name": name,
                "title": section_title(name),
                "stories_today": count.stories if count else 0,
                "articles_today": count.articles if count else 0,
                "regions": list(REGIONS) if name == "world" else [],
                "html_url": f"/section/{name}",
            }
        )
    return {"items": items, "next_cursor": None}

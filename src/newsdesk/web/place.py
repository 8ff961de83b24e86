"""GET /place/{code}: the latest articles about a country (ISO 3166-1 alpha-2 code)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from newsdesk.store.base_site import ArticleFilter
from newsdesk.web.pages import article_page, not_found, render, store_of
from newsdesk.web.taxonomy import is_country_code


async def page(request: Request) -> Response:
    code = request.path_params["code"]
    if not is_country_code(code):
        raise not_found("Place")
    if code != code.upper():
        return RedirectResponse(request.url_for("place", code=code.upper()), 301)
    store = store_of(request)
    place = store.site_place(code)
    if place is None:
        raise not_found("Place")
    filter = ArticleFilter(country=code, originals_only=True)
    articles, older = article_page(request, filter)
    return render(
        request,
        "listing.html",
        {
            "title": place.country or place.name,
            "kind": f"place · {place.region}" if place.region else "place",
            "articles": articles,
            "older": older,
            "feed": f"/feeds/place/{code}",
            "api": f"/api/v1/articles?place={code}",
        },
    )

"""Finding (or, for an admin, adding) the source a client asks to subscribe to by URL."""

from __future__ import annotations

from starlette.requests import Request

from newsdesk.fetch import Fetcher
from newsdesk.models import Source
from newsdesk.settings import Settings
from newsdesk.sources import SourceError, add_source
from newsdesk.web.sync.greader.common import Call
from newsdesk.web.sync.ids import BadRequest


async def source_for_url(request: Request, call: Call, url: str) -> Source:
    """The source with this feed URL; an admin's unknown URL is fetched and added.

    Sources are shared by every user, so only an admin may add one from an app.
    """
    known = call.store.source_by_url(url)
    if known is not None:
        return known
    if not call.user.is_admin:
        raise BadRequest(f"{url} is not a newsdesk source yet; ask an admin to add it")
    settings: Settings = request.app.state.settings
    try:
        async with Fetcher(settings) as fetcher:
            return await add_source(call.store, fetcher, url)
    except SourceError as exc:
        raise BadRequest(str(exc)) from exc

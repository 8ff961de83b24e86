"""subscription/list, tag/list, unread-count, subscription/edit and subscription/quickadd.

Sources are feeds (feed/<id>) in the folder of their section; a followed section or topic is
a feed too (feed/section/<name>, feed/topic/<key>), the section one in its own folder.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response

from newsdesk.pipeline.sections import SECTION_NAMES
from newsdesk.pipeline.topics import topic_key
from newsdesk.store.base import StoreError
from newsdesk.store.base_reading import Subscription
from newsdesk.web.sync.greader.common import (
    LABEL,
    READING_LIST,
    STARRED,
    Call,
    endpoint,
    source_ref,
)
from newsdesk.web.sync.greader.quickadd import source_for_url
from newsdesk.web.sync.ids import BadRequest, usec
from newsdesk.web.taxonomy import topic_slug


def feed_id(sub: Subscription) -> str:
    return f"feed/{sub.ref}" if sub.kind == "source" else f"feed/{sub.kind}/{sub.ref}"


def _subscription_json(request: Request, call: Call, sub: Subscription) -> dict[str, Any]:
    site = str(request.base_url)
    if sub.kind == "source":
        source = call.store.source_by_id(int(sub.ref))
        section = source.section if source else ""
        url, html_url = (source.url, source.site_url or source.url) if source else ("", "")
    else:
        # The site's own page and feed of the section or topic.
        section = sub.ref if sub.kind == "section" else ""
        slug = sub.ref if sub.kind == "section" else topic_slug(sub.ref)
        html_url = f"{site}{sub.kind}/{slug}"
        url = f"{site}feeds/{sub.kind}/{slug}.atom"
    categories = [{"id": LABEL + section, "label": section}] if section else []
    return {
        "id": feed_id(sub),
        "title": sub.title or f"{sub.kind.title()}: {sub.ref}",
        "categories": categories,
        "url": url,
        "htmlUrl": html_url,
        "iconUrl": "",
        "firstitemmsec": str(usec(sub.created_at) // 1000),
    }


@endpoint()
async def subscription_list(request: Request, call: Call) -> Response:
    subs = call.store.subscriptions(call.user.id)
    return JSONResponse({"subscriptions": [_subscription_json(request, call, s) for s in subs]})


@endpoint()
async def tag_list(request: Request, call: Call) -> Response:
    labels = sorted({s.section for s in call.store.list_sources() if s.section})
    labels += sorted(s.ref for s in call.store.subscriptions(call.user.id) if s.kind == "section")
    tags: list[dict[str, str]] = [{"id": STARRED}]
    tags += [{"id": LABEL + name, "type": "folder"} for name in dict.fromkeys(labels)]
    return JSONResponse({"tags": tags})


@endpoint()
async def unread_count(request: Request, call: Call) -> Response:
    followed = {feed_id(s) for s in call.store.subscriptions(call.user.id)}
    rows = []
    for c in call.store.unread_counts(call.user.id):
        if c.kind == "all":
            stream = READING_LIST
        elif c.kind == "label":
            stream = LABEL + c.ref
        else:
            stream = f"feed/{c.ref}" if c.kind == "source" else f"feed/{c.kind}/{c.ref}"
            if stream not in followed:
                continue
        newest = str(usec(c.newest)) if c.newest else "0"
        rows.append({"id": stream, "count": c.count, "newestItemTimestampUsec": newest})
    return JSONResponse({"max": 1000, "unreadcounts": rows})


def _parse_feed(stream_id: str) -> tuple[str, str]:
    """(kind, ref) of a feed/... stream id."""
    ref = stream_id.removeprefix("feed/")
    if ref.startswith("section/"):
        return "section", ref.removeprefix("section/")
    if ref.startswith("topic/"):
        return "topic", topic_key(ref.removeprefix("topic/"))  # "covid-19" is "covid 19"
    return "source", ref


@endpoint(action=True)
async def subscription_edit(request: Request, call: Call) -> Response:
    """ac=subscribe|unsubscribe|edit for each s; t renames. Folders follow sections, so a and
    r (label changes) are accepted and ignored. Only newsdesk's own sections can be followed;
    any can be unfollowed."""
    action = call.get("ac") or "edit"
    title = call.get("t") or ""
    for stream_id in call.all("s"):
        if not stream_id.startswith("feed/"):
            raise BadRequest(f"not a feed: {stream_id!r}")
        kind, ref = _parse_feed(stream_id)
        if kind == "source" and not (ref.isascii() and ref.isdigit()):
            source = await source_for_url(request, call, ref)
            ref = str(source.id)
        elif kind == "source":
            ref = str(source_ref(stream_id))
        if kind == "section" and action != "unsubscribe" and ref not in SECTION_NAMES:
            raise BadRequest(f"unknown section {ref!r}")
        try:
            if action == "unsubscribe":
                call.store.unsubscribe(call.user.id, kind, ref)  # type: ignore[arg-type]
            elif action in {"subscribe", "edit"}:
                call.store.subscribe(call.user.id, kind, ref, title)  # type: ignore[arg-type]
            else:
                raise BadRequest(f"unknown action ac={action!r}")
        except StoreError as exc:
            raise BadRequest(str(exc)) from exc
    return PlainTextResponse("OK")


@endpoint(action=True)
async def quickadd(request: Request, call: Call) -> Response:
    url = call.get("quickadd") or ""
    if not url:
        raise BadRequest("quickadd needs a URL")
    source = await source_for_url(request, call, url.removeprefix("feed/"))
    sub = call.store.subscribe(call.user.id, "source", str(source.id))
    return JSONResponse(
        {
            "numResults": 1,
            "query": url,
            "streamId": f"feed/{source.id}",
            "streamName": sub.title or source.url,
        }
    )

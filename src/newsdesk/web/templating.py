"""Jinja2 environment and the filters pages share."""

from __future__ import annotations

from collections.abc import Hashable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import jinja2
from starlette.templating import Jinja2Templates

from newsdesk.pipeline.urls import is_web_url
from newsdesk.web.auth import csrf_token
from newsdesk.web.taxonomy import REGIONS, SECTIONS, section_title, topic_slug

templates = Jinja2Templates(directory=str(Path(__file__).parent / "templates"))

WIKINEWS_LICENSE = "https://creativecommons.org/licenses/by/2.5/"
MAX_REMEMBERED_PATHS = 10_000
TIME_STEPS = (("minute", 60, 3600), ("hour", 3600, 86400), ("day", 86400, 7 * 86400))


def relative_time(when: datetime, now: datetime | None = None) -> str:
    """'5 minutes ago', '3 hours ago', '2 days ago', or the date: older than a week, or future."""
    now = now or datetime.now(UTC)
    seconds = int((now - when).total_seconds())
    if seconds < 0:  # a publisher's clock ahead of ours: its date, never "just now"
        return when.strftime("%-d %b %Y")
    if seconds < 60:
        return "just now"
    for unit, size, below in TIME_STEPS:
        if seconds < below:
            count = seconds // size
            return f"{count} {unit}{'s' if count != 1 else ''} ago"
    return when.strftime("%-d %b %Y")


def web_url(url: str) -> str:
    """The URL if it is http(s), else "#": stored links never become javascript: or data: links."""
    return url if is_web_url(url) else "#"


def counted(count: int, singular: str, plural: str = "") -> str:
    """'1 outlet', '2 outlets'; `plural` for the irregular ones ('copies')."""
    return f"{count} {singular if count == 1 else plural or singular + 's'}"


def is_wikinews(url: str) -> bool:
    host = urlsplit(url).hostname or ""
    return host == "wikinews.org" or host.endswith(".wikinews.org")


def host_of(url: str) -> str:
    host = urlsplit(url).hostname or ""
    return host.removeprefix("www.")


@jinja2.pass_context
def path_for(context: dict[str, Any], name: str, /, **params: Any) -> str:
    """The path (not the absolute URL) of a named route, so pages work behind any proxy."""
    app = context["request"].app
    # A page links to dozens of routes, and each lookup walks every route: remember them.
    paths: dict[Hashable, str] | None = getattr(app.state, "route_paths", None)
    if paths is None or len(paths) > MAX_REMEMBERED_PATHS:
        paths = app.state.route_paths = {}
    key = (name, *sorted(params.items()))
    found = paths.get(key)
    if found is None:
        found = paths[key] = str(app.url_path_for(name, **params))
    return found


templates.env.globals["path_for"] = path_for
templates.env.filters["relative_time"] = relative_time
templates.env.filters["web_url"] = web_url
templates.env.filters["host"] = host_of
templates.env.filters["counted"] = counted
templates.env.filters["isoformat"] = lambda d: d.isoformat(timespec="seconds")
templates.env.filters["exact_time"] = lambda d: d.strftime("%Y-%m-%d %H:%M UTC")
templates.env.filters["section_title"] = section_title
templates.env.filters["topic_slug"] = topic_slug
templates.env.tests["wikinews"] = is_wikinews
templates.env.tests["web_url"] = is_web_url
templates.env.globals["WIKINEWS_LICENSE"] = WIKINEWS_LICENSE
templates.env.globals["SECTIONS"] = SECTIONS
templates.env.globals["REGIONS"] = REGIONS
templates.env.globals["csrf_token"] = csrf_token

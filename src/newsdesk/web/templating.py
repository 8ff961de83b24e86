"""Jinja2 environment and the filters pages share."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

from starlette.templating import Jinja2Templates

from newsdesk.pipeline.urls import is_web_url

templates = Jinja2Templates(directory=str(Path(__file__).parent / "templates"))

WIKINEWS_LICENSE = "https://creativecommons.org/licenses/by/2.5/"
TIME_STEPS = (("minute", 60, 3600), ("hour", 3600, 86400), ("day", 86400, 7 * 86400))


def relative_time(when: datetime, now: datetime | None = None) -> str:
    """'5 minutes ago', '3 hours ago', '2 days ago', or the date for anything older than a week."""
    now = now or datetime.now(UTC)
    seconds = int((now - when).total_seconds())
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


def is_wikinews(url: str) -> bool:
    host = urlsplit(url).hostname or ""
    return host == "wikinews.org" or host.endswith(".wikinews.org")


templates.env.filters["relative_time"] = relative_time
templates.env.filters["web_url"] = web_url
templates.env.filters["isoformat"] = lambda d: d.isoformat(timespec="seconds")
templates.env.filters["exact_time"] = lambda d: d.strftime("%Y-%m-%d %H:%M UTC")
templates.env.tests["wikinews"] = is_wikinews
templates.env.globals["WIKINEWS_LICENSE"] = WIKINEWS_LICENSE

"""newsdesk's users, sources and articles in Miniflux's JSON shapes and field names."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from typing import Any

from newsdesk.models import Source, SourceHealth, User
from newsdesk.store.base_reading import ReadingItem
from newsdesk.web.sync.greader.items import content_html
from newsdesk.web.sync.miniflux.common import category_id, category_title


def iso(moment: datetime | None) -> str:
    return (moment or datetime.fromtimestamp(0, UTC)).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def user_json(user: User) -> dict[str, Any]:
    return {
        "id": user.id,
        "username": user.username,
        "is_admin": user.is_admin,
        "theme": "light_serif",
        "language": "en_US",
        "timezone": "UTC",
        "entry_sorting_direction": "desc",
        "entry_sorting_order": "published_at",
        "entries_per_page": 100,
        "keyboard_shortcuts": True,
        "show_reading_time": True,
        "entry_swipe": True,
        "stylesheet": "",
        "google_id": "",
        "openid_connect_id": "",
        "last_login_at": iso(None),
    }


def category_json(section: str, user: User) -> dict[str, Any]:
    return {
        "id": category_id(section),
        "title": category_title(section),
        "user_id": user.id,
        "hide_globally": False,
    }


def feed_json(
    source: Source, user: User, title: str = "", health: SourceHealth | None = None
) -> dict[str, Any]:
    """A Miniflux feed; with its health, when it was last fetched and how it is failing."""
    failing = health is not None and health.consecutive_failures > 0
    return {
        "id": source.id,
        "user_id": user.id,
        "feed_url": source.url,
        "site_url": source.site_url or source.url,
        "title": title or source.title or source.url,
        "checked_at": iso((health.last_fetch_at if health else None) or source.created_at),
        "etag_header": source.etag,
        "last_modified_header": source.last_modified,
        "parsing_error_message": health.last_error if health and failing else "",
        "parsing_error_count": health.consecutive_failures if health else 0,
        "scraper_rules": "",
        "rewrite_rules": "",
        "crawler": False,
        "blocklist_rules": "",
        "keeplist_rules": "",
        "user_agent": "",
        "username": "",
        "password": "",
        "disabled": False,
        "ignore_http_cache": False,
        "fetch_via_proxy": False,
        "hide_globally": False,
        "category": category_json(source.section, user),
        "icon": None,
    }


def entry_json(item: ReadingItem, source: Source | None, user: User) -> dict[str, Any]:
    a = item.article
    content = content_html(a)
    words = len((a.text or a.summary).split())
    feed = feed_json(source, user) if source else None
    return {
        "id": a.id,
        "user_id": user.id,
        "feed_id": a.source_id,
        "status": "read" if item.is_read else "unread",
        "hash": hashlib.sha256(a.canonical_url.encode()).hexdigest(),
        "title": a.title,
        "url": a.url,
        "comments_url": "",
        "published_at": iso(a.published),
        "created_at": iso(a.fetched_at),
        # Miniflux moves changed_at when an entry's status or star changes.
        "changed_at": iso(max(a.fetched_at, item.state_changed or a.fetched_at)),
        "content": content,
        "author": a.author,
        "share_code": "",
        "starred": item.is_starred,
        "reading_time": max(1, round(words / 265)),
        "enclosures": [],
        "tags": list(a.categories),
        "feed": feed,
    }

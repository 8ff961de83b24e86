"""The Google Reader API (as FreshRSS serves it) under /api/greader.php."""

from __future__ import annotations

from starlette.routing import BaseRoute, Mount, Route

from newsdesk.web.sync.greader import edit, login, streams, subscriptions
from newsdesk.web.sync.greader.common import BASE

_API = "/reader/api/0"
_BOTH = ["GET", "POST"]


def routes() -> list[BaseRoute]:
    return [
        Mount(
            BASE,
            routes=[
                Route("/accounts/ClientLogin", login.client_login, methods=_BOTH),
                Route(f"{_API}/token", login.token, methods=_BOTH),
                Route(f"{_API}/user-info", login.user_info, methods=_BOTH),
                Route(f"{_API}/subscription/list", subscriptions.subscription_list, methods=_BOTH),
                Route(
                    f"{_API}/subscription/edit", subscriptions.subscription_edit, methods=["POST"]
                ),
                Route(f"{_API}/subscription/quickadd", subscriptions.quickadd, methods=["POST"]),
                Route(f"{_API}/tag/list", subscriptions.tag_list, methods=_BOTH),
                Route(f"{_API}/unread-count", subscriptions.unread_count, methods=_BOTH),
                Route(f"{_API}/stream/contents", streams.contents, methods=_BOTH),
                Route(
                    f"{_API}/stream/contents/{{stream_id:path}}", streams.contents, methods=_BOTH
                ),
                Route(f"{_API}/stream/items/ids", streams.item_ids, methods=_BOTH),
                Route(f"{_API}/stream/items/contents", streams.item_contents, methods=_BOTH),
                Route(f"{_API}/edit-tag", edit.edit_tag, methods=["POST"]),
                Route(f"{_API}/mark-all-as-read", edit.mark_all_as_read, methods=["POST"]),
                Route("/reader/atom/{stream_id:path}", streams.atom, methods=["GET"]),
            ],
        )
    ]

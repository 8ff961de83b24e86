"""What every Google Reader endpoint shares: authentication, parameters and stream ids."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from functools import wraps

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response

from newsdesk.models import User
from newsdesk.pipeline.topics import topic_key
from newsdesk.store.base import Store
from newsdesk.store.base_reading import StreamQuery
from newsdesk.web.sync.auth import action_token_ok, user_from_token
from newsdesk.web.sync.ids import BadRequest, count, decimal_id, decode_continuation, epoch

BASE = "/api/greader.php"
STATE = "user/-/state/com.google/"
READING_LIST = STATE + "reading-list"
STARRED = STATE + "starred"
READ = STATE + "read"
KEPT_UNREAD = STATE + "kept-unread"
LABEL = "user/-/label/"


@dataclass(frozen=True)
class Call:
    """One authenticated call: the store, the user and every parameter (query and form)."""

    store: Store
    user: User
    params: list[tuple[str, str]]

    def get(self, name: str, default: str | None = None) -> str | None:
        for key, value in self.params:
            if key == name:
                return value
        return default

    def all(self, name: str) -> list[str]:
        return [value for key, value in self.params if key == name]


Handler = Callable[[Request, Call], Awaitable[Response]]


def unauthorized() -> Response:
    return PlainTextResponse("Unauthorized", status_code=401)


def endpoint(
    *, action: bool = False
) -> Callable[[Handler], Callable[[Request], Awaitable[Response]]]:
    """Wrap a handler: 401 without a valid `GoogleLogin auth=` token, 401 for a POST action
    without the right `T` token, 400 for a parameter the handler cannot use."""

    def wrap(handler: Handler) -> Callable[[Request], Awaitable[Response]]:
        @wraps(handler)
        async def run(request: Request) -> Response:
            store: Store = request.app.state.store
            user = _token_user(request, store)
            if user is None:
                return unauthorized()
            params = list(request.query_params.multi_items())
            if request.method == "POST":
                form = await request.form()
                params += [(k, v) for k, v in form.multi_items() if isinstance(v, str)]
            call = Call(store, user, params)
            if action and not action_token_ok(store, user, call.get("T") or ""):
                return PlainTextResponse(
                    "Unauthorized", status_code=401, headers={"X-Reader-Google-Bad-Token": "true"}
                )
            try:
                return await handler(request, call)
            except BadRequest as exc:
                return PlainTextResponse(str(exc), status_code=400)

        return run

    return wrap


def _token_user(request: Request, store: Store) -> User | None:
    scheme, _, rest = request.headers.get("authorization", "").partition(" ")
    if scheme != "GoogleLogin":
        return None
    name, _, token = rest.strip().partition("=")
    return user_from_token(store, token) if name.strip().lower() == "auth" else None


def stream_query(stream_id: str) -> StreamQuery:
    """The articles a Google Reader stream id names; BadRequest for one newsdesk lacks."""
    if stream_id.startswith("feed/section/"):
        return StreamQuery(section=stream_id.removeprefix("feed/section/"))
    if stream_id.startswith("feed/topic/"):
        return StreamQuery(topic=topic_key(stream_id.removeprefix("feed/topic/")))
    if stream_id.startswith("feed/"):
        return StreamQuery(source_id=source_ref(stream_id))
    parts = stream_id.split("/", 3)
    if len(parts) == 4 and parts[0] == "user" and parts[2] == "label":
        return StreamQuery(label=parts[3], subscribed=True)
    if len(parts) == 4 and parts[0] == "user" and parts[2] == "state":
        state = parts[3].removeprefix("com.google/")
        if state == "reading-list":
            return StreamQuery(subscribed=True)
        if state == "starred":
            return StreamQuery(starred=True)
        if state == "read":
            return StreamQuery(read=True)
    raise BadRequest(f"unknown stream {stream_id!r}")


def source_ref(stream_id: str) -> int:
    """The source id of a feed/<id> stream; BadRequest for one no stored source can have."""
    source_id = decimal_id(stream_id.removeprefix("feed/"))
    if source_id is None:
        raise BadRequest(f"unknown feed {stream_id!r}")
    return source_id


def paged_query(call: Call, stream_id: str, *, default: int, maximum: int) -> StreamQuery:
    """The stream with n, c, r, ot, nt, xt and it applied."""
    query = stream_query(stream_id)
    changes: dict[str, object] = {"limit": count(call.get("n"), default, maximum)}
    if call.get("r") == "o":
        changes["oldest_first"] = True
    if call.get("c"):
        changes["after"] = decode_continuation(call.get("c") or "")
    if call.get("ot"):
        changes["newer_than"] = epoch(call.get("ot") or "", "ot")
    if call.get("nt"):
        changes["older_than"] = epoch(call.get("nt") or "", "nt")
    for excluded in call.all("xt"):
        if _is_state(excluded, "read"):
            changes["read"] = False
        elif _is_state(excluded, "starred"):
            changes["starred"] = False
    for included in call.all("it"):
        if _is_state(included, "read"):
            changes["read"] = True
        elif _is_state(included, "starred"):
            changes["starred"] = True
    return replace(query, **changes)  # type: ignore[arg-type]


def _is_state(stream_id: str, state: str) -> bool:
    return stream_id.startswith("user/") and stream_id.endswith(f"/state/com.google/{state}")

"""What every Miniflux endpoint shares: authentication, errors, and sections as categories."""

from __future__ import annotations

import zlib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from functools import wraps

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from newsdesk.models import Source, User
from newsdesk.pipeline.sections import SECTION_NAMES
from newsdesk.store.base import Store
from newsdesk.web.sync.auth import basic_user, user_from_token
from newsdesk.web.sync.ids import MAX_ID, BadRequest, decimal_id

UNFILED = "All"  # Miniflux's default category, for sources without a section


@dataclass(frozen=True)
class Call:
    store: Store
    user: User


Handler = Callable[[Request, Call], Awaitable[Response]]


def error(message: str, status: int) -> Response:
    return JSONResponse({"error_message": message}, status_code=status)


def endpoint(handler: Handler) -> Callable[[Request], Awaitable[Response]]:
    """401 without HTTP Basic or X-Auth-Token credentials; 400 for unusable parameters."""

    @wraps(handler)
    async def run(request: Request) -> Response:
        store: Store = request.app.state.store
        token = request.headers.get("x-auth-token")
        try:
            user = user_from_token(store, token) if token else await basic_user(request)
        except HTTPException as exc:  # too many failed logins
            response = error(str(exc.detail), exc.status_code)
            response.headers.update(exc.headers or {})
            return response
        if user is None:
            return error("Access Unauthorized", 401)
        try:
            return await handler(request, Call(store, user))
        except BadRequest as exc:
            return error(str(exc), 400)

    return run


def category_id(section: str) -> int:
    """A stable id per section: 1 for none, 2 to 14 for newsdesk's own, a hash for others."""
    if not section:
        return 1
    if section in SECTION_NAMES:
        return 2 + SECTION_NAMES.index(section)
    return 1000 + zlib.crc32(section.encode()) % 1_000_000


def category_title(section: str) -> str:
    return section or UNFILED


def section_of_category(sources: list[Source], wanted: int) -> str | None:
    """The section (maybe "") whose category id is `wanted`, or None for no such category."""
    for section in {s.section for s in sources} | {""}:
        if category_id(section) == wanted:
            return section
    return None


def int_param(request: Request, name: str, default: int) -> int:
    """A whole number from 0 to 2**63 - 1, or `default` when absent."""
    text = request.query_params.get(name)
    if text is None or text == "":
        return default
    try:
        value = int(text)
    except ValueError as exc:
        raise BadRequest(f"{name} must be a whole number, not {text!r}") from exc
    if not 0 <= value <= MAX_ID:
        raise BadRequest(f"{name} must be a whole number from 0 to {MAX_ID}")
    return value


def id_param(request: Request, name: str) -> int | None:
    """An id from the query string, None when absent; BadRequest for one no row can have."""
    text = request.query_params.get(name)
    if text is None or text == "":
        return None
    found = decimal_id(text)
    if found is None:
        raise BadRequest(f"invalid {name}: {text!r}")
    return found


def path_id(request: Request, name: str) -> int | None:
    """The id in the path, or None when no stored row can have it (answer 404)."""
    return decimal_id(str(request.path_params[name]))

"""Admin login state and CSRF tokens, both kept in the signed session cookie."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Awaitable, Callable

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response

from newsdesk.models import User
from newsdesk.store.base import Store

SESSION_COOKIE = "newsdesk_session"
SESSION_MAX_AGE = 14 * 24 * 3600
CSRF_FIELD = "csrf"

Handler = Callable[[Request], Awaitable[Response]]


def csrf_token(request: Request) -> str:
    """This session's CSRF token, created on first use."""
    token = request.session.get(CSRF_FIELD)
    if not isinstance(token, str) or not token:
        token = secrets.token_urlsafe(32)
        request.session[CSRF_FIELD] = token
    return token


def csrf_ok(request: Request, form: FormData) -> bool:
    expected = request.session.get(CSRF_FIELD)
    given = form.get(CSRF_FIELD)
    if not isinstance(expected, str) or not expected or not isinstance(given, str):
        return False
    return hmac.compare_digest(expected.encode(), given.encode())


def current_admin(request: Request) -> User | None:
    """The logged-in admin, or None; cheap when there is no session cookie.

    A session is good only while the user's passwords and session epoch are what they were at
    login, so a new password or a logout ends every copy of the cookie, not just this one.
    """
    if SESSION_COOKIE not in request.cookies:
        return None
    user_id, check = request.session.get("user_id"), request.session.get("check")
    if not isinstance(user_id, int) or not isinstance(check, str):
        return None
    store: Store = request.app.state.store
    user = store.user_by_id(user_id)
    if user is None or not user.is_admin:
        return None
    return user if hmac.compare_digest(check, _session_check(store, user)) else None


def log_in(request: Request, user: User) -> None:
    """Start a fresh session for `user`, with a new CSRF token."""
    request.session.clear()
    request.session["user_id"] = user.id
    request.session["check"] = _session_check(request.app.state.store, user)
    request.session[CSRF_FIELD] = secrets.token_urlsafe(32)


def log_out(request: Request) -> None:
    """End this session and every other session of its user (copies of the cookie included)."""
    user = current_admin(request)
    if user is not None:
        request.app.state.store.rotate_app_secret(_epoch_name(user))
    request.session.clear()


def _epoch_name(user: User) -> str:
    return f"admin-session-epoch:{user.id}"


def _session_check(store: Store, user: User) -> str:
    stamp = store.credential_stamp(user.username) or ""
    epoch = store.app_secret(_epoch_name(user))
    return hashlib.sha256(f"{user.id}\0{stamp}\0{epoch}".encode()).hexdigest()[:32]


def flash(request: Request, message: str) -> None:
    request.session["flash"] = message


def take_flash(request: Request) -> str:
    message = request.session.pop("flash", "")
    return message if isinstance(message, str) else ""


def admin_action(handler: Callable[[Request, FormData, User], Awaitable[Response]]) -> Handler:
    """A POST handler that refuses (401) without an admin login and (403) without the CSRF token.

    Nothing runs, so nothing changes, before both checks pass.
    """

    async def checked(request: Request) -> Response:
        user = current_admin(request)
        if user is None:
            return PlainTextResponse("Log in as the admin first.", status_code=401)
        form = await request.form(max_files=1, max_fields=50)
        if not csrf_ok(request, form):
            return PlainTextResponse("Missing or wrong CSRF token.", status_code=403)
        return await handler(request, form, user)

    return checked


def back_to_admin(request: Request, message: str = "") -> RedirectResponse:
    if message:
        flash(request, message)
    return RedirectResponse(request.url_for("admin"), status_code=303)

"""GET/POST /admin/login and POST /admin/logout: the admin's session."""

from __future__ import annotations

import logging

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response

from newsdesk.logs import escape_controls
from newsdesk.web.auth import csrf_ok, csrf_token, current_admin, log_in, log_out
from newsdesk.web.pages import render, store_of
from newsdesk.web.throttle import begin_login, login_succeeded

log = logging.getLogger(__name__)


async def form(request: Request) -> Response:
    if current_admin(request) is not None:
        return RedirectResponse(request.url_for("admin"), 303)
    return render(request, "login.html", {"csrf": csrf_token(request), "error": ""})


async def submit(request: Request) -> Response:
    data = await request.form(max_files=0, max_fields=10)
    if not csrf_ok(request, data):
        return PlainTextResponse("Missing or wrong CSRF token; reload the login page.", 403)
    username = str(data.get("username", "admin"))[:100] or "admin"
    password = str(data.get("password", ""))[:1024]
    begin_login(request, username)  # counted as failed from here until it succeeds
    # Hashing takes ~50 ms of CPU: keep it off the event loop.
    user = await run_in_threadpool(store_of(request).check_password, username, password)
    if user is None or not user.is_admin:
        client = request.client.host if request.client else "?"
        log.warning("failed admin login as %s from %s", escape_controls(username), client)
        # The right password for a reader account: say why, as the password is known anyway.
        error = (
            "This account reads news but cannot run the desk: sign in as an admin."
            if user is not None
            else "Wrong user name or password."
        )
        context = {"csrf": csrf_token(request), "error": error}
        return render(request, "login.html", context, status_code=403 if user else 401)
    login_succeeded(request, username)
    log_in(request, user)
    return RedirectResponse(request.url_for("admin"), 303)


async def logout(request: Request) -> Response:
    data = await request.form(max_files=0, max_fields=10)
    if not csrf_ok(request, data):
        return PlainTextResponse("Missing or wrong CSRF token.", 403)
    log_out(request)
    return RedirectResponse(request.url_for("front"), 303)

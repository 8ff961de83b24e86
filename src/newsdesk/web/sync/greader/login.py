"""accounts/ClientLogin, reader/api/0/token and user-info."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response

from newsdesk.web.sync.auth import action_token, auth_token, check_login
from newsdesk.web.sync.greader.common import Call, endpoint


async def client_login(request: Request) -> Response:
    """Email and Passwd (query or form) for SID, LSID and Auth lines; 401 if wrong."""
    params = dict(request.query_params)
    if request.method == "POST":
        form = await request.form()
        params.update({k: v for k, v in form.items() if isinstance(v, str)})
    user = await check_login(request, params.get("Email", ""), params.get("Passwd", ""))
    if user is None:
        return PlainTextResponse("Error=BadAuthentication\n", status_code=401)
    token = auth_token(request.app.state.store, user)
    if params.get("output") == "json":
        return JSONResponse({"SID": token, "LSID": "null", "Auth": token})
    return PlainTextResponse(f"SID={token}\nLSID=null\nAuth={token}\n")


@endpoint()
async def token(request: Request, call: Call) -> Response:
    # No trailing newline: newsboat sends the body back verbatim as T.
    return PlainTextResponse(action_token(call.store, call.user))


@endpoint()
async def user_info(request: Request, call: Call) -> Response:
    user = call.user
    return JSONResponse(
        {
            "userId": str(user.id),
            "userName": user.username,
            "userProfileId": str(user.id),
            "userEmail": "",
            "isBloggerUser": False,
            "signupTimeSec": int(user.created_at.timestamp()),
            "isMultiLoginEnabled": False,
        }
    )

"""Error responses: JSON under /api, a plain page everywhere else."""

from __future__ import annotations

import logging

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from newsdesk.logs import escape_controls
from newsdesk.web.api.common import error_response
from newsdesk.web.templating import templates

log = logging.getLogger(__name__)


async def http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    if request.url.path.startswith("/api/"):
        response = error_response(exc.status_code, str(exc.detail))
        response.headers.update(exc.headers or {})
        return response
    context = {"status": exc.status_code, "detail": exc.detail, "admin": None}
    return templates.TemplateResponse(
        request, "error.html", context, status_code=exc.status_code, headers=exc.headers
    )


async def server_error(request: Request, exc: Exception) -> Response:
    # The path is the client's, decoded: escaped here too, whatever formatter the log has.
    log.exception("error serving %s", escape_controls(request.scope["path"]), exc_info=exc)
    if request.url.path.startswith("/api/"):
        return error_response(500, "internal error")
    context = {"status": 500, "detail": "Something went wrong on our side.", "admin": None}
    return templates.TemplateResponse(request, "error.html", context, status_code=500)

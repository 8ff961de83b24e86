"""POST /admin/sources (a URL), /admin/sources/opml (an upload), /admin/sources/{id}/remove."""

from __future__ import annotations

from starlette.datastructures import FormData, UploadFile
from starlette.requests import Request
from starlette.responses import Response

from newsdesk.fetch import Fetcher
from newsdesk.models import User
from newsdesk.opml import OpmlError, import_summary
from newsdesk.sources import SourceError, add_source, import_opml
from newsdesk.web.auth import admin_action, back_to_admin
from newsdesk.web.pages import cache_of, int_param, not_found, store_of

MAX_OPML_BYTES = 5_000_000


async def _add(request: Request, form: FormData, user: User) -> Response:
    url = str(form.get("url", "")).strip()
    if not url:
        return back_to_admin(request, "Give the URL of a feed or of a page that links to one.")
    store = store_of(request)
    known = {s.id for s in store.list_sources()}
    try:
        async with Fetcher(request.app.state.settings) as fetcher:
            source = await add_source(store, fetcher, url)
    except SourceError as exc:
        return back_to_admin(request, f"Not added: {exc}")
    cache_of(request).clear()
    if source.id in known:
        return back_to_admin(request, f"Already following {source.title or source.url}.")
    return back_to_admin(request, f"Added {source.title or source.url}.")


async def _upload(request: Request, form: FormData, user: User) -> Response:
    upload = form.get("opml")
    if not isinstance(upload, UploadFile):
        return back_to_admin(request, "Choose an OPML file to upload.")
    data = await upload.read(MAX_OPML_BYTES + 1)
    if len(data) > MAX_OPML_BYTES:
        return back_to_admin(request, "That OPML file is too large.")
    store = store_of(request)
    known = {s.id for s in store.list_sources()}
    try:
        listed = import_opml(store, data)
    except OpmlError as exc:
        return back_to_admin(request, f"Not imported: {exc}")
    cache_of(request).clear()
    return back_to_admin(request, f"From the OPML file: {import_summary(listed, known)}.")


async def _remove(request: Request, form: FormData, user: User) -> Response:
    source_id = int_param(request.path_params["source_id"])
    if source_id is None or not store_of(request).remove_source(source_id):
        raise not_found("Source")
    cache_of(request).clear()
    return back_to_admin(request, "Removed the source and the articles only it had.")


add = admin_action(_add)
upload = admin_action(_upload)
remove = admin_action(_remove)

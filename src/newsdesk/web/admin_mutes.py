"""POST /admin/mutes and /admin/mutes/remove: mute or unmute a source or a topic."""

from __future__ import annotations

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response

from newsdesk.models import User
from newsdesk.pipeline.topics import topic_key
from newsdesk.store.base_site import MUTE_KINDS, MuteKind
from newsdesk.web.auth import admin_action, back_to_admin
from newsdesk.web.pages import cache_of, int_param, store_of


def _target(form: FormData) -> tuple[MuteKind, str] | None:
    kind = str(form.get("kind", ""))
    ref = str(form.get("ref", "")).strip()[:200]
    if not ref:
        return None
    if kind == "source" and ref.isascii() and ref.isdigit():
        return "source", str(int(ref))
    if kind == "topic":
        return "topic", topic_key(ref)
    return None


async def _mute(request: Request, form: FormData, user: User) -> Response:
    target = _target(form)
    if target is None or target[0] not in MUTE_KINDS:
        return back_to_admin(request, "Mute a source (by id) or a topic (by name).")
    store = store_of(request)
    kind, ref = target
    source_id = int_param(ref)
    if kind == "source" and (source_id is None or store.source_by_id(source_id) is None):
        return back_to_admin(request, f"There is no source {ref}.")
    store.add_mute(kind, ref)
    cache_of(request).clear()
    return back_to_admin(request, f"Muted {target[0]} {target[1]}.")


async def _unmute(request: Request, form: FormData, user: User) -> Response:
    target = _target(form)
    if target is None or not store_of(request).remove_mute(*target):
        return back_to_admin(request, "That was not muted.")
    cache_of(request).clear()
    return back_to_admin(request, f"Unmuted {target[0]} {target[1]}.")


mute = admin_action(_mute)
unmute = admin_action(_unmute)

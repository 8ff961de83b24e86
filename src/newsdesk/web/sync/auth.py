"""Who is calling a sync API: signed tokens (Google Reader, X-Auth-Token) and HTTP Basic.

Tokens are HMACs of the user name and a stamp of the user's password hashes under a secret
kept in the store, so nothing a client holds is stored, a token never contains a password, and
changing a password revokes the tokens handed out before. Basic logins are checked with the
scrypt hash once, then remembered for a few minutes by an HMAC of name, password and stamp,
because clients like newsboat send the password with every request.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import hashlib
import hmac
import time
from dataclasses import dataclass, field

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request

from newsdesk.models import User
from newsdesk.store.base import Store
from newsdesk.web.throttle import begin_login, login_succeeded

SECRET_NAME = "sync-api-tokens"
LOGIN_CACHE_SECONDS = 300


@dataclass
class LoginCache:
    """Recent good logins: HMAC(name, password) -> (user id, expiry); and the checks running,
    so that a client's parallel requests with one password share one check (and one count
    against the throttle) instead of each counting as a guess until the first succeeds."""

    entries: dict[str, tuple[int, float]] = field(default_factory=dict)
    running: dict[str, asyncio.Future[User | None]] = field(default_factory=dict)


def _secret(store: Store) -> bytes:
    return store.app_secret(SECRET_NAME).encode()


def _sign(store: Store, purpose: str, username: str) -> str:
    # The credential stamp changes with the user's passwords, so a new password revokes every
    # token signed under the old one; an unknown user gets a signature nothing can match.
    stamp = store.credential_stamp(username)
    if stamp is None:
        return "-"
    message = f"{purpose}\0{username}\0{stamp}".encode()
    return hmac.new(_secret(store), message, hashlib.sha256).hexdigest()


def auth_token(store: Store, user: User) -> str:
    """The token ClientLogin hands out, also accepted as Miniflux's X-Auth-Token."""
    return f"{user.username}/{_sign(store, 'auth', user.username)}"


def action_token(store: Store, user: User) -> str:
    """Google Reader's `T` token, which POST actions carry."""
    return _sign(store, "action", user.username)[:57]


def user_from_token(store: Store, token: str) -> User | None:
    username, _, signature = token.strip().partition("/")
    if not username or not signature:
        return None
    expected = _sign(store, "auth", username)
    if expected == "-" or not hmac.compare_digest(signature, expected):
        return None
    return store.user_by_name(username)


def action_token_ok(store: Store, user: User, token: str) -> bool:
    expected = action_token(store, user)
    return expected != "-" and hmac.compare_digest(token.strip(), expected)


async def check_login(request: Request, username: str, password: str) -> User | None:
    """The user whose API password this is, via the cache or a (slow) scrypt check.

    HTTPException 429 once this address has failed too often (web/throttle.py). An unknown
    name takes the same scrypt check as a wrong password, so timing does not tell it apart.
    """
    store: Store = request.app.state.store
    cache: LoginCache | None = getattr(request.app.state, "sync_login_cache", None)
    if cache is None:
        cache = request.app.state.sync_login_cache = LoginCache()
    stamp = store.credential_stamp(username)
    key = hmac.new(
        _secret(store), f"login\0{username}\0{password}\0{stamp}".encode(), hashlib.sha256
    ).hexdigest()
    now = time.monotonic()
    hit = cache.entries.get(key)
    if stamp is not None and hit is not None and hit[1] > now:
        return store.user_by_id(hit[0])
    running = cache.running.get(key)
    if running is None:
        # A task of its own: a client that hangs up does not cancel the others' check.
        running = asyncio.ensure_future(_checked_login(request, username, password))
        cache.running[key] = running
        running.add_done_callback(lambda done: _forget(cache, key, done))
    user = await asyncio.shield(running)
    if user is not None and stamp is not None:
        if len(cache.entries) > 1000:
            cache.entries = {k: v for k, v in cache.entries.items() if v[1] > now}
        cache.entries[key] = (user.id, now + LOGIN_CACHE_SECONDS)
    return user


def _forget(cache: LoginCache, key: str, done: asyncio.Future[User | None]) -> None:
    cache.running.pop(key, None)
    if not done.cancelled():
        done.exception()  # looked at: a check whose callers all hung up is no error


async def _checked_login(request: Request, username: str, password: str) -> User | None:
    """The scrypt check, counted by the throttle from its start until it succeeds."""
    begin_login(request, username)
    store: Store = request.app.state.store
    user = await run_in_threadpool(store.check_api_password, username, password)
    if user is not None:
        login_succeeded(request, username)
    return user


async def basic_user(request: Request) -> User | None:
    """The user of an `Authorization: Basic` header, if its password is right."""
    scheme, _, value = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        decoded = base64.b64decode(value.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return None
    username, sep, password = decoded.partition(":")
    if not sep:
        return None
    return await check_login(request, username, password)

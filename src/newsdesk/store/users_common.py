"""Rules both stores share for users: names, and which hash a login checks."""

from __future__ import annotations

import hashlib
import re

from newsdesk.store.base import StoreError

_USERNAME = re.compile(r"^[A-Za-z0-9_.@-]{1,64}$")


def stamp(password_hash: str, api_password_hash: str) -> str:
    """A short digest of a user's password hashes: changes when either password does."""
    digest = hashlib.sha256(f"{password_hash}\0{api_password_hash}".encode()).hexdigest()
    return digest[:32]


def checked_username(username: str) -> str:
    if not _USERNAME.match(username):
        raise StoreError(
            "a user name has 1 to 64 letters, digits, dots, dashes, underscores or @ signs"
        )
    return username

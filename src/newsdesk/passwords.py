"""Password hashing with the standard library's scrypt; hashes carry their own parameters."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

N, R, P = 2**14, 8, 1  # OWASP's scrypt minimum; about 50 ms per check on a laptop core
MIN_LENGTH = 8


class PasswordError(ValueError):
    """The password is not acceptable (too short, or too long to hash safely)."""


def hash_password(password: str) -> str:
    if len(password) < MIN_LENGTH:
        raise PasswordError(f"a password needs at least {MIN_LENGTH} characters")
    if len(password) > 1024:
        raise PasswordError("a password may have at most 1024 characters")
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, n=N, r=R, p=P, dklen=32)
    return f"scrypt${N}${R}${P}${_b64(salt)}${_b64(digest)}"


def verify_password(password: str, stored: str) -> bool:
    """True when `password` matches `stored`; False for any malformed or empty hash."""
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt" or len(password) > 1024:
            return False
        expected = base64.b64decode(digest)
        actual = hashlib.scrypt(
            password.encode(),
            salt=base64.b64decode(salt),
            n=int(n),
            r=int(r),
            p=int(p),
            dklen=len(expected),
            maxmem=256 * 2**20,
        )
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(actual, expected)


def verify_no_password(password: str) -> bool:
    """False, after as much work as `verify_password` against a current hash.

    For a user name that does not exist or has no password: answering at once would tell a
    guesser, by the time taken, which names are real.
    """
    verify_password(password, _NO_PASSWORD)
    return False


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


# Today's parameters with an all-zero digest: no password hashes to it, yet checking costs the same.
_NO_PASSWORD = f"scrypt${N}${R}${P}${_b64(bytes(16))}${_b64(bytes(32))}"

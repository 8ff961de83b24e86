"""The users part of the PostgreSQL store."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime

from psycopg import errors

from newsdesk.models import User
from newsdesk.passwords import hash_password, verify_no_password, verify_password
from newsdesk.store.base import StoreError
from newsdesk.store.postgres_access import Connection, PostgresAccess
from newsdesk.store.postgres_rows import Row, utc
from newsdesk.store.users_common import checked_username, stamp

_COLUMNS = "id, username, is_admin, created_at"


def _user(row: Row) -> User:
    return User(row["id"], row["username"], bool(row["is_admin"]), utc(row["created_at"]))


class PostgresUsers(PostgresAccess):
    """PostgreSQL implementation of `newsdesk.store.base_users.UsersStore`."""

    def add_user(self, username: str, password: str = "", *, is_admin: bool = False) -> User:
        hashed = hash_password(password) if password else ""
        name = checked_username(username)

        def add(conn: Connection) -> Row | None:
            return conn.execute(
                "INSERT INTO users (username, password_hash, is_admin, created_at)"
                f" VALUES (%s, %s, %s, %s) RETURNING {_COLUMNS}",
                (name, hashed, is_admin, datetime.now(UTC)),
            ).fetchone()

        try:
            row = self._write(add)
        except errors.UniqueViolation as exc:
            raise StoreError(f"user {username!r} already exists") from exc
        assert row is not None
        return _user(row)

    def set_password(self, username: str, password: str) -> None:
        self._set_hash("password_hash", username, hash_password(password))

    def set_api_password(self, username: str, password: str) -> None:
        self._set_hash("api_password_hash", username, hash_password(password))

    def _set_hash(self, column: str, username: str, hashed: str) -> None:
        changed = self._write(
            lambda conn: (
                conn.execute(
                    f"UPDATE users SET {column} = %s WHERE username = %s", (hashed, username)
                ).rowcount
            )
        )
        if not changed:
            raise StoreError(f"no user named {username!r}")

    def check_password(self, username: str, password: str) -> User | None:
        return self._check(username, password, api=False)

    def check_api_password(self, username: str, password: str) -> User | None:
        return self._check(username, password, api=True)

    def _check(self, username: str, password: str, *, api: bool) -> User | None:
        rows = self._rows(
            f"SELECT {_COLUMNS}, password_hash, api_password_hash FROM users WHERE username = %s",
            (username,),
        )
        row = rows[0] if rows else None
        stored = row and ((row["api_password_hash"] if api else "") or row["password_hash"])
        if row is None or not stored:
            verify_no_password(password)  # as slow as a real check, so timing tells no names
            return None
        return _user(row) if verify_password(password, stored) else None

    def user_by_name(self, username: str) -> User | None:
        rows = self._rows(f"SELECT {_COLUMNS} FROM users WHERE username = %s", (username,))
        return _user(rows[0]) if rows else None

    def user_by_id(self, user_id: int) -> User | None:
        rows = self._rows(f"SELECT {_COLUMNS} FROM users WHERE id = %s", (user_id,))
        return _user(rows[0]) if rows else None

    def list_users(self) -> list[User]:
        return [_user(r) for r in self._rows(f"SELECT {_COLUMNS} FROM users ORDER BY id")]

    def credential_stamp(self, username: str) -> str | None:
        rows = self._rows(
            "SELECT password_hash, api_password_hash FROM users WHERE username = %s", (username,)
        )
        return stamp(rows[0]["password_hash"], rows[0]["api_password_hash"]) if rows else None

    def rotate_app_secret(self, name: str) -> str:
        value = secrets.token_urlsafe(32)
        self._write(
            lambda conn: conn.execute(
                "INSERT INTO app_state (name, value) VALUES (%s, %s)"
                " ON CONFLICT (name) DO UPDATE SET value = excluded.value",
                (name, value),
            )
        )
        return value

    def app_secret(self, name: str) -> str:
        # Read first: it is checked on every admin request.
        rows = self._rows("SELECT value FROM app_state WHERE name = %s", (name,))
        if rows:
            return str(rows[0]["value"])

        def get(conn: Connection) -> str:
            conn.execute(
                "INSERT INTO app_state (name, value) VALUES (%s, %s) ON CONFLICT DO NOTHING",
                (name, secrets.token_urlsafe(32)),
            )
            row = conn.execute("SELECT value FROM app_state WHERE name = %s", (name,)).fetchone()
            assert row is not None
            return str(row["value"])

        return self._write(get)

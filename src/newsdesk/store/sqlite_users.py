"""The users part of the SQLite store."""

from __future__ import annotations

import secrets
import sqlite3
from datetime import UTC, datetime

from newsdesk.models import User
from newsdesk.passwords import hash_password, verify_no_password, verify_password
from newsdesk.store.base import StoreError
from newsdesk.store.rows import text_to_time, time_to_text
from newsdesk.store.sqlite_access import SQLiteAccess
from newsdesk.store.users_common import checked_username, stamp

_COLUMNS = "id, username, is_admin, created_at"


def _user(row: sqlite3.Row) -> User:
    return User(row["id"], row["username"], bool(row["is_admin"]), text_to_time(row["created_at"]))


class SQLiteUsers(SQLiteAccess):
    """SQLite implementation of `newsdesk.store.base_users.UsersStore`."""

    def add_user(self, username: str, password: str = "", *, is_admin: bool = False) -> User:
        hashed = hash_password(password) if password else ""
        with self._writing() as db:
            try:
                cursor = db.execute(
                    "INSERT INTO users (username, password_hash, is_admin, created_at)"
                    " VALUES (?, ?, ?, ?)",
                    (
                        checked_username(username),
                        hashed,
                        int(is_admin),
                        time_to_text(datetime.now(UTC)),
                    ),
                )
            except sqlite3.IntegrityError as exc:
                raise StoreError(f"user {username!r} already exists") from exc
            row = db.execute(f"SELECT {_COLUMNS} FROM users WHERE id = ?", (cursor.lastrowid,))
            return _user(row.fetchone())

    def set_password(self, username: str, password: str) -> None:
        self._set_hash("password_hash", username, hash_password(password))

    def set_api_password(self, username: str, password: str) -> None:
        self._set_hash("api_password_hash", username, hash_password(password))

    def _set_hash(self, column: str, username: str, hashed: str) -> None:
        with self._writing() as db:
            changed = db.execute(
                f"UPDATE users SET {column} = ? WHERE username = ?", (hashed, username)
            ).rowcount
        if not changed:
            raise StoreError(f"no user named {username!r}")

    def check_password(self, username: str, password: str) -> User | None:
        return self._check(username, password, api=False)

    def check_api_password(self, username: str, password: str) -> User | None:
        return self._check(username, password, api=True)

    def _check(self, username: str, password: str, *, api: bool) -> User | None:
        with self._reading() as db:
            row = db.execute(
                f"SELECT {_COLUMNS}, password_hash, api_password_hash FROM users"
                " WHERE username = ?",
                (username,),
            ).fetchone()
        stored = row and ((row["api_password_hash"] if api else "") or row["password_hash"])
        if row is None or not stored:
            verify_no_password(password)  # as slow as a real check, so timing tells no names
            return None
        return _user(row) if verify_password(password, stored) else None

    def user_by_name(self, username: str) -> User | None:
        return self._one("username = ?", username)

    def user_by_id(self, user_id: int) -> User | None:
        return self._one("id = ?", user_id)

    def _one(self, where: str, value: object) -> User | None:
        with self._reading() as db:
            row = db.execute(f"SELECT {_COLUMNS} FROM users WHERE {where}", (value,)).fetchone()
        return None if row is None else _user(row)

    def list_users(self) -> list[User]:
        with self._reading() as db:
            return [_user(r) for r in db.execute(f"SELECT {_COLUMNS} FROM users ORDER BY id")]

    def credential_stamp(self, username: str) -> str | None:
        with self._reading() as db:
            row = db.execute(
                "SELECT password_hash, api_password_hash FROM users WHERE username = ?",
                (username,),
            ).fetchone()
        return None if row is None else stamp(row["password_hash"], row["api_password_hash"])

    def rotate_app_secret(self, name: str) -> str:
        value = secrets.token_urlsafe(32)
        with self._writing() as db:
            db.execute(
                "INSERT INTO app_state (name, value) VALUES (?, ?)"
                " ON CONFLICT (name) DO UPDATE SET value = excluded.value",
                (name, value),
            )
        return value

    def app_secret(self, name: str) -> str:
        with self._reading() as db:  # read first: checked on every admin request
            row = db.execute("SELECT value FROM app_state WHERE name = ?", (name,)).fetchone()
        if row is not None:
            return str(row["value"])
        with self._writing() as db:
            db.execute(
                "INSERT OR IGNORE INTO app_state (name, value) VALUES (?, ?)",
                (name, secrets.token_urlsafe(32)),
            )
            row = db.execute("SELECT value FROM app_state WHERE name = ?", (name,)).fetchone()
            return str(row["value"])

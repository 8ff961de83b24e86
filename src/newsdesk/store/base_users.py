"""The users part of the Store interface: accounts, passwords and the app's own secrets."""

from __future__ import annotations

from typing import Protocol

from newsdesk.models import User


class UsersStore(Protocol):
    def add_user(self, username: str, password: str = "", *, is_admin: bool = False) -> User:
        """Create a user (StoreError if the name is taken); an empty password allows no login."""
        ...

    def set_password(self, username: str, password: str) -> None:
        """Set the web password (StoreError for an unknown user, PasswordError if too weak)."""
        ...

    def set_api_password(self, username: str, password: str) -> None:
        """Set the password sync clients use; until set, they use the web password."""
        ...

    def check_password(self, username: str, password: str) -> User | None: ...
    def check_api_password(self, username: str, password: str) -> User | None: ...
    def user_by_name(self, username: str) -> User | None: ...
    def user_by_id(self, user_id: int) -> User | None: ...
    def list_users(self) -> list[User]: ...

    def credential_stamp(self, username: str) -> str | None:
        """A value that changes whenever the user's passwords do; None for an unknown user.

        Signed into sync tokens, so that changing a password revokes the tokens handed out.
        """
        ...

    def app_secret(self, name: str) -> str:
        """A random secret kept in the store under `name`, created on first use."""
        ...

    def rotate_app_secret(self, name: str) -> str:
        """Replace the secret under `name` with a new random one, and return it."""
        ...

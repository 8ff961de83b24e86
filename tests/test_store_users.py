"""Accounts and passwords, on both stores."""

from __future__ import annotations

import pytest

from newsdesk.passwords import N, P, PasswordError, R, hash_password, verify_password
from newsdesk.store import Store, StoreError


def test_add_user_and_log_in(store: Store) -> None:
    admin = store.add_user("editor", "correct horse battery", is_admin=True)
    assert admin.is_admin and admin.username == "editor"
    assert store.check_password("editor", "correct horse battery") == admin
    assert store.check_password("editor", "wrong password") is None
    assert store.check_password("nobody", "correct horse battery") is None
    assert store.user_by_name("editor") == store.user_by_id(admin.id) == admin
    assert store.list_users() == [admin]


def test_api_password_is_separate_once_set(store: Store) -> None:
    store.add_user("reader", "web password 1")
    assert store.check_api_password("reader", "web password 1") is not None
    store.set_api_password("reader", "api password 2")
    assert store.check_api_password("reader", "api password 2") is not None
    assert store.check_api_password("reader", "web password 1") is None
    assert store.check_password("reader", "web password 1") is not None


def test_user_without_password_cannot_log_in(store: Store) -> None:
    store.add_user("locked")
    assert store.check_password("locked", "") is None
    store.set_password("locked", "now it has one")
    assert store.check_password("locked", "now it has one") is not None


@pytest.mark.parametrize("name", ["", "a b", "x" * 65, "semi;colon", "<script>"])
def test_bad_user_names_are_refused(store: Store, name: str) -> None:
    with pytest.raises(StoreError):
        store.add_user(name, "long enough password")


def test_duplicate_and_unknown_users(store: Store) -> None:
    store.add_user("sam", "long enough password")
    with pytest.raises(StoreError, match="already exists"):
        store.add_user("sam", "another password")
    with pytest.raises(StoreError, match="no user"):
        store.set_password("pat", "long enough password")


def test_a_rotated_secret_is_new_and_then_stable(store: Store) -> None:
    first = store.app_secret("epoch")
    rotated = store.rotate_app_secret("epoch")
    assert rotated != first and store.app_secret("epoch") == rotated
    assert store.rotate_app_secret("fresh") == store.app_secret("fresh")


def test_app_secret_is_stable(store: Store) -> None:
    first = store.app_secret("session")
    assert len(first) >= 32
    assert store.app_secret("session") == first
    assert store.app_secret("other") != first


def test_password_hashing() -> None:
    hashed = hash_password("long enough password")
    assert hashed.startswith("scrypt$") and "long enough" not in hashed
    assert verify_password("long enough password", hashed)
    assert not verify_password("long enough passwore", hashed)
    assert not verify_password("x", "not a hash")
    with pytest.raises(PasswordError):
        hash_password("short")


def test_credential_stamp_changes_with_either_password(store: Store) -> None:
    store.add_user("kim", "first password")
    first = store.credential_stamp("kim")
    assert first is not None and first == store.credential_stamp("kim")
    store.set_api_password("kim", "an api password")
    second = store.credential_stamp("kim")
    store.set_password("kim", "second password")
    assert len({first, second, store.credential_stamp("kim")}) == 3
    assert store.credential_stamp("nobody") is None


def test_unknown_names_and_users_without_a_password_cost_a_full_check(
    store: Store, scrypt_calls: list[tuple[int, int, int]]
) -> None:
    """A wrong password for a real user and any password for no user take the same scrypt run,
    so the time a login takes does not tell which user names exist."""
    store.add_user("kim", "kim's password")
    store.add_user("nopass")
    scrypt_calls.clear()  # the two users' own hashing
    assert store.check_password("kim", "wrong password") is None
    assert store.check_password("nobody", "kim's password") is None
    assert store.check_api_password("nobody", "kim's password") is None
    assert store.check_password("nopass", "any password") is None
    assert scrypt_calls == [(N, R, P)] * 4

"""CLI commands for the users area; `register` adds them to the `newsdesk` group."""

from __future__ import annotations

import os

import click

from newsdesk.cli_common import opened_store
from newsdesk.passwords import PasswordError
from newsdesk.store.base import StoreError

PASSWORD_VARIABLE = "NEWSDESK_USER_PASSWORD"


def _password(prompt: str) -> str:
    """From NEWSDESK_USER_PASSWORD, else asked twice without echo."""
    given = os.environ.get(PASSWORD_VARIABLE)
    if given:
        return given
    answer: str = click.prompt(prompt, hide_input=True, confirmation_prompt=True)
    return answer


@click.group()
def user() -> None:
    """Add and list reader accounts, and set the password sync apps use."""


@user.command("add")
@click.argument("name")
@click.option("--admin", is_flag=True, help="May manage sources and settings.")
@click.pass_context
def user_add(ctx: click.Context, name: str, admin: bool) -> None:
    """Add a user; the password comes from a prompt or NEWSDESK_USER_PASSWORD."""
    password = _password("Password")
    with opened_store(ctx, create=True) as store:
        try:
            added = store.add_user(name, password, is_admin=admin)
        except (StoreError, PasswordError) as exc:
            raise click.ClickException(str(exc)) from exc
    click.echo(f"added {'admin' if added.is_admin else 'user'} {added.username} (id {added.id})")


@user.command("set-api-password")
@click.argument("name")
@click.pass_context
def user_set_api_password(ctx: click.Context, name: str) -> None:
    """Give a user a separate password for sync apps (until then, the web password works)."""
    password = _password("API password")
    with opened_store(ctx) as store:
        try:
            store.set_api_password(name, password)
        except (StoreError, PasswordError) as exc:
            raise click.ClickException(str(exc)) from exc
    click.echo(f"set the API password of {name}")


@user.command("list")
@click.pass_context
def user_list(ctx: click.Context) -> None:
    """List users: id, name, role and creation time."""
    with opened_store(ctx) as store:
        users = store.list_users()
    for u in users:
        role = "admin" if u.is_admin else "user"
        click.echo(f"{u.id}\t{u.username}\t{role}\t{u.created_at:%Y-%m-%d %H:%M}")


def register(main: click.Group) -> None:
    """Add this area's commands to the `newsdesk` command group."""
    main.add_command(user)

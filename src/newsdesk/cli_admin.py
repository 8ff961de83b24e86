"""CLI commands for the admin area; `register` adds them to the `newsdesk` group."""

from __future__ import annotations

import os

import click

from newsdesk.passwords import PasswordError
from newsdesk.store import open_store
from newsdesk.store.base import StoreError

ADMIN = "admin"
PASSWORD_ENV = "NEWSDESK_ADMIN_PASSWORD"


def register(main: click.Group) -> None:
    """Add this area's commands to the `newsdesk` command group."""

    @main.group()
    def admin() -> None:
        """The web site's admin account."""

    @admin.command("set-password")
    @click.pass_context
    def set_password(ctx: click.Context) -> None:
        """Set the admin's web password, creating the "admin" user when missing.

        The password is prompted for, or read from NEWSDESK_ADMIN_PASSWORD in scripts.
        """
        password = os.environ.get(PASSWORD_ENV) or click.prompt(
            "Admin password", hide_input=True, confirmation_prompt=True
        )
        try:
            store = open_store(ctx.obj.database_url)
        except StoreError as exc:
            raise click.ClickException(str(exc)) from exc
        try:
            existing = store.user_by_name(ADMIN)
            if existing is None:
                store.add_user(ADMIN, password, is_admin=True)
                click.echo('Created the "admin" user with that password.')
            elif not existing.is_admin:
                raise click.ClickException(
                    'a reader account is named "admin" (made with `newsdesk user add`); '
                    "it cannot become the web admin: remove or rename it first"
                )
            else:
                store.set_password(ADMIN, password)
                click.echo("Changed the admin password.")
        except (PasswordError, StoreError) as exc:
            raise click.ClickException(str(exc)) from exc
        finally:
            store.close()

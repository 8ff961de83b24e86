"""CLI commands for the stories area; `register` adds them to the `newsdesk` group."""

from __future__ import annotations

import click


def register(main: click.Group) -> None:
    """Add this area's commands to the `newsdesk` command group."""

"""A schema change, written once for each dialect (see `newsdesk.store.migrations`)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Migration:
    """One schema change, written once for each dialect with the same intent."""

    sqlite: str
    postgresql: str

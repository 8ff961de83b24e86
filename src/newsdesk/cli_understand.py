"""CLI commands for the understand area: `classify`, `sections` and `articles correct`."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import click

from newsdesk.cli_common import opened_store
from newsdesk.store import StoreError


@click.command("classify")
@click.argument("file", type=click.File("rb"), default="-")
@click.option("--section", default="", help="Declared section of every line (a source's folder).")
@click.option("-o", "--output", type=click.File("w", encoding="utf-8"), default="-")
def classify(file: Any, section: str, output: Any) -> None:
    """Add section, section_scores, places and topics to each JSON line of FILE (or stdin).

    Each line needs a `title`; `text`, `summary`, `url`, `source` and `feed_categories` are
    used when present. The fields added are exactly those the live pipeline stores.
    """
    from newsdesk.classify_batch import classify_lines

    for line in classify_lines(file, section):
        output.write(line + "\n")


@click.command("sections")
@click.option("--days", type=int, help="Count only articles of the last DAYS days.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON Lines.")
@click.pass_context
def sections(ctx: click.Context, days: int | None, as_json: bool) -> None:
    """List the section taxonomy with a one-line description and article counts."""
    from newsdesk.pipeline.sections import SECTIONS

    since = datetime.now(UTC) - timedelta(days=days) if days else None
    with opened_store(ctx) as store:
        counts = store.articles_per_section(since)
    for s in SECTIONS:
        if as_json:
            record = {"section": s.name, "description": s.description, "articles": 0}
            click.echo(json.dumps({**record, "articles": counts.get(s.name, 0)}))
        else:
            click.echo(f"{s.name:<14}{counts.get(s.name, 0):>7}  {s.description}")
    if not as_json and counts.get(""):
        click.echo(f"{'(none)':<14}{counts['']:>7}  Articles stored before classification.")


@click.command("correct")
@click.argument("article_id", type=int)
@click.argument("section")
@click.option("--user", "username", default="", help="Who made the correction.")
@click.pass_context
def correct(ctx: click.Context, article_id: int, section: str, username: str) -> None:
    """Set ARTICLE_ID's section to SECTION; later articles of its source learn from it."""
    from newsdesk.understanding import correct_section

    with opened_store(ctx) as store:
        try:
            article = correct_section(store, article_id, section, username)
        except StoreError as exc:
            raise click.ClickException(str(exc)) from exc
    click.echo(f"article {article.id} is now in {article.section}: {article.title}")


def register(main: click.Group) -> None:
    """Add this area's commands to the `newsdesk` command group."""
    main.add_command(classify)
    main.add_command(sections)
    articles = main.commands["articles"]
    assert isinstance(articles, click.Group), "`newsdesk articles` is a group in cli.py"
    articles.add_command(correct)

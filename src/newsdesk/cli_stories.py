"""CLI commands for the stories area: `cluster` (JSON Lines in, stories out) and `dedup-opt-out`."""

from __future__ import annotations

from typing import Any

import click

from newsdesk.settings import Settings
from newsdesk.store import StoreError, open_store


@click.command("cluster")
@click.argument("file", type=click.File("rb"), default="-")
@click.option("-o", "--output", type=click.File("w", encoding="utf-8"), default="-")
@click.option(
    "--stream", is_flag=True, help="Write each line as soon as it is placed (no later remaps)."
)
@click.option(
    "--opt-out",
    "opted_out",
    multiple=True,
    metavar="SOURCE",
    help="Never fold this source's articles as copies (repeatable).",
)
@click.option(
    "--embeddings", is_flag=True, help="Add MiniLM sentence embeddings (the embeddings extra)."
)
def cluster(
    file: Any, output: Any, stream: bool, opted_out: tuple[str, ...], embeddings: bool
) -> None:
    """Add story, duplicate_of and related to each JSON line of FILE (or stdin), in order.

    Each line needs an `id` and a `title`; `text`, `url`, `source`, `published` and `section`
    are used when present. The engine and its settings are those of the live pipeline.
    """
    from newsdesk.cluster_batch import cluster_lines
    from newsdesk.pipeline.cluster_embed import load_embedder
    from newsdesk.stories import new_engine

    embedder = load_embedder() if embeddings else None
    if embeddings and embedder is None:
        raise click.ClickException("the embeddings extra is not installed")
    engine = new_engine(opted_out, embedder)
    try:
        for line in cluster_lines(file, engine, stream=stream):
            output.write(line + "\n")
            if stream:
                output.flush()
    except ValueError as exc:
        raise click.ClickException(str(exc)) from exc


@click.command("dedup-opt-out")
@click.argument("source_id", type=int)
@click.option("--undo", is_flag=True, help="Fold this source's copies again.")
@click.pass_context
def dedup_opt_out(ctx: click.Context, source_id: int, undo: bool) -> None:
    """Never fold SOURCE_ID's articles as copies (its distinct articles look alike).

    Takes effect when the refreshing process next starts.
    """
    settings: Settings = ctx.obj
    try:
        store = open_store(settings.database_url)
    except StoreError as exc:
        raise click.ClickException(str(exc)) from exc
    try:
        if store.source_by_id(source_id) is None:
            raise click.ClickException(f"no source with id {source_id}")
        store.set_dedup_opt_out(source_id, not undo)
        opted = sorted(store.dedup_opt_outs())
    finally:
        store.close()
    click.echo(f"sources opted out of copy folding: {', '.join(map(str, opted)) or 'none'}")


def register(main: click.Group) -> None:
    """Add this area's commands to the `newsdesk` command group."""
    main.add_command(cluster)
    main.add_command(dedup_opt_out)

"""The `newsdesk` command: a thin shell over the library."""

from __future__ import annotations

import asyncio
import json
import sys
import time
from dataclasses import asdict
from typing import Any

import click

from newsdesk import cli_admin, cli_ops, cli_stories, cli_understand, cli_users
from newsdesk.cli_common import opened_store, settings_of
from newsdesk.fetch import Fetcher
from newsdesk.logs import configure_logging
from newsdesk.opml import OpmlError, export_opml, import_summary
from newsdesk.pipeline.sections import SECTION_NAMES, section_for_label
from newsdesk.refresh import RefreshResult, refresh_all, select_sources
from newsdesk.settings import SETTINGS_TABLE, Settings, load_settings
from newsdesk.sources import SourceError, add_source, import_opml, seed_defaults
from newsdesk.store.base import Store


@click.group()
@click.option("--config", type=click.Path(dir_okay=False), help="TOML settings file.")
@click.option("--database-url", help="Overrides NEWSDESK_DATABASE_URL.")
@click.pass_context
def main(ctx: click.Context, config: str | None, database_url: str | None) -> None:
    """newsdesk: a self-hosted news desk."""
    try:
        ctx.obj = load_settings(config_file=config, database_url=database_url)
    except (ValueError, OSError) as exc:
        raise click.ClickException(str(exc)) from exc
    configure_logging(ctx.obj.log_level.upper())


@main.command()
@click.option("--host", help="Overrides NEWSDESK_HOST.")
@click.option("--port", type=int, help="Overrides NEWSDESK_PORT.")
@click.option("--no-refresh", is_flag=True, help="Serve the web only; refresh nothing.")
@click.pass_context
def serve(ctx: click.Context, host: str | None, port: int | None, no_refresh: bool) -> None:
    """Serve the web site, refreshing sources in the background on their own schedules."""
    settings = settings_of(ctx).replace(
        host=host or settings_of(ctx).host, port=port or settings_of(ctx).port
    )
    with opened_store(ctx, create=True) as store:
        if settings.default_sources and not no_refresh:
            added = seed_defaults(store)
            if added:
                click.echo(f"Added {len(added)} default sources to the empty store.")
        _serve(settings, store, refresh=not no_refresh)


def _serve(settings: Settings, store: Store, *, refresh: bool) -> None:
    import uvicorn

    from newsdesk.web.app import create_app
    from newsdesk.web.limits import H11_MAX_INCOMPLETE_EVENT_SIZE

    app = create_app(settings, store, refresh=refresh)
    click.echo(f"Serving on http://{settings.host}:{settings.port}/")
    uvicorn.run(
        app,
        host=settings.host,
        port=settings.port,
        log_level="warning",
        h11_max_incomplete_event_size=H11_MAX_INCOMPLETE_EVENT_SIZE,
    )


@main.command()
@click.option("--source", "source_ids", type=int, multiple=True, help="Only this source id.")
@click.option("--due", is_flag=True, help="Only sources that are due.")
@click.pass_context
def refresh(ctx: click.Context, source_ids: tuple[int, ...], due: bool) -> None:
    """Refresh sources once, with a progress bar; exit status 1 when any failed."""
    settings = settings_of(ctx)
    with opened_store(ctx) as store:
        known = {s.id for s in store.list_sources()}
        if unknown := sorted(set(source_ids) - known):
            raise click.ClickException(f"no source with id {', '.join(map(str, unknown))}")
        results = _refresh_with_progress(store, settings, list(source_ids) or None, due)
    failed = [r for r in results if not r.ok]
    new = sum(r.new_articles for r in results)
    click.echo(f"{len(results)} sources refreshed, {new} new articles, {len(failed)} failed.")
    for r in failed:
        click.echo(f"  source {r.source_id} ({r.url}): {r.error}", err=True)
    if failed:
        ctx.exit(1)  # so cron and scripts can tell; the others were refreshed all the same


def _refresh_with_progress(
    store: Store, settings: Settings, source_ids: list[int] | None, due: bool
) -> list[RefreshResult]:
    count = len(select_sources(store, source_ids=source_ids, due_only=due))
    with click.progressbar(length=count, label="Refreshing", file=sys.stderr) as bar:
        return asyncio.run(
            refresh_all(
                store,
                settings,
                source_ids=source_ids,
                due_only=due,
                on_result=lambda _r: bar.update(1),
            )
        )


@main.group()
def sources() -> None:
    """Add, list and remove sources."""


@sources.command("add")
@click.argument("url")
@click.option("--section", default="", help="Section hint for this source's articles.")
@click.pass_context
def sources_add(ctx: click.Context, url: str, section: str) -> None:
    """Add a feed URL, or a web page whose <link rel="alternate"> feeds are discovered."""
    settings = settings_of(ctx)
    if section:
        named = section_for_label(section)
        if named is None:
            choices = ", ".join(SECTION_NAMES)
            raise click.BadParameter(f"{section!r} is not a section: one of {choices}", ctx)
        section = named

    async def run(store: Store) -> Any:
        async with Fetcher(settings) as fetcher:
            return await add_source(store, fetcher, url, section=section)

    with opened_store(ctx, create=True) as store:
        try:
            source = asyncio.run(run(store))
        except SourceError as exc:
            raise click.ClickException(str(exc)) from exc
    click.echo(f"{source.id}\t{source.url}\t{source.title}")


@sources.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_context
def sources_list(ctx: click.Context, as_json: bool) -> None:
    """List sources with their health."""
    with opened_store(ctx) as store:
        health = {h.source_id: h for h in store.all_health()}
        rows = []
        for s in store.list_sources():
            h = health.get(s.id)
            rows.append(
                {
                    "id": s.id,
                    "url": s.url,
                    "title": s.title,
                    "section": s.section,
                    "group": s.group,
                    "last_fetch_at": h.last_fetch_at if h else None,
                    "last_status": h.last_status if h else None,
                    "last_error": h.last_error if h else "",
                    "last_warning": h.last_warning if h else "",
                    "next_due_at": h.next_due_at if h else None,
                }
            )
    if as_json:
        click.echo(json.dumps(rows, indent=2, default=str))
        return
    for r in rows:
        status = r["last_error"] or (r["last_status"] or "never fetched")
        due = f"{r['next_due_at']:%Y-%m-%d %H:%M} UTC" if r["next_due_at"] else "-"
        click.echo(
            f"{r['id']}\t{r['section'] or '-'}\t{r['title'] or '-'}\t{r['url']}\t{status}"
            f"\tnext due {due}"
        )


@sources.command("remove")
@click.argument("source_id", type=int)
@click.pass_context
def sources_remove(ctx: click.Context, source_id: int) -> None:
    """Remove a source and the articles only it carried."""
    with opened_store(ctx) as store:
        if not store.remove_source(source_id):
            raise click.ClickException(f"no source with id {source_id}")
    click.echo(f"removed source {source_id}")


@main.group()
def opml() -> None:
    """Import and export sources as OPML."""


@opml.command("import")
@click.argument("file", type=click.File("rb"))
@click.pass_context
def opml_import(ctx: click.Context, file: Any) -> None:
    """Add every feed of an OPML FILE; folders become groups and section hints."""
    with opened_store(ctx, create=True) as store:
        known = {s.id for s in store.list_sources()}
        try:
            listed = import_opml(store, file.read())
        except OpmlError as exc:
            raise click.ClickException(str(exc)) from exc
    click.echo(import_summary(listed, known))


@opml.command("export")
@click.option("-o", "--output", type=click.File("w"), default="-", help="Write to a file.")
@click.pass_context
def opml_export(ctx: click.Context, output: Any) -> None:
    """Write all sources as OPML 2.0."""
    with opened_store(ctx) as store:
        output.write(export_opml(store.list_sources()))


@main.group(invoke_without_command=True)
@click.option("--json", "as_json", is_flag=True, help="Print JSON Lines.")
@click.option("--limit", type=click.IntRange(min=1), default=20, show_default=True)
@click.option("--source", "source_id", type=int, help="Only this source id.")
@click.option("--search", "query", help="Full-text search instead of the latest.")
@click.pass_context
def articles(
    ctx: click.Context, as_json: bool, limit: int, source_id: int | None, query: str | None
) -> None:
    """List stored articles, newest first (or by relevance with --search)."""
    if ctx.invoked_subcommand is not None:
        return
    if query and source_id is not None:
        raise click.UsageError("--search and --source cannot be combined")
    with opened_store(ctx) as store:
        found = (
            store.search(query, limit)
            if query
            else store.latest_articles(limit, source_id=source_id)
        )
    for a in found:
        if as_json:
            click.echo(json.dumps(asdict(a), default=str, ensure_ascii=False))
        else:
            click.echo(f"{a.id}\t{a.published:%Y-%m-%d %H:%M}\t{a.source_title}\t{a.title}")


DEMO_GROUP = "Wikinews demo"


@main.command()
@click.option("--port", type=int, help="Web port (default NEWSDESK_PORT).")
@click.option("--no-serve", is_flag=True, help="Ingest the demo, print figures, and exit.")
@click.pass_context
def demo(ctx: click.Context, port: int | None, no_serve: bool) -> None:
    """Serve the bundled Wikinews corpus as feeds from 127.0.0.1 and ingest it for real."""
    from newsdesk.demo import DemoServer

    settings = settings_of(ctx).replace(allow_private_networks=True, default_sources=False)
    settings = settings.replace(port=port or settings.port)
    with DemoServer() as server, opened_store(ctx, create=True) as store:
        # The demo server gets a new port each run: forget the feeds of earlier runs.
        for stale in store.list_sources():
            if stale.group == DEMO_GROUP and not stale.url.startswith(server.base_url):
                store.remove_source(stale.id)
        for title, url in server.feed_urls():
            store.add_source(url, title=title, group=DEMO_GROUP)
        demo_ids = [s.id for s in store.list_sources() if s.url.startswith(server.base_url)]
        started = time.perf_counter()
        results = _refresh_with_progress(store, settings, demo_ids, due=False)
        elapsed = time.perf_counter() - started
        new = sum(r.new_articles for r in results)
        click.echo(
            f"demo ingest: {new} new articles from {len(results)} feeds in "
            f"{elapsed:.2f} s ({new / elapsed:.1f} articles/s); "
            f"{store.count_articles()} articles stored"
        )
        if not no_serve:
            _serve(settings, store, refresh=True)


@main.command("settings")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_context
def show_settings(ctx: click.Context, as_json: bool) -> None:
    """Show every setting, its current value and its environment variable."""
    current = asdict(settings_of(ctx))
    if as_json:
        click.echo(json.dumps(current, indent=2))
        return
    for s in SETTINGS_TABLE:
        click.echo(f"NEWSDESK_{s.name.upper()}={current[s.name]}\t# {s.help}")


for _area in (cli_understand, cli_stories, cli_admin, cli_ops, cli_users):
    _area.register(main)

if __name__ == "__main__":
    main()

"""Operations endpoints: GET /metrics for Prometheus, GET /readyz for load balancers.

Every figure is read from the database on each scrape, not counted in this process: refreshes
happen in workers on other machines, and the store is the one place that sees them all. That is
also why prometheus_client is not used: it would add a registry of in-process counters that
stay empty here. Counts over the retained fetch log cover the last `WINDOW_SECONDS`.
"""

from __future__ import annotations

from datetime import UTC, datetime

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import BaseRoute, Route

from newsdesk.store.base import Store
from newsdesk.store.base_ops import OpsFigures

WINDOW_SECONDS = 3600
QUANTILES = (0.5, 0.9, 0.99)
CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"


def routes() -> list[BaseRoute]:
    """The operations routes, mounted by the app factory."""
    return [
        Route("/metrics", metrics, name="metrics"),
        Route("/readyz", ready, name="ready"),
    ]


async def metrics(request: Request) -> Response:
    store: Store = request.app.state.store
    figures, queue = await run_in_threadpool(_read, store)
    return PlainTextResponse(render_metrics(figures, queue), media_type=CONTENT_TYPE)


async def ready(request: Request) -> Response:
    """200 when the store answers a query, else 503: take this process out of rotation."""
    store: Store = request.app.state.store
    try:
        await run_in_threadpool(store.count_entries)
    except Exception as exc:  # any failure means "not ready"; the reason goes to the caller
        return JSONResponse({"status": "unavailable", "error": str(exc)}, status_code=503)
    return JSONResponse({"status": "ready"})


def _read(store: Store) -> tuple[OpsFigures, dict[str, int]]:
    return store.ops_figures(datetime.now(UTC), WINDOW_SECONDS), store.queue_jobs_by_status()


def render_metrics(figures: OpsFigures, queue: dict[str, int]) -> str:
    """The Prometheus text exposition of `figures` and the job queue's depth by status."""
    out: list[str] = []

    def family(name: str, kind: str, help_text: str, samples: list[tuple[str, float]]) -> None:
        out.append(f"# HELP {name} {help_text}")
        out.append(f"# TYPE {name} {kind}")
        out.extend(f"{name}{labels} {_number(value)}" for labels, value in samples)

    family("newsdesk_sources", "gauge", "Sources followed.", [("", figures.sources)])
    family(
        "newsdesk_sources_failing",
        "gauge",
        "Sources whose last fetch failed.",
        [("", figures.sources_failing)],
    )
    family("newsdesk_sources_due", "gauge", "Sources due now.", [("", figures.sources_due)])
    family("newsdesk_articles", "gauge", "Articles stored.", [("", figures.articles)])
    family("newsdesk_entries", "gauge", "Feed entries stored.", [("", figures.entries)])
    family(
        "newsdesk_refreshes_total",
        "counter",
        "Source refreshes recorded since the store was created.",
        [("", figures.fetches_total)],
    )
    window = f"in the last {figures.window_seconds} s"
    ok = figures.recent_fetches - figures.recent_errors - figures.recent_not_modified
    family(
        "newsdesk_recent_refreshes",
        "gauge",
        f"Source refreshes {window}, by result.",
        [
            ('{result="ok"}', ok),
            ('{result="not_modified"}', figures.recent_not_modified),
            ('{result="error"}', figures.recent_errors),
        ],
    )
    family(
        "newsdesk_recent_new_articles",
        "gauge",
        f"New articles {window}.",
        [("", figures.recent_new_articles)],
    )
    durations = figures.recent_durations_ms
    family(
        "newsdesk_refresh_duration_seconds",
        "summary",
        f"Time to refresh one source (fetch, parse, extract, save) {window}.",
        [
            *((f'{{quantile="{q}"}}', _quantile(durations, q) / 1000) for q in QUANTILES),
            ("_sum", sum(durations) / 1000),
            ("_count", len(durations)),
        ],
    )
    if queue:
        family(
            "newsdesk_queue_jobs",
            "gauge",
            "Jobs in the PostgreSQL job queue, by status.",
            [(f'{{status="{status}"}}', n) for status, n in sorted(queue.items())],
        )
    return "\n".join(out) + "\n"


def _quantile(sorted_values: tuple[int, ...], q: float) -> float:
    if not sorted_values:
        return float("nan")
    index = min(len(sorted_values) - 1, round(q * (len(sorted_values) - 1)))
    return float(sorted_values[index])


def _number(value: float) -> str:
    if value != value:
        return "NaN"
    return repr(value) if isinstance(value, float) else str(value)

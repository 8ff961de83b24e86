"""Refresh throughput: newsdesk's refresh_all against `reader` (PyPI) on the same loopback feeds.

A feed server (bench/refresh_server.py) runs in its own process and serves N real-world feeds
from H loopback hosts (127.0.0.1 … 127.0.0.H, 50 by default) with an injected latency and a few
deliberate failures. Each side then runs in a fresh child process with a fresh SQLite file, so
timings and peak RSS do not pollute each other. Both sides get the same number of concurrent
requests (--workers, 32 by default: newsdesk's default max_connections); newsdesk keeps its
default per-host politeness (2 at a time per host), which reader does not have:

- newsdesk's ingest core (NEWSDESK_UNDERSTAND=false: no sections, places, topics or stories,
  none of which reader does either); the row the target is judged on;
- newsdesk's whole pipeline: ``refresh_all`` with understanding on;
- the whole pipeline again with its worker-process pool off (everything in threads);
- reader: ``update_feeds(workers=N)``.

newsdesk runs with fetch_articles off in every row: reader never fetches article pages.
With ``--hosts 1`` every feed shares one host, and newsdesk's per-host limit is raised to N.

CPU time and peak RSS cover each side's whole process tree (newsdesk's worker processes too),
sampled every 20 ms from /proc.

Both get the same request timeout (reader's default read timeout of 60 s would turn the
deliberately slow feed into a 60 s run), so that feed costs each side the same.

    .venv/bin/python bench/refresh.py --feeds 200 --latency 0.1 --workers 32 --repeat 3
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import cProfile
import functools
import io
import math
import multiprocessing
import os
import pstats
import re
import subprocess
import sys
import tempfile
import threading
import time
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

from common import median, write_results

SERVER = Path(__file__).with_name("refresh_server.py")
TARGET_RATIO = 5.0
FEED_URL = re.compile(r"'?http://127\.0\.0\.\d+:\d+/feed/\d+'?")


def peak_rss_mb() -> float:
    """This process's peak resident set size (VmHWM), in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _tree(root: int) -> list[int]:
    """`root` and all its descendants, from each thread's /proc children list."""
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        with contextlib.suppress(OSError):
            for task in Path(f"/proc/{pid}/task").iterdir():
                with contextlib.suppress(OSError):
                    todo.extend(int(c) for c in (task / "children").read_text().split())
    return found


class TreeSampler(threading.Thread):
    """Samples this process and all its descendants (worker processes included) every 20 ms.

    `cpu_s` is the CPU time the tree spent while sampling; `peak_rss_mb` the largest summed RSS.
    """

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.root = os.getpid()
        self.cpu: dict[int, float] = {}
        self.start_cpu = 0.0
        self.peak_rss = 0.0
        self.done = threading.Event()
        self.tick = os.sysconf("SC_CLK_TCK")
        self.page_mb = os.sysconf("SC_PAGE_SIZE") / 2**20

    def sample(self) -> None:
        # Only the tree's own /proc files: scanning every process's costs this (measured)
        # process a few percent of a core in GIL-held work.
        rss = 0.0
        for pid in _tree(self.root):
            with contextlib.suppress(OSError):
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
                self.cpu[pid] = (int(fields[11]) + int(fields[12])) / self.tick
                rss += int(fields[21]) * self.page_mb
        self.peak_rss = max(self.peak_rss, rss)

    def run(self) -> None:
        while not self.done.wait(0.02):
            self.sample()

    def __enter__(self) -> TreeSampler:
        self.sample()
        self.start_cpu = sum(self.cpu.values())
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.done.set()
        self.join()
        self.sample()

    @property
    def cpu_s(self) -> float:
        return sum(self.cpu.values()) - self.start_cpu


def run_newsdesk(
    urls: list[str],
    workers: int,
    per_host: int | None,
    timeout: float,
    profile: bool,
    process_pool: bool = True,
    understand: bool = True,
) -> dict[str, Any]:
    """One timed `refresh_all` over a fresh store, feeds only (no article pages).

    `per_host` None keeps newsdesk's default per-host limit.
    """
    from newsdesk import refresh
    from newsdesk.settings import load_settings
    from newsdesk.store import open_store

    with tempfile.TemporaryDirectory() as tmp:
        database_url = "sqlite:///" + str(Path(tmp) / "newsdesk.db")
        limits = {} if per_host is None else {"max_connections_per_host": per_host}
        settings = load_settings(
            environ={},
            allow_private_networks=True,
            fetch_articles=False,
            max_connections=workers,
            **limits,
            total_timeout=timeout,
            connect_timeout=timeout,
            default_sources=False,
            database_url=database_url,
            process_pool=process_pool and not profile,
            understand=understand,
        )
        store = open_store(database_url)
        for url in urls:
            store.add_source(url)
        profiler = ThreadProfiler() if profile else None
        started = time.perf_counter()
        with TreeSampler() as tree, profiler or contextlib.nullcontext():
            results = asyncio.run(refresh.refresh_all(store, settings))
        wall, cpu = time.perf_counter() - started, tree.cpu_s
        failed = [r for r in results if not r.ok]
        row = {
            "wall_s": wall,
            "cpu_s": cpu,
            "feeds": len(results),
            "failed": len(failed),
            "entries": store.count_entries(),
            "articles": store.count_articles(),
            "errors": sorted(_failure(r.url, r.error) for r in failed),
            "peak_rss_mb": tree.peak_rss,
        }
        store.close()
    if profiler is not None:
        row["profile"] = profiler.report()
    return row


def run_reader(
    urls: list[str], workers: int, per_host: int | None, timeout: float, profile: bool
) -> dict[str, Any]:
    """One timed `update_feeds` over a fresh reader database; reader has no per-host limit."""
    import feedparser_sgmllib

    # reader's vendored feedparser imports `sgmllib` (the sgmllib3k package); this environment has
    # the same module under the name that feedparser 6.0.12+ uses.
    sys.modules.setdefault("sgmllib", feedparser_sgmllib)
    warnings.simplefilter("ignore")  # one warning per skipped entry with no id
    import reader

    with tempfile.TemporaryDirectory() as tmp:
        feeds = reader.make_reader(str(Path(tmp) / "reader.db"), session_timeout=(timeout, timeout))
        for url in urls:
            feeds.add_feed(url)
        started = time.perf_counter()
        with TreeSampler() as tree:
            feeds.update_feeds(workers=workers)
        wall, cpu = time.perf_counter() - started, tree.cpu_s
        counts = feeds.get_feed_counts()
        broken = list(feeds.get_feeds(broken=True))
        row = {
            "wall_s": wall,
            "cpu_s": cpu,
            "feeds": counts.total,
            "failed": counts.broken,
            "entries": feeds.get_entry_counts().total,
            "articles": None,
            "errors": sorted(
                _failure(f.url, f.last_exception.value_str if f.last_exception else "?")
                for f in broken
            ),
            "peak_rss_mb": max(tree.peak_rss, peak_rss_mb()),
        }
        feeds.close()
    return row


def _failure(url: str, error: str) -> str:
    return f"/feed/{url.rsplit('/', 1)[-1]}: {error[:90]}"


class ThreadProfiler:
    """cProfile for the event loop plus every `asyncio.to_thread` call, merged into one report.

    cProfile sees only the thread that enabled it, and newsdesk parses feeds in worker threads.
    """

    def __init__(self) -> None:
        self.main = cProfile.Profile()
        self.threads: list[cProfile.Profile] = []
        self._to_thread: Callable[..., Any] = asyncio.to_thread

    def __enter__(self) -> ThreadProfiler:
        original = self._to_thread

        async def to_thread(func: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Any:
            profile = cProfile.Profile()
            self.threads.append(profile)
            return await original(functools.partial(profile.runcall, func, *args, **kwargs))

        asyncio.to_thread = to_thread  # type: ignore[assignment]
        self.main.enable()
        return self

    def __exit__(self, *exc: object) -> None:
        self.main.disable()
        asyncio.to_thread = self._to_thread  # type: ignore[assignment]

    def report(self, limit: int = 30) -> str:
        out = io.StringIO()
        stats = pstats.Stats(self.main, stream=out)
        for profile in self.threads:
            stats.add(profile)
        stats.sort_stats("tottime").print_stats(limit)
        print("newsdesk's own functions, by cumulative time:", file=out)
        stats.sort_stats("cumulative").print_stats(r"src/newsdesk/", limit)
        return out.getvalue()


SIDES: dict[str, Callable[..., dict[str, Any]]] = {
    "newsdesk-core": functools.partial(run_newsdesk, understand=False),
    "newsdesk": run_newsdesk,
    "newsdesk-threads": functools.partial(run_newsdesk, process_pool=False),
    "reader": run_reader,
}


def _child(side: str, args: tuple[Any, ...], send: Any) -> None:
    try:
        send.send(SIDES[side](*args))
    except BaseException as exc:
        send.send({"exception": f"{type(exc).__name__}: {exc}"})
        raise


def run_side(side: str, args: tuple[Any, ...]) -> dict[str, Any]:
    """Run one side in a freshly spawned process, so its imports and memory are its own."""
    context = multiprocessing.get_context("spawn")
    receive, send = context.Pipe(duplex=False)
    process = context.Process(target=_child, args=(side, args, send))
    process.start()
    send.close()
    try:
        row: dict[str, Any] = receive.recv()
    except EOFError:
        row = {"exception": f"child exited with code {process.join() or process.exitcode}"}
    process.join()
    if "exception" in row:
        sys.exit(f"{side} failed: {row['exception']}")
    return row


def start_server(feeds: int, latency: float, hosts: int) -> tuple[subprocess.Popen[str], int]:
    server = subprocess.Popen(
        [
            sys.executable,
            str(SERVER),
            "--feeds",
            str(feeds),
            "--latency",
            str(latency),
            "--hosts",
            str(hosts),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert server.stdout is not None
    line = server.stdout.readline()
    if not line.startswith("PORT "):
        server.kill()
        sys.exit(f"feed server did not start: {line!r}")
    return server, int(line.split()[1])


def summarise(runs: list[dict[str, Any]], feeds: int) -> dict[str, Any]:
    wall = median([r["wall_s"] for r in runs])
    cpu = median([r["cpu_s"] for r in runs])
    articles = [r["articles"] for r in runs if r["articles"] is not None]
    return {
        "wall_s": wall,
        "feeds_per_s": feeds / wall,
        "cpu_s": cpu,
        "entries": median([r["entries"] for r in runs]),
        "articles": median(articles) if articles else None,
        "failed": median([r["failed"] for r in runs]),
        "peak_rss_mb": median([r["peak_rss_mb"] for r in runs]),
        "errors": runs[-1]["errors"],
        "runs": [{k: v for k, v in r.items() if k not in ("errors", "profile")} for r in runs],
    }


def print_table(rows: dict[str, dict[str, Any]], labels: dict[str, str]) -> None:
    print(
        f"{'side':<38} {'wall s':>7} {'feeds/s':>8} {'CPU s':>6} {'entries':>8} {'articles':>8} "
        f"{'failed':>6} {'peak RSS MB':>11}"
    )
    for side, row in rows.items():
        articles = "-" if row["articles"] is None else f"{row['articles']:.0f}"
        print(
            f"{labels[side]:<38} {row['wall_s']:>7.2f} {row['feeds_per_s']:>8.1f} "
            f"{row['cpu_s']:>6.2f} "
            f"{row['entries']:>8.0f} {articles:>8} {row['failed']:>6.0f} "
            f"{row['peak_rss_mb']:>11.1f}"
        )


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--feeds", type=int, default=200, help="feed URLs served and refreshed")
    parser.add_argument("--latency", type=float, default=0.1, help="server delay per response, s")
    parser.add_argument(
        "--workers",
        type=int,
        default=32,
        help="concurrent fetches: reader's threads, newsdesk's max_connections",
    )
    parser.add_argument(
        "--hosts", type=int, default=50, help="loopback hosts the feeds are spread over (1-254)"
    )
    parser.add_argument("--repeat", type=int, default=3, help="runs per side; medians reported")
    parser.add_argument(
        "--timeout",
        type=float,
        default=2.0,
        help="request timeout for both sides; the slow feed never answers in it",
    )
    parser.add_argument(
        "--profile",
        action="store_true",
        help="also profile one newsdesk run and print where its time goes",
    )
    return parser.parse_args()


def run_all(
    args: argparse.Namespace, urls: list[str], per_host: dict[str, int | None]
) -> dict[str, list[dict[str, Any]]]:
    """Every side `--repeat` times, interleaved so that drifting machine load hits all alike."""
    runs: dict[str, list[dict[str, Any]]] = {side: [] for side in SIDES}
    for repeat in range(args.repeat):
        for side in SIDES:
            row = run_side(side, (urls, args.workers, per_host[side], args.timeout, False))
            runs[side].append(row)
            print(
                f"  run {repeat + 1} {side:<16} {row['wall_s']:6.2f} s wall "
                f"{row['cpu_s']:6.2f} s CPU  {row['entries']} entries  {row['failed']} failed  "
                f"{row['peak_rss_mb']:.0f} MB",
                flush=True,
            )
    return runs


def print_failures(rows: dict[str, dict[str, Any]], injected: dict[int, str]) -> None:
    """Which injected failures each side reported, and what else it refused."""
    for side, row in rows.items():
        numbers = {int(e.split(":", 1)[0].rsplit("/", 1)[-1]): e for e in row["errors"]}
        missed = sorted(set(injected) - set(numbers))
        extra = sorted(set(numbers) - set(injected))
        print(
            f"{side}: {len(injected) - len(missed)}/{len(injected)} injected failures reported"
            + (f" (missed {missed})" if missed else "")
            + (f"; {len(extra)} more feeds refused" if extra else "")
        )
        reasons: dict[str, list[int]] = {}
        for number in extra:
            reason = FEED_URL.sub("<url>", numbers[number].split(": ", 1)[1].split(": '", 1)[0])
            reasons.setdefault(reason, []).append(number)
        for reason, where in reasons.items():
            print(f"    {len(where)} x {reason}: /feed/{', '.join(map(str, where))}")


def main() -> None:
    args = parse_args()
    from refresh_server import failing_feeds, host, load_feeds  # the children need neither

    feed_files = load_feeds()
    failing = failing_feeds(args.feeds)
    # One host for every feed would make newsdesk's politeness the bottleneck: raise it then.
    newsdesk_per_host = args.workers if args.hosts == 1 else None
    per_host: dict[str, int | None] = {side: newsdesk_per_host for side in SIDES}
    per_host["reader"] = None
    politeness = (
        f"per-host limit raised to {args.workers}"
        if newsdesk_per_host
        else "default per-host limit"
    )
    labels = {
        "newsdesk-core": "newsdesk ingest core (understand off)",
        "newsdesk": "newsdesk, whole pipeline",
        "newsdesk-threads": "newsdesk, whole pipeline, threads only",
        "reader": f"reader {_reader_version()} (update_feeds workers={args.workers})",
    }
    # No side can finish before the slow feed times out, nor before N/workers rounds of latency.
    floor = max(args.timeout, math.ceil(args.feeds / args.workers) * args.latency)
    server, port = start_server(args.feeds, args.latency, args.hosts)
    urls = [f"http://{host(n, args.hosts)}:{port}/feed/{n}" for n in range(args.feeds)]
    print(
        f"{args.feeds} feeds ({len(feed_files)} distinct real-world files, cycled) on "
        f"{args.hosts} loopback hosts, port {port}, {args.latency * 1000:.0f} ms latency, "
        f"{args.workers} concurrent requests for each side (newsdesk with its {politeness}), "
        f"{args.timeout:g} s timeout for both sides, {args.repeat} runs each"
    )
    print("injected failures: " + ", ".join(f"/feed/{n} {how}" for n, how in failing.items()))
    profile = ""
    try:
        runs = run_all(args, urls, per_host)
        if args.profile:
            side_args = (urls, args.workers, newsdesk_per_host, args.timeout, True)
            profile = run_side("newsdesk-core", side_args)["profile"]
    finally:
        server.terminate()
        server.wait(timeout=10)

    rows = {side: summarise(side_runs, args.feeds) for side, side_runs in runs.items()}
    print()
    print_table(rows, labels)
    reader_rate = rows["reader"]["feeds_per_s"]
    core_ratio = rows["newsdesk-core"]["feeds_per_s"] / reader_rate
    ratio = rows["newsdesk"]["feeds_per_s"] / reader_rate
    print(
        f"\nnewsdesk ingest core / reader feeds/s: {core_ratio:.2f}x "
        f"(target ≥{TARGET_RATIO:g}x: {'met' if core_ratio >= TARGET_RATIO else 'NOT met'}); "
        f"reader does no sections, places, topics or stories"
    )
    print(f"newsdesk whole pipeline (with understanding) / reader feeds/s: {ratio:.2f}x")
    over = {side: row["wall_s"] - floor for side, row in rows.items()}
    print(
        f"wall-time floor for any client: {floor:.2f} s ({args.feeds / floor:.0f} feeds/s), "
        f"set by the slow feed's {args.timeout:g} s timeout and {args.workers}-wide rounds "
        f"of {args.latency * 1000:.0f} ms; over it: newsdesk core {over['newsdesk-core']:+.2f} s, "
        f"reader {over['reader']:+.2f} s"
    )
    print(
        f"entries stored: newsdesk {rows['newsdesk']['entries']:.0f} "
        f"({rows['newsdesk']['articles']:.0f} articles after URL dedup), "
        f"reader {rows['reader']['entries']:.0f} (reader refuses feeds that are not well-formed "
        f"XML, which newsdesk parses leniently; see below)"
    )
    print_failures(rows, failing)
    if profile:
        print("\nnewsdesk ingest core profile (event loop + threads, by own time):")
        print(profile)

    write_results(
        "refresh",
        {
            "feeds": args.feeds,
            "distinct_feed_files": len(feed_files),
            "latency_s": args.latency,
            "workers": args.workers,
            "timeout_s": args.timeout,
            "repeat": args.repeat,
            "injected_failures": {str(n): how for n, how in failing.items()},
            "hosts": args.hosts,
            "newsdesk_per_host_limit": newsdesk_per_host or "default",
            "wall_floor_s": floor,
            "sides": rows,
            "ratio_feeds_per_s_ingest_core": core_ratio,
            "ratio_feeds_per_s_whole_pipeline": ratio,
            "target_ratio": TARGET_RATIO,
        },
    )


def _reader_version() -> str:
    from importlib.metadata import version

    return version("reader")


if __name__ == "__main__":
    main()

"""Soak: the web server under continuous concurrent load while refreshes write to its store.

Everything runs on 127.0.0.1: a feed server whose feeds gain items as time passes, the site
(`newsdesk serve`, its scheduler on), a `newsdesk refresh` loop as a second writer, and the load
from a separate process. Prints requests served, errors, p99 latency and the server's memory
(RSS sampled each second, start vs end), and writes bench/results/soak.json.

    python bench/soak.py --duration 60 --concurrency 16
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import os
import random
import socket
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import aiohttp

from common import write_results

PATHS = ["/", "/", "/healthz", "/search?q=harbour", "/search?q=council+budget", "/section/world"]


class _Feeds(BaseHTTPRequestHandler):
    """/feed/N: ten items, one more every two seconds; /page/N/M: the article page."""

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        parts = self.path.strip("/").split("/")
        if parts[0] == "feed":
            body, kind = self._feed(int(parts[1])), "application/rss+xml"
        else:
            words = " ".join(f"Paragraph about the harbour council budget {w}." for w in parts)
            body, kind = (
                f"<html><body><article><h1>Story</h1><p>{words * 8}</p></article></body></html>",
                "text/html",
            )
        data = body.encode()
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _feed(self, feed: int) -> str:
        newest, now = int(time.time() / 2), datetime.now(UTC)
        base = f"http://127.0.0.1:{self.server.server_address[1]}"
        items = "".join(
            f"<item><title>Feed {feed} story {n}: harbour council budget</title>"
            f"<link>{base}/page/{feed}/{n}</link><guid>s{feed}-{n}</guid>"
            f"<pubDate>{format_datetime(now - timedelta(seconds=newest - n))}</pubDate>"
            f"<description>Story {n} of feed {feed}.</description></item>"
            for n in range(newest - 10, newest)
        )
        return f'<rss version="2.0"><channel><title>Soak {feed}</title>{items}</channel></rss>'


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _rss_tree(pid: int) -> int:
    """Resident bytes of a process and its children (the extraction workers)."""
    total = 0
    pids = [pid]
    while pids:
        current = pids.pop()
        try:
            status = Path(f"/proc/{current}/status").read_text()
            total += next(
                int(x.split()[1]) * 1024 for x in status.splitlines() if x.startswith("VmRSS")
            )
            for task in Path(f"/proc/{current}/task").iterdir():
                pids += [int(c) for c in (task / "children").read_text().split()]
        except (OSError, StopIteration):
            continue
    return total


def _load(url: str, seconds: float, concurrency: int, queue: Any) -> None:
    """Run in its own process: `concurrency` clients requesting pages until time is up."""

    async def client(session: aiohttp.ClientSession, stop: float, out: dict[str, Any]) -> None:
        rng = random.Random()
        while time.monotonic() < stop:
            path = rng.choice(PATHS)
            started = time.perf_counter()
            try:
                async with session.get(url + path) as response:
                    await response.read()
                    if response.status >= 500:
                        out["errors"].append(f"{response.status} {path}")
            except (aiohttp.ClientError, TimeoutError) as exc:
                out["errors"].append(f"{type(exc).__name__} {path}")
            out["latencies"].append(time.perf_counter() - started)

    async def main() -> dict[str, Any]:
        out: dict[str, Any] = {"latencies": [], "errors": []}
        stop = time.monotonic() + seconds
        timeout = aiohttp.ClientTimeout(total=30)
        async with aiohttp.ClientSession(timeout=timeout) as session:
            await asyncio.gather(*(client(session, stop, out) for _ in range(concurrency)))
        return out

    queue.put(asyncio.run(main()))


def _wait_for(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", int(url.rsplit(":", 1)[1])), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    sys.exit(f"server at {url} did not start")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=float, default=60.0, help="seconds of load")
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--sources", type=int, default=20)
    parser.add_argument(
        "--refresh-every", type=float, default=5.0, help="seconds between refreshes"
    )
    args = parser.parse_args()

    feeds = ThreadingHTTPServer(("127.0.0.1", 0), _Feeds)
    feeds.daemon_threads = True
    threading.Thread(target=feeds.serve_forever, daemon=True).start()
    folder = Path(tempfile.mkdtemp(prefix="newsdesk-soak-"))
    port = _free_port()
    env = {
        **os.environ,
        "NEWSDESK_DATABASE_URL": f"sqlite:///{folder / 'soak.db'}",
        "NEWSDESK_ALLOW_PRIVATE_NETWORKS": "true",
        "NEWSDESK_DEFAULT_SOURCES": "false",
        "NEWSDESK_RESPECT_ROBOTS": "false",
        "NEWSDESK_LOG_LEVEL": "WARNING",
    }
    newsdesk = [sys.executable, "-m", "newsdesk.cli"]
    for n in range(args.sources):
        url = f"http://127.0.0.1:{feeds.server_address[1]}/feed/{n}"
        subprocess.run([*newsdesk, "sources", "add", url], env=env, check=True, capture_output=True)
    subprocess.run([*newsdesk, "refresh"], env=env, check=True, capture_output=True)
    server = subprocess.Popen(
        [*newsdesk, "serve", "--port", str(port)], env=env, stdout=subprocess.DEVNULL
    )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_for(base)
        results = _soak(base, server.pid, newsdesk, env, args)
    finally:
        server.terminate()
        server.wait(timeout=30)
        feeds.shutdown()
    for name, value in results.items():
        print(f"{name:>22}: {value}")
    write_results("soak", results)


def _soak(
    base: str, pid: int, newsdesk: list[str], env: dict[str, str], args: argparse.Namespace
) -> dict[str, Any]:
    queue: Any = multiprocessing.get_context("spawn").Queue()
    load = multiprocessing.get_context("spawn").Process(
        target=_load, args=(base, args.duration, args.concurrency, queue)
    )
    rss: list[int] = []
    refreshes = failed_refreshes = 0
    started = time.monotonic()
    load.start()
    next_refresh = started
    while time.monotonic() - started < args.duration:
        rss.append(_rss_tree(pid))
        if time.monotonic() >= next_refresh:
            done = subprocess.run([*newsdesk, "refresh"], env=env, capture_output=True)
            refreshes += 1
            failed_refreshes += done.returncode != 0
            next_refresh = time.monotonic() + args.refresh_every
        time.sleep(1.0)
    out = queue.get(timeout=args.duration + 60)
    load.join()
    latencies = sorted(out["latencies"])
    warm = rss[min(5, len(rss) - 1)]  # after imports, caches and the first pages
    return {
        "duration_s": args.duration,
        "concurrency": args.concurrency,
        "requests": len(latencies),
        "requests_per_s": round(len(latencies) / args.duration, 1),
        "errors": len(out["errors"]),
        "error_samples": sorted(set(out["errors"]))[:10],
        "p50_ms": round(latencies[len(latencies) // 2] * 1000, 1) if latencies else None,
        "p99_ms": round(latencies[int(len(latencies) * 0.99)] * 1000, 1) if latencies else None,
        "refreshes": refreshes,
        "failed_refreshes": failed_refreshes,
        "rss_start_mb": round(warm / 2**20, 1),
        "rss_end_mb": round(rss[-1] / 2**20, 1),
        "rss_max_mb": round(max(rss) / 2**20, 1),
        "rss_growth_mb": round((rss[-1] - warm) / 2**20, 1),
        "rss_samples_mb": [round(r / 2**20, 1) for r in rss[:: max(1, len(rss) // 20)]],
    }


if __name__ == "__main__":
    main()

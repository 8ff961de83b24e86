"""A loopback feed server for bench/refresh.py: real-world feeds behind an injected latency.

Serves /feed/0 … /feed/N-1 on one port of 127.0.0.1 … 127.0.0.H (H loopback hosts, so that
clients apply their per-host limits as they would to H real sites), cycling through the feeds
of `feedjira_real_world_feeds`, each with the content type of its format. A few URLs fail on
purpose (see `failing_feeds`). It runs as its own process so it never shares the GIL with the
code under test; it prints ``PORT <n>`` once it is listening on every host.

    python bench/refresh_server.py --feeds 200 --latency 0.1 --hosts 50
"""

from __future__ import annotations

import argparse
import asyncio
import random
import re
import sys
from pathlib import Path

from aiohttp import web

from common import datasets_dir

FEEDS_DIR = "feedjira_real_world_feeds/feeds"
ROOT_ELEMENT = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(rss|feed|RDF)\b")
PROLOGUE = re.compile(rb"<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^>]*>", re.S)
CONTENT_TYPES = {
    "rss": "application/rss+xml",
    "feed": "application/atom+xml",
    "RDF": "application/rdf+xml",
    "json": "application/feed+json",
}


def feed_content_type(path: Path, body: bytes) -> str | None:
    """The content type a real server would send for this feed, or None when it is no feed."""
    if path.suffix == ".json":
        return CONTENT_TYPES["json"]
    match = ROOT_ELEMENT.search(PROLOGUE.sub(b"", body[:20_000]))
    return CONTENT_TYPES[match.group(1).decode()] if match else None


def load_feeds() -> list[tuple[str, bytes, str]]:
    """(name, body, content type) for every file of the dataset that is a feed, by name.

    A handful of files are HTML pages, an OPML list or bare entry fragments kept as parser
    fixtures; they are left out so that every failure in the benchmark is an injected one.
    """
    feeds = []
    for path in sorted((datasets_dir() / FEEDS_DIR).iterdir()):
        body = path.read_bytes()
        content_type = feed_content_type(path, body)
        if content_type is not None:
            feeds.append((path.name, body, content_type))
    return feeds


def failing_feeds(count: int) -> dict[int, str]:
    """Which feed numbers fail, and how: two 500s, a 404, one too slow to answer, one garbage."""
    plan = {3: "timeout", count // 4: "500", count // 2: "404", 3 * count // 4: "500"}
    plan[count - 7] = "garbage"
    return {n: how for n, how in plan.items() if 0 <= n < count}


def make_app(count: int, latency: float, hang: float) -> web.Application:
    feeds = load_feeds()
    failing = failing_feeds(count)
    garbage = random.Random(0).randbytes(8192)

    async def feed(request: web.Request) -> web.StreamResponse:
        number = int(request.match_info["number"])
        if not 0 <= number < count:
            raise web.HTTPNotFound()
        await asyncio.sleep(latency)
        how = failing.get(number)
        if how == "timeout":
            await asyncio.sleep(hang)
        elif how == "500":
            raise web.HTTPInternalServerError()
        elif how == "404":
            raise web.HTTPNotFound()
        elif how == "garbage":
            return web.Response(body=garbage, content_type="application/rss+xml")
        _, body, content_type = feeds[number % len(feeds)]
        return web.Response(body=body, headers={"Content-Type": content_type})

    app = web.Application()
    app.router.add_get("/feed/{number:\\d+}", feed)
    return app


def host(number: int, hosts: int) -> str:
    """The loopback address that serves feed `number` (Linux routes all of 127/8 to lo)."""
    return f"127.0.0.{number % hosts + 1}"


async def serve(count: int, latency: float, hang: float, port: int, hosts: int) -> None:
    runner = web.AppRunner(make_app(count, latency, hang), access_log=None)
    await runner.setup()
    first = web.TCPSite(runner, host(0, hosts), port, backlog=4096)
    await first.start()
    bound = runner.addresses[0][1]
    for n in range(1, hosts):
        await web.TCPSite(runner, host(n, hosts), bound, backlog=4096).start()
    print(f"PORT {bound}", flush=True)
    try:
        await asyncio.Event().wait()
    finally:
        await runner.cleanup()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--feeds", type=int, default=200)
    parser.add_argument("--latency", type=float, default=0.1, help="seconds before each answer")
    parser.add_argument(
        "--hang",
        type=float,
        default=300.0,
        help="extra seconds the slow feed waits before answering",
    )
    parser.add_argument("--port", type=int, default=0, help="0 picks a free port")
    parser.add_argument("--hosts", type=int, default=50, help="loopback hosts, at most 254")
    args = parser.parse_args()
    try:
        asyncio.run(serve(args.feeds, args.latency, args.hang, args.port, args.hosts))
    except KeyboardInterrupt:
        sys.exit(0)


if __name__ == "__main__":
    main()

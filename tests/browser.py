"""A real browser (Playwright on Debian's Chromium) and a real server for the browser tests.

On CI a missing Chromium or Playwright fails the test; elsewhere it skips with the reason.
Never run ``playwright install``: the browser is the system's.
"""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import uvicorn

from services import missing_service

CHROMIUM = os.environ.get("NEWSDESK_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = Path(__file__).resolve().parent.parent / "docs" / "screenshots"


def require_browser() -> None:
    """Fail (CI) or skip (laptop) unless Playwright and Chromium are both there."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError as error:
        missing_service(f"Playwright is not installed ({error}); pip install playwright")
    if not Path(CHROMIUM).exists():
        missing_service(f"Chromium not found at {CHROMIUM}; apt install chromium")


@contextmanager
def chromium() -> Iterator[Any]:
    """A headless Chromium browser."""
    require_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@contextmanager
def serve(app: Any, **options: Any) -> Iterator[str]:
    """Serve `app` with uvicorn on 127.0.0.1 at an ephemeral port; yields the base URL.

    `options` go to `uvicorn.Config` (e.g. `http="h11"` and limits, as `newsdesk serve` runs).
    """
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(app, **{"log_level": "warning", "lifespan": "on", **options})
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the test server did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)
        sock.close()


def screenshot(page: Any, name: str, directory: Path | None = None) -> Path:
    """Save a full-page screenshot as NAME.png (docs/screenshots unless told otherwise)."""
    folder = directory or SCREENSHOTS
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path

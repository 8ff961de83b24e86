"""Debian's newsboat 2.21 against the real app on 127.0.0.1, in its Miniflux and FeedHQ
(Google Reader) modes: counts, titles and read state both ways.

newsboat's `-x` commands cannot mark anything read, so the TUI does it in a pseudo-terminal,
driven by `run-on-startup` (its operations are separated by a lone `;`, unquoted).
"""

from __future__ import annotations

import fcntl
import os
import pty
import select
import shutil
import sqlite3
import struct
import subprocess
import termios
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from newsdesk.settings import Settings
from newsdesk.store import Store, open_store
from newsdesk.store.base_reading import StreamQuery
from services import missing_service
from sync_fixtures import PASSWORD, TITLES, Seeded, seed, served


@dataclass(frozen=True)
class Newsboat:
    binary: str
    folder: Path
    config: Path

    def args(self) -> list[str]:
        return [
            self.binary,
            "-C",
            str(self.config),
            "-u",
            str(self.folder / "urls"),
            "-c",
            str(self.folder / "cache.db"),
        ]

    def execute(self, *commands: str) -> str:
        done = subprocess.run(
            [*self.args(), "-x", *commands], capture_output=True, text=True, timeout=60
        )
        assert done.returncode == 0, done.stderr
        return done.stdout

    def unread(self) -> int:
        """The count `print-unread` reports after a reload."""
        out = self.execute("reload", "print-unread").strip()
        assert out.endswith("unread articles"), out
        return int(out.split()[0])

    def titles(self) -> dict[str, bool]:
        """Title -> unread, as newsboat's cache holds them."""
        with sqlite3.connect(self.folder / "cache.db") as db:
            return {t: bool(u) for t, u in db.execute("SELECT title, unread FROM rss_item")}

    def run_tui(self, operations: str) -> None:
        """Start the TUI in a pseudo-terminal, run `operations` at startup, wait for exit."""
        config = self.config.read_text()
        self.config.write_text(f"{config}run-on-startup {operations}\n")
        master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
        env = {**os.environ, "TERM": "xterm"}
        process = subprocess.Popen(
            self.args(), stdin=slave, stdout=slave, stderr=slave, env=env, start_new_session=True
        )
        os.close(slave)
        screen = b""
        deadline = time.monotonic() + 60
        try:
            while process.poll() is None and time.monotonic() < deadline:
                if select.select([master], [], [], 0.1)[0]:
                    try:
                        screen += os.read(master, 65536)
                    except OSError:
                        break
        finally:
            if process.poll() is None:
                process.kill()
            process.wait()
            os.close(master)
            self.config.write_text(config)
        assert process.returncode == 0, screen[-2000:]


@pytest.fixture
def newsboat_binary() -> str:
    found = shutil.which("newsboat")
    if found is None:
        missing_service("newsboat is not installed (apt-get install newsboat)")
    assert found is not None
    return found


@pytest.fixture
def seeded_store(settings: Settings) -> Iterator[tuple[Store, Seeded]]:
    store = open_store(settings.database_url)
    yield store, seed(store)
    store.close()


def _config(mode: str, base: str) -> str:
    if mode == "miniflux":
        return (
            'urls-source "miniflux"\n'
            f'miniflux-url "{base}"\n'
            'miniflux-login "reader"\n'
            f'miniflux-password "{PASSWORD}"\n'
        )
    # Its special feeds are hard-wired to feedhq.org; this run has no internet to reach it.
    return (
        'urls-source "feedhq"\n'
        f'feedhq-url "{base}/api/greader.php"\n'
        'feedhq-login "reader"\n'
        f'feedhq-password "{PASSWORD}"\n'
        "feedhq-show-special-feeds no\n"
    )


@pytest.mark.parametrize("mode", ["miniflux", "feedhq"])
def test_newsboat_syncs_both_ways(
    mode: str,
    newsboat_binary: str,
    settings: Settings,
    seeded_store: tuple[Store, Seeded],
    tmp_path: Path,
) -> None:
    store, seeded = seeded_store
    user_id = seeded.user.id

    def store_unread() -> int:
        return store.count_stream(user_id, StreamQuery(subscribed=True, read=False))

    with served(settings, store) as base:
        (tmp_path / "urls").write_text("")
        config = tmp_path / "config"
        config.write_text(_config(mode, base))
        client = Newsboat(newsboat_binary, tmp_path, config)

        # Everything arrives, unread, with its title intact.
        assert client.unread() == store_unread() == 8
        titles = client.titles()
        assert set(TITLES) <= set(titles)
        assert all(titles.values())

        # Read in newsboat (mark-feed-read on the first feed, World Wire) -> read in newsdesk.
        client.run_tui("mark-feed-read ; quit")
        assert store_unread() == 3
        world = store.reading_items(user_id, StreamQuery(source_id=seeded.world_id))
        assert all(item.is_read for item in world)

        # Read and unread in newsdesk -> the same in newsboat after a reload.
        newest, oldest = seeded.article_ids[0], seeded.article_ids[-1]
        store.set_read(user_id, [oldest], True)
        store.set_read(user_id, [newest], False)
        assert client.unread() == store_unread() == 3
        titles = client.titles()
        assert titles[TITLES[0]] is True  # newest, unread again
        assert titles["Misc 3"] is False  # oldest, read in newsdesk
        assert titles["Misc 1"] is True

        if mode == "feedhq":
            # Opening an article marks it read at once (edit-tag with the T token).
            # newsboat's Miniflux mode does the same in a detached thread that may not
            # finish before it exits, so only this mode can assert it.
            client.run_tui("open ; open ; quit ; quit ; quit")
            assert store_unread() == 2
            assert store.reading_items_by_id(user_id, [newest])[0].is_read

"""Where CPU-bound pipeline stages run: threads of this process, or a pool of worker processes.

Feed parsing (~1 ms a feed), article extraction (~10 ms a page) and assembling and understanding
a source's new articles (0.2-1 ms an article) run in worker processes that use every core, which
leaves the refreshing process free to fetch and store; shipping inputs and results costs a small
fraction of the work. A parser crash on a hostile page takes down only its worker: the pool is
rebuilt and the error is recorded for that article or source. Quick stages run in threads.
"""

from __future__ import annotations

import asyncio
import functools
import multiprocessing
import os
import threading
import time
from collections.abc import Callable
from concurrent.futures import Executor, ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, TypeVar

T = TypeVar("T")

# Imported once in the fork server, so each worker starts with the stages already loaded.
PRELOAD = ["newsdesk.pipeline.extract", "newsdesk.refresh"]
# Enough to parse feeds and assemble articles from them: a third of the import time, for a pool
# that will neither extract pages nor understand articles.
FEED_ONLY_PRELOAD = ["newsdesk.pipeline.feeds", "newsdesk.pipeline.assemble"]


PARENT_CHECK_SECONDS = 2.0


def exit_with(pid: int) -> None:
    """In a pool worker: end this process soon after the process `pid` that started the pool.

    A pool whose owner is killed outright (kill -9, the OOM killer) is never told to stop; its
    workers, children of the fork server, would run on forever.
    """

    def watch() -> None:
        while True:
            time.sleep(PARENT_CHECK_SECONDS)
            try:
                os.kill(pid, 0)
            except (ProcessLookupError, PermissionError):  # gone, or its pid another user's now
                os._exit(0)

    threading.Thread(target=watch, name="newsdesk-exit-with-parent", daemon=True).start()


class WorkerCrashed(RuntimeError):
    """A worker process died while running a stage (e.g. a parser crashed on hostile input)."""


class CpuPool:
    """Runs pure stage functions off the event loop; use as an async context manager."""

    def __init__(
        self, processes: bool, workers: int | None = None, preload: list[str] | None = None
    ) -> None:
        self._processes = processes
        self._workers = workers or os.cpu_count() or 1
        self._preload = PRELOAD if preload is None else preload
        self._executor: Executor | None = None
        self._starting: asyncio.Task[None] | None = None

    async def __aenter__(self) -> CpuPool:
        if self._processes:
            # Starting the workers takes a few hundred ms (the fork server imports the stages
            # first) and blocks whoever submits first: do it in a thread while the first
            # requests are on the network, not on the event loop when the first feed arrives.
            self._starting = asyncio.create_task(asyncio.to_thread(self._start_workers))
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self._starting is not None:
            await asyncio.gather(self._starting, return_exceptions=True)
        self.close()

    def _start_workers(self) -> None:
        pool = self._pool()
        for future in [pool.submit(os.getpid) for _ in range(self._workers)]:
            future.result()

    def _pool(self) -> Executor:
        if self._executor is None:
            if self._processes:
                # forkserver, not fork: the refreshing process has threads (sqlite, resolver),
                # and forking a threaded process can copy a held lock into the child.
                context = multiprocessing.get_context("forkserver")
                context.set_forkserver_preload(self._preload)
                self._executor = ProcessPoolExecutor(
                    self._workers,
                    mp_context=context,
                    initializer=exit_with,
                    initargs=(os.getpid(),),
                )
            else:
                self._executor = ThreadPoolExecutor(self._workers, "newsdesk-cpu")
        return self._executor

    async def run(self, fn: Callable[..., T], /, *args: Any, **kwargs: Any) -> T:
        """Run a quick stage in a thread of this process."""
        return await asyncio.to_thread(fn, *args, **kwargs)

    async def run_spread(self, fn: Callable[..., T], /, *args: Any, **kwargs: Any) -> T:
        """Run a stage that is safe in this process on another core once the workers are up.

        Until then it runs in a thread, so the first results do not wait for the pool to start.
        """
        if self._starting is not None and not self._starting.done():
            return await self.run(fn, *args, **kwargs)
        return await self.run_isolated(fn, *args, **kwargs)

    async def run_isolated(self, fn: Callable[..., T], /, *args: Any, **kwargs: Any) -> T:
        """Run a costly stage in a worker process; raise WorkerCrashed if its worker died."""
        loop = asyncio.get_running_loop()
        call = functools.partial(fn, *args, **kwargs)
        if self._starting is not None:
            await asyncio.gather(self._starting, return_exceptions=True)
        try:
            return await loop.run_in_executor(self._pool(), call)
        except BrokenProcessPool as exc:
            self._replace_broken()
            raise WorkerCrashed(f"worker process died running {fn.__name__}") from exc

    def _replace_broken(self) -> None:
        broken, self._executor = self._executor, None
        if broken is not None:
            broken.shutdown(wait=False, cancel_futures=True)

    def close(self) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)
            self._executor = None

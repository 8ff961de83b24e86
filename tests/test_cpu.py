"""Costly stages run in worker processes; a crashed worker is replaced, not fatal."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from newsdesk.jobs.cpu import PARENT_CHECK_SECONDS, CpuPool, WorkerCrashed


@pytest.mark.parametrize("processes", [True, False])
def test_stages_run_and_return(processes: bool) -> None:
    async def go() -> tuple[int, int]:
        async with CpuPool(processes, workers=2) as cpu:
            return await cpu.run(len, "abc"), await cpu.run_isolated(len, "abcd")

    assert asyncio.run(go()) == (3, 4)


def test_worker_runs_in_another_process() -> None:
    async def go() -> int:
        async with CpuPool(True, workers=1) as cpu:
            return await cpu.run_isolated(os.getpid)

    assert asyncio.run(go()) != os.getpid()


def test_a_crashed_worker_is_reported_and_the_pool_rebuilt() -> None:
    async def go() -> int:
        async with CpuPool(True, workers=1) as cpu:
            with pytest.raises(WorkerCrashed, match="_exit"):
                await cpu.run_isolated(os._exit, 1)
            return await cpu.run_isolated(len, "still works")

    assert asyncio.run(go()) == len("still works")


def test_spread_stages_run_in_a_thread_until_the_workers_are_up() -> None:
    async def go() -> tuple[int, int]:
        async with CpuPool(True, workers=1, preload=[]) as cpu:
            early = await cpu.run_spread(os.getpid)  # the pool is still starting
            await cpu.run_isolated(len, "")  # waits for the start
            return early, await cpu.run_spread(os.getpid)

    early, late = asyncio.run(go())
    assert early == os.getpid()
    assert late != os.getpid()


OWNER = """
import asyncio, os, sys, time
from newsdesk.jobs.cpu import CpuPool

async def main():
    async with CpuPool(True, workers=2) as cpu:
        pids = {await cpu.run_isolated(os.getpid) for _ in range(8)}
        print(" ".join(map(str, pids)), flush=True)
        time.sleep(120)

if __name__ == "__main__":
    asyncio.run(main())
"""


def test_pool_workers_end_when_their_owner_is_killed_outright(tmp_path: Path) -> None:
    # After kill -9 of a refreshing process, its pool workers, fork server and resource
    # tracker ran on for good (330 MB a worker in the audit).
    script = tmp_path / "owner.py"
    script.write_text(OWNER)
    owner = subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE, text=True)
    assert owner.stdout is not None
    workers = [int(p) for p in owner.stdout.readline().split()]
    assert workers and owner.pid not in workers
    os.kill(owner.pid, signal.SIGKILL)
    owner.wait(timeout=10)
    deadline = time.monotonic() + 4 * PARENT_CHECK_SECONDS + 5
    while any(_alive(p) for p in workers) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not [p for p in workers if _alive(p)]


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0]
    except FileNotFoundError:
        return False
    return state != "Z"  # a zombie has ended; only its parent has not reaped it yet

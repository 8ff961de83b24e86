"""Costly stages run in worker processes; a crashed worker is replaced, not fatal."""

from __future__ import annotations

import asyncio
import os

import pytest

from newsdesk.jobs.cpu import CpuPool, WorkerCrashed


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

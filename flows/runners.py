"""Task runners for fanning work out: processes on this machine, threads, or a Dask cluster past it."""

from __future__ import annotations

from typing import Any

RUNNERS = ("process", "thread", "dask", "serial")  # serial: one at a time, for benchmarks
PROCESS_WORKERS = 2


def task_runner(runner: str, dask_address: str | None = None) -> Any:
    """The Prefect task runner for `runner`: process (default), thread, serial, or dask (a cluster, or a local one)."""
    from prefect.task_runners import ProcessPoolTaskRunner, ThreadPoolTaskRunner

    if runner == "process":
        return ProcessPoolTaskRunner(max_workers=PROCESS_WORKERS)
    if runner == "thread":
        return ThreadPoolTaskRunner()
    if runner == "serial":
        return ThreadPoolTaskRunner(max_workers=1)
    if runner == "dask":
        from prefect_dask.task_runners import DaskTaskRunner

        if dask_address:
            return DaskTaskRunner(address=dask_address)
        return DaskTaskRunner(cluster_kwargs={"n_workers": PROCESS_WORKERS, "threads_per_worker": 1,
                                              "processes": True, "dashboard_address": None})
    raise ValueError(f"Unknown runner {runner!r}: choose one of {', '.join(RUNNERS)}")

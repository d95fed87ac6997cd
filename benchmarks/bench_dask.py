"""Issue 29: a cold `catalogue build` laid out by this machine's pool, then by a real Dask cluster, in one run.

    .venv/bin/python benchmarks/bench_dask.py [--inputs DIR] [--workers 2]

Starts `dask scheduler` and --workers `dask worker` processes (one thread each) on 127.0.0.1, as a
Secretariat would on its machines, then times two cold builds of the same inputs (OUTPUTS/.cache emptied,
one SOURCE_DATE_EPOCH): the default (a local pool of two layout processes) and `--dask ADDRESS`. For each:
wall time, the peak memory of the build's process tree (psutil, every 20 ms) and, for the cluster run, the
workers' peak memory too (they are not the build's children). Then whether the two catalogue.pdf files are
byte-identical. On one machine the cluster shows what it costs (transfer, scheduling), not a speed-up: with
more machines the layout, the build's bulk, divides among their workers. Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

import psutil

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from benchmarks.bench_commands import timed  # noqa: E402

MiB = 2 ** 20
EPOCH = "1751328000"


def start_cluster(folder: Path, workers: int) -> tuple[str, list[subprocess.Popen[bytes]]]:
    """A scheduler and `workers` worker processes; the scheduler's address and every process."""
    dask = str(Path(sys.executable).with_name("dask"))
    file = folder / "scheduler.json"
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
    processes = [subprocess.Popen([dask, "scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
                                   "--scheduler-file", str(file)], **quiet)]  # type: ignore[call-overload]
    while not file.is_file():
        time.sleep(0.1)
    address = json.loads(file.read_text())["address"]
    processes += [subprocess.Popen([dask, "worker", address, "--nthreads", "1", "--no-nanny", "--no-dashboard",
                                    "--host", "127.0.0.1"], **quiet)  # type: ignore[call-overload]
                  for _ in range(workers)]
    from distributed import Client

    with Client(address, timeout=60) as client:
        client.wait_for_workers(workers, timeout=120)
    return address, processes


def sample_peak(processes: list[psutil.Process], stop: threading.Event, peak: list[int]) -> None:
    """The largest sum of these processes' resident memory, every 20 ms until `stop`."""
    while not stop.is_set():
        total = 0
        for process in processes:
            try:
                total += process.memory_info().rss
            except psutil.NoSuchProcess:
                pass
        peak[0] = max(peak[0], total)
        time.sleep(0.02)


def cold_build(inputs: Path, outputs: Path, extra: list[str], env: dict[str, str]) -> tuple[float, int]:
    if (outputs / ".cache").exists():
        subprocess.run(["rm", "-rf", str(outputs / ".cache")], check=True)
    command = [sys.executable, "-m", "flows.cli", "build", "--inputs", str(inputs), "--outputs", str(outputs),
               "--force", *extra]
    wall, peak, code = timed(command, REPO, env)
    if code != 0:
        raise SystemExit(f"{' '.join(command)} exited {code}")
    return wall, peak


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--inputs", type=Path, default=REPO / "inputs")
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    env = {**{k: v for k, v in os.environ.items() if k != "CATALOGUE_DASK_ADDRESS"}, "SOURCE_DATE_EPOCH": EPOCH,
           "PREFECT_LOGGING_LEVEL": "WARNING"}
    print(f"{platform.node()}: {os.cpu_count()} cores, {psutil.virtual_memory().total / 2**30:.0f} GiB, "
          f"Python {platform.python_version()}, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, load {os.getloadavg()[0]:.1f}; "
          f"inputs {args.inputs}", flush=True)
    with tempfile.TemporaryDirectory(prefix="bench-dask-") as tmp:
        work = Path(tmp)
        local_wall, local_peak = cold_build(args.inputs, work / "local", [], env)
        print(f"  local pool (2 processes)   {local_wall:8.1f} s  build tree peak {local_peak / MiB:7.0f} MiB  "
              f"load {os.getloadavg()[0]:.1f}", flush=True)
        address, processes = start_cluster(work, args.workers)
        try:
            workers = [psutil.Process(p.pid) for p in processes[1:]]
            stop, peak = threading.Event(), [0]
            sampler = threading.Thread(target=sample_peak, args=(workers, stop, peak), daemon=True)
            sampler.start()
            dask_wall, dask_peak = cold_build(args.inputs, work / "dask", ["--dask", address], env)
            stop.set()
            sampler.join()
        finally:
            for process in processes:
                process.terminate()
            for process in processes:  # a worker whose scheduler went first may linger: it is killed
                try:
                    process.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    process.kill()
        same = (work / "local" / "catalogue.pdf").read_bytes() == (work / "dask" / "catalogue.pdf").read_bytes()
        print(f"  Dask, {args.workers} local workers      {dask_wall:8.1f} s  build tree peak {dask_peak / MiB:7.0f} MiB"
              f"  workers' peak {peak[0] / MiB:7.0f} MiB  load {os.getloadavg()[0]:.1f}", flush=True)
        print(f"  cluster / local: {dask_wall / local_wall:.2f}x wall; catalogue.pdf byte-identical: {same}")


if __name__ == "__main__":
    main()

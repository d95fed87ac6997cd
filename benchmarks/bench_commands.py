"""The commands people wait for, old code and new side by side in one run: wall time and peak memory.

    .venv/bin/python benchmarks/bench_commands.py [--runs 3] [--old REV] [--inputs DIR]

For each scenario the median wall time of --runs runs and the peak memory of the whole process tree
(the command and every child it starts, sampled every 20 ms with psutil) are printed, for the code at
--old (default: the last commit before issue "One house", 7e9298e, checked out into a temporary git
worktree and run with this environment's Python) and for this working tree.

Scenarios on the sample (or --inputs):
  build --force          a cold build: every input read, checked, budgeted and rendered (OUTPUTS/.cache emptied)
  build (unchanged)      nothing changed since the published build
  build, one workplan    one amount changed in one partner's workbook since the published build
  validate --partner     a partner's quick check of its own workbook
Old runs use Prefect's temporary API (the old default); new runs use the project's Prefect server
(the new default, started before timing). The machine's 1-minute load average is printed beside each.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import psutil

REPO = Path(__file__).resolve().parents[1]
OLD_REV = "7e9298e"
MiB = 2 ** 20


def sample_peak_tree_rss(root: psutil.Process, stop: threading.Event, peak: list[int]) -> None:
    """Until `stop`, every 20 ms: the resident memory of `root` and all its children, the largest kept in peak[0]."""
    while not stop.is_set():
        total = 0
        try:
            for proc in [root, *root.children(recursive=True)]:
                try:
                    total += proc.memory_info().rss
                except psutil.NoSuchProcess:
                    pass
        except psutil.NoSuchProcess:
            break
        peak[0] = max(peak[0], total)
        time.sleep(0.02)


def _peak_tree_rss(process: subprocess.Popen[bytes], stop: threading.Event, peak: list[int]) -> None:
    try:
        root = psutil.Process(process.pid)
    except psutil.NoSuchProcess:
        return
    sample_peak_tree_rss(root, stop, peak)


def timed(args: list[str], cwd: Path, env: dict[str, str]) -> tuple[float, int, int]:
    """Wall seconds, peak RSS of the process tree, exit code."""
    start = time.perf_counter()
    process = subprocess.Popen(args, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    stop, peak = threading.Event(), [0]
    sampler = threading.Thread(target=_peak_tree_rss, args=(process, stop, peak), daemon=True)
    sampler.start()
    code = process.wait()
    wall = time.perf_counter() - start
    stop.set()
    sampler.join()
    return wall, peak[0], code


def change_one_amount(inputs: Path, step: int) -> None:
    """Add `step` cents to the first budget amount of the first workplan: a real edit a partner makes."""
    from openpyxl import load_workbook

    book_path = sorted((inputs / "workplans").glob("*.xlsx"))[0]
    book = load_workbook(book_path)
    sheet = book["Budget"]
    headers = [cell.value for cell in sheet[1]]
    column = headers.index("amount") + 1 if "amount" in headers else next(
        i + 1 for i, h in enumerate(headers) if h and "mount" in str(h))
    for row in range(2, sheet.max_row + 1):
        cell = sheet.cell(row=row, column=column)
        if isinstance(cell.value, int | float):
            cell.value = round(float(cell.value) + step / 100, 2)
            break
    book.save(book_path)


class Code:
    """One version of the program: where it lives and how to start its command."""

    def __init__(self, name: str, root: Path, env: dict[str, str]) -> None:
        self.name, self.root, self.env = name, root, env

    def command(self, *args: str) -> list[str]:
        return [sys.executable, "-m", "flows.cli", *args]


def scenarios(code: Code, inputs: Path, work: Path) -> dict[str, Callable[[int], list[str]]]:
    out = work / f"out-{code.name}"
    partner = sorted(p.stem for p in (inputs / "workplans").glob("*.xlsx"))[0]

    def cold(_: int) -> list[str]:
        shutil.rmtree(out / ".cache", ignore_errors=True)  # cold: no cached PDF parts either
        return code.command("build", "--inputs", str(inputs), "--outputs", str(out), "--force")

    def unchanged(_: int) -> list[str]:
        return code.command("build", "--inputs", str(inputs), "--outputs", str(out))

    def one_workplan(i: int) -> list[str]:
        change_one_amount(inputs, i + 1)
        return code.command("build", "--inputs", str(inputs), "--outputs", str(out))

    def partner_check(_: int) -> list[str]:
        return code.command("validate", "--partner", partner, "--inputs", str(inputs), "--outputs", str(out))

    return {"build --force (cold)": cold, "build, unchanged": unchanged, "build, one workplan changed": one_workplan,
            f"validate --partner {partner}": partner_check}


def load1() -> float:
    return os.getloadavg()[0]


def measure(code: Code, inputs: Path, work: Path, runs: int) -> dict[str, tuple[float, float, str]]:
    """Median wall, max peak MiB and the load range, per scenario."""
    results = {}
    for name, make in scenarios(code, inputs, work).items():
        walls, peaks, loads = [], [], []
        for i in range(runs):
            args = make(i)
            loads.append(load1())
            wall, peak, exit_code = timed(args, code.root, code.env)
            if exit_code != 0:
                raise SystemExit(f"{code.name}: {' '.join(args[3:])} exited {exit_code}")
            walls.append(wall)
            peaks.append(peak)
        results[name] = (statistics.median(walls), max(peaks) / MiB, f"{min(loads):.1f}-{max(loads):.1f}")
        print(f"  {code.name:4} {name:34} {results[name][0]:7.1f} s  {results[name][1]:6.0f} MiB  load {results[name][2]}",
              flush=True)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--old", default=OLD_REV, help="the old code's git revision")
    parser.add_argument("--inputs", type=Path, default=REPO / "inputs")
    parser.add_argument("--new-only", action="store_true", help="measure this working tree only (no old worktree)")
    args = parser.parse_args()

    base_env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    base_env.update(PREFECT_SERVER_ANALYTICS_ENABLED="false", PREFECT_LOGGING_LEVEL="WARNING")
    with tempfile.TemporaryDirectory(prefix="bench-commands-") as tmp:
        work = Path(tmp)
        old_root = work / "old"
        subprocess.run(["git", "worktree", "add", "--detach", str(old_root), args.old], cwd=REPO, check=True,
                       capture_output=True)
        try:
            old = Code("old", old_root, {**base_env, "PREFECT_HOME": str(work / "prefect-old"),
                                         "CATALOGUE_HOME": str(old_root)})
            new = Code("new", REPO, {**base_env, "CATALOGUE_PREFECT_HOME": str(work / "prefect-new"),
                                     "CATALOGUE_PREFECT_PORT": "4279"})
            subprocess.run(new.command("server", "start"), cwd=REPO, env=new.env, check=True, capture_output=True)
            started = datetime.now(UTC)
            print(f"{platform.node()}: {os.cpu_count()} cores, {psutil.virtual_memory().total / 2**30:.0f} GiB, "
                  f"Python {platform.python_version()}, {started:%Y-%m-%d %H:%M} UTC, load {load1():.1f}")
            figures = {}
            for code in (new,) if args.new_only else (old, new):
                inputs = work / f"inputs-{code.name}"
                shutil.copytree(args.inputs, inputs)
                figures[code.name] = measure(code, inputs, work, args.runs)
            print("\n| scenario | old wall | new wall | old peak | new peak | load |\n|---|---|---|---|---|---|")
            for name in figures["new"]:
                n = figures["new"][name]
                o = figures["old"][name] if "old" in figures else (float("nan"), float("nan"), "-")
                print(f"| {name} | {o[0]:.1f} s | {n[0]:.1f} s | {o[1]:.0f} MiB | {n[1]:.0f} MiB | {o[2]} / {n[2]} |")
        finally:
            subprocess.run(new.command("server", "stop"), cwd=REPO, env=new.env, capture_output=True)
            subprocess.run(["git", "worktree", "remove", "--force", str(old_root)], cwd=REPO, capture_output=True)


if __name__ == "__main__":
    main()

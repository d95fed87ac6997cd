"""Loading throughput (issue 14: >= 20,000 records/s): `load_inputs` on a generated input set, cold and remembered.

    python benchmarks/generate.py DIR --activities 2000      # 4,755 records, 69,921 budget and funding lines
    python benchmarks/bench_loading.py DIR [--repeat 3]

Counts records and their budget and funding lines (each line is a spreadsheet row read, coerced and located),
and prints wall and CPU seconds (best of --repeat) for: every sheet read by openpyxl (the old reader, kept as
the fallback), reading every file (calamine, the build's path), and the same with every file's reading remembered (catalogue/memo.py; what a rebuild after one partner's change
pays for the other files). No assertions on time; figures go to BENCHMARKS.md by hand.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from catalogue.cache_folders import FolderMemo  # noqa: E402
from catalogue.inputs import workbooks  # noqa: E402
from catalogue.inputs.load import LoadedInputs, load_inputs  # noqa: E402


def _count(loaded: LoadedInputs) -> tuple[int, int]:
    records = sum(len(kind) for kind in loaded.records.values())
    lines = sum(len(r.data.get("budget_lines", [])) + len(r.data.get("funding_lines", []))
                for kind in ("workplan_activity", "secretariat_task") for r in loaded.records[kind])
    return records, lines


def _best(repeat: int, run: object) -> tuple[float, float, LoadedInputs]:
    best_wall, best_cpu, result = float("inf"), float("inf"), None
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        result = run()  # type: ignore[operator]
        best_wall = min(best_wall, time.perf_counter() - wall)
        best_cpu = min(best_cpu, time.process_time() - cpu)
    assert result is not None
    return best_wall, best_cpu, result


@contextmanager
def _openpyxl_only(wanted: bool) -> Iterator[None]:
    """The reader before python-calamine (issue 14 item 5): openpyxl, still the fallback for sheets calamine
    cannot serve; the same guards, coercion and records around it."""
    original = workbooks._sheet_rows
    if wanted:
        workbooks._sheet_rows = lambda raw, workbook, sheet: workbooks._rows_from_openpyxl(raw, sheet.title)
    try:
        yield
    finally:
        workbooks._sheet_rows = original


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("inputs", type=Path)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print(f"{os.cpu_count()} cores, Python {sys.version.split()[0]}, {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, "
          f"load {os.getloadavg()[0]:.1f}")
    with tempfile.TemporaryDirectory() as folder:
        memo = FolderMemo(Path(folder))
        load_inputs(args.inputs, memo=memo)  # fills the memo
        rows = [("old: every sheet read by openpyxl", lambda: load_inputs(args.inputs)),
                ("read every file (calamine)", lambda: load_inputs(args.inputs)),
                ("every file's reading remembered", lambda: load_inputs(args.inputs, memo=FolderMemo(Path(folder))))]
        for label, run in rows:
            with _openpyxl_only(label.startswith("old")):
                wall, cpu, loaded = _best(args.repeat, run)
            records, lines = _count(loaded)
            print(f"  {label:<34} {wall:6.2f} s wall {cpu:6.2f} s CPU  {records:,} records + {lines:,} lines  "
                  f"{(records + lines) / wall:>9,.0f} /s (wall)  {(records + lines) / cpu:>9,.0f} /s (CPU)")
    print(f"load {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()

"""Benchmark of catalogue.pdf in parts (issue 14): the whole document in one WeasyPrint run against the build's path.

    .venv/bin/python benchmarks/bench_pdf_parallel.py [--activities 2000 ...] [--skip-sample] [--workers 2]

For the sample and for generated programmes of each --activities (benchmarks/scale_data.py,
budgeted and assembled like a real build), one run each, in this order:

- whole:     render/catalogue_pdf.render_pdf, the whole document in one WeasyPrint run (the old path);
- parts x1:  publishing/catalogue_pdf.render_catalogue_pdf with one worker, no cache;
- parts xN:  the same with --workers processes (the build's default is the machine's cores), no cache;
- warm:      the same again with every part in the cache (an unchanged rebuild's PDF);
- one changed: one priority's first activity costs one unit more, with the warm cache: what one partner's
             change costs (its priority, the totals' sections, the contents and the join).

Printed: wall seconds, pages, pages per second, parts laid out / reused, peak memory of the whole
process tree (psutil, sampled every 20 ms: the workers included), and the speed-up of parts xN over
parts x1 and over whole. No assertions on time; figures go to BENCHMARKS.md by hand.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import platform
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench_commands import sample_peak_tree_rss  # noqa: E402
from bench_pdf import generated_catalogue, sample_catalogue  # noqa: E402

from catalogue.model.catalogue import Catalogue  # noqa: E402
from catalogue.render.pdf.catalogue_document import render_pdf  # noqa: E402
from catalogue.render.pdf.layout_pool import PartStats, render_catalogue_pdf  # noqa: E402

MiB = 2 ** 20


def peak_tree_rss(fn: Callable[[], Any]) -> tuple[float, int, Any]:
    """Wall seconds of fn(), the peak resident memory of this process and its children meanwhile, fn's result."""
    stop, peak = threading.Event(), [0]
    thread = threading.Thread(target=sample_peak_tree_rss, args=(psutil.Process(), stop, peak), daemon=True)
    thread.start()
    start = time.perf_counter()
    try:
        result = fn()
    finally:
        wall = time.perf_counter() - start
        stop.set()
        thread.join()
    return wall, peak[0], result


def one_more_unit(catalogue: Catalogue) -> Catalogue:
    """The catalogue with the largest-gap priority's required figure one unit higher (its section and the totals move)."""
    first = catalogue.priorities[0]
    figures = dataclasses.replace(first.figures, required=first.figures.required + Decimal(1),
                                  gap=first.figures.gap + Decimal(1))
    priorities = [dataclasses.replace(first, figures=figures), *catalogue.priorities[1:]]
    totals = dataclasses.replace(catalogue.totals, figures=dataclasses.replace(
        catalogue.totals.figures, required=catalogue.totals.figures.required + Decimal(1),
        gap=catalogue.totals.figures.gap + Decimal(1)))
    return dataclasses.replace(catalogue, priorities=priorities, totals=totals)


def measure(name: str, catalogue: Catalogue, workers: int, folder: Path, skip_whole: bool) -> None:
    cache = folder / f"{name}-cache"
    rows: list[tuple[str, float, int, PartStats | None]] = []
    if not skip_whole:
        wall, peak, _ = peak_tree_rss(lambda: render_pdf(catalogue, folder / f"{name}-whole.pdf"))
        rows.append(("whole (one WeasyPrint run)", wall, peak, None))
    runs: list[tuple[str, Callable[[], PartStats]]] = [
        ("parts x1, no cache", lambda: render_catalogue_pdf(catalogue, folder / f"{name}-1.pdf", workers=1)),
        (f"parts x{workers}, no cache", lambda: render_catalogue_pdf(catalogue, folder / f"{name}-n.pdf",
                                                                      workers=workers, cache_dir=cache)),
        (f"parts x{workers}, warm cache", lambda: render_catalogue_pdf(catalogue, folder / f"{name}-w.pdf",
                                                                        workers=workers, cache_dir=cache)),
        (f"parts x{workers}, one priority changed", lambda: render_catalogue_pdf(
            one_more_unit(catalogue), folder / f"{name}-c.pdf", workers=workers, cache_dir=cache)),
    ]
    for label, run in runs:
        wall, peak, stats = peak_tree_rss(run)
        rows.append((label, wall, peak, stats))
    pages = rows[-1][3].pages if rows[-1][3] else 0
    print(f"\n{name}: {len(catalogue.activities)} activities, {pages} pages; load average {os.getloadavg()[0]:.2f}")
    print(f"{'path':<40}{'wall s':>9}{'pages/s':>9}{'laid out':>10}{'reused':>8}{'peak MiB':>10}")
    for label, wall, peak, stats in rows:
        laid, reused = (str(stats.rendered), str(stats.reused)) if stats else ("whole", "-")
        print(f"{label:<40}{wall:>9.2f}{pages / wall:>9.1f}{laid:>10}{reused:>8}{peak / MiB:>10.0f}")
    by_label = {label: wall for label, wall, _, _ in rows}
    parallel = by_label[f"parts x{workers}, no cache"]
    print(f"speed-up of parts x{workers} over parts x1: {by_label['parts x1, no cache'] / parallel:.2f}x", end="")
    if not skip_whole:
        print(f"; over the whole document: {by_label['whole (one WeasyPrint run)'] / parallel:.2f}x", end="")
    print(f"; one priority changed: {by_label[f'parts x{workers}, one priority changed'] / parallel:.0%} of cold")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--activities", type=int, nargs="*", default=[])
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--skip-sample", action="store_true")
    parser.add_argument("--skip-whole", action="store_true", help="do not time the whole-document path")
    args = parser.parse_args()
    print(f"Python {platform.python_version()} on {platform.machine()}, {os.cpu_count()} cores, "
          f"{psutil.virtual_memory().total / 2**30:.0f} GiB; {time.strftime('%Y-%m-%d %H:%M %Z')}")
    with tempfile.TemporaryDirectory(prefix="bench-pdf-parallel-") as tmp:
        folder = Path(tmp)
        if not args.skip_sample:
            os.environ.setdefault("SOURCE_DATE_EPOCH", "1764460800")
            measure("sample", sample_catalogue(), args.workers, folder, args.skip_whole)
        for activities in args.activities:
            measure(f"generated-{activities}", generated_catalogue(activities), args.workers, folder, args.skip_whole)


if __name__ == "__main__":
    main()

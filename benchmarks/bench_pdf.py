"""Benchmark of the PDF stage (issue 6): pages per second of the catalogue against bare WeasyPrint on the same HTML.

    python benchmarks/bench_pdf.py [--repeat 2] [--activities 2000] [--lang en] [--skip-scale]

For the sample inputs and for a generated programme of `--activities` activities
(benchmarks/scale_data.py, budgeted and assembled like a real build) it times,
separately and best of `--repeat`:

- templating: `render_html` (Jinja2, babel formatting, the three SVG charts),
- charts alone: the chart geometry that `render_html` computes,
- WeasyPrint: `write_pdf_from_html` on that same HTML (layout and PDF writing),

and prints pages per second of the whole stage (templating + WeasyPrint) and of
bare WeasyPrint, with the overhead of templating and charts as a share of the
whole. Figures go to BENCHMARKS.md by hand. No assertions on time.
"""

from __future__ import annotations

import argparse
import logging
import platform
import re
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pypdf import PdfReader  # noqa: E402

from catalogue import __version__  # noqa: E402
from catalogue.issues import Report  # noqa: E402
from catalogue.model.assemble import assemble_catalogue  # noqa: E402
from catalogue.model.budget import budget_programme  # noqa: E402
from catalogue.model.catalogue import Catalogue  # noqa: E402
from catalogue.pipeline import build_model  # noqa: E402
from catalogue.render.pdf.catalogue_document import render_html  # noqa: E402
from catalogue.render.pdf.charts import coverage_chart, donor_chart, gap_chart  # noqa: E402
from catalogue.render.pdf.document import write_pdf_from_html  # noqa: E402
from catalogue.render.words.i18n import Formatter  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
BUILD_TIME = "2025-07-01T00:00:00Z"


@dataclass
class Row:
    name: str
    activities: int
    pages: int
    html_s: float
    charts_s: float
    weasy_s: float
    weasy_without_charts_s: float | None = None

    @property
    def total_s(self) -> float:
        return self.html_s + self.weasy_s


def best_of(fn: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    """Best wall time of `repeat` runs of fn, and fn's last result."""
    best, result = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - start)
    return best, result


def sample_catalogue() -> Catalogue:
    result = build_model(REPO / "inputs", build_time=BUILD_TIME)
    if result.catalogue is None:
        raise SystemExit(f"the sample inputs do not build: {len(result.report.errors)} errors")
    return result.catalogue


def generated_catalogue(activities: int) -> Catalogue:
    """A catalogue from benchmarks/scale_data.py, in the sample's proportions (3 funding lines per item)."""
    from scale_data import generate_programme

    tasks = max(activities // 10, 1)
    programme = generate_programme(activities=activities, funding_lines=3 * (activities + tasks),
                                   partners=max(activities // 40, 5), priorities=max(activities // 35, 10),
                                   tasks=tasks, seed=1)
    budgeted = budget_programme(programme)
    return assemble_catalogue(programme, budgeted, Report(), [], BUILD_TIME, __version__)


def measure(name: str, catalogue: Catalogue, lang: str, repeat: int, workdir: Path, chart_cost: bool) -> Row:
    fmt = Formatter.for_language(catalogue.locale, catalogue.reporting_currency, lang)
    render_html(catalogue, lang)  # warm up: template compiled, catalogues loaded (cached per process, as in a build)

    def charts() -> None:
        gap_chart(catalogue.priorities, fmt)
        coverage_chart(catalogue.groupings.strategic_plan_target, fmt)
        donor_chart(catalogue.contributions.donors, fmt)

    charts_s, _ = best_of(charts, repeat)
    html_s, html = best_of(lambda: render_html(catalogue, lang), repeat)
    pdf = workdir / f"{name}.pdf"
    weasy_s, _ = best_of(lambda: write_pdf_from_html(html, pdf), repeat)
    pages = len(PdfReader(pdf).pages)
    without_s = None
    if chart_cost:  # what the three SVG charts cost WeasyPrint: the same HTML with the figures taken out
        bare_html = re.sub(r'<figure class="chart".*?</figure>', "", html, flags=re.S)
        without_s, _ = best_of(lambda: write_pdf_from_html(bare_html, workdir / f"{name}-nocharts.pdf"), repeat)
    return Row(name, len(catalogue.activities), pages, html_s, charts_s, weasy_s, without_s)


def print_table(rows: list[Row], lang: str, repeat: int) -> None:
    print(f"\nPDF stage, lang={lang}, best of {repeat}; Python {platform.python_version()}, {platform.machine()}")
    header = (f"{'catalogue':<22}{'activities':>11}{'pages':>7}{'templating s':>14}{'  of which charts s':>20}"
              f"{'WeasyPrint s':>14}{'total s':>9}{'pages/s total':>15}{'pages/s bare':>14}{'overhead':>10}")
    print(header)
    print("-" * len(header))
    for r in rows:
        print(f"{r.name:<22}{r.activities:>11}{r.pages:>7}{r.html_s:>14.3f}{r.charts_s:>20.4f}{r.weasy_s:>14.2f}"
              f"{r.total_s:>9.2f}{r.pages / r.total_s:>15.2f}{r.pages / r.weasy_s:>14.2f}{r.html_s / r.total_s:>10.1%}")
    print("overhead = templating and charts as a share of the whole stage (target: under 10%)")
    for r in rows:
        if r.weasy_without_charts_s is not None:
            print(f"{r.name}: WeasyPrint without the three charts {r.weasy_without_charts_s:.2f} s; the charts' layout "
                  f"costs {r.weasy_s - r.weasy_without_charts_s:+.2f} s ({(r.weasy_s - r.weasy_without_charts_s) / r.total_s:+.1%} of the stage)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--activities", type=int, default=2000)
    parser.add_argument("--lang", default="en", choices=("en", "fr", "es"))
    parser.add_argument("--skip-scale", action="store_true", help="measure the sample only")
    parser.add_argument("--chart-cost", action="store_true", help="also time WeasyPrint on the HTML without the charts")
    args = parser.parse_args()
    logging.getLogger("weasyprint").setLevel(logging.ERROR)  # missing CJK glyphs are warned once per name

    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        rows.append(measure("sample", sample_catalogue(), args.lang, args.repeat, Path(tmp), args.chart_cost))
        if not args.skip_scale:
            start = time.perf_counter()
            catalogue = generated_catalogue(args.activities)
            print(f"generated and budgeted {len(catalogue.activities)} activities, {len(catalogue.secretariat_tasks)} "
                  f"tasks, {len(catalogue.priorities)} priorities in {time.perf_counter() - start:.1f} s (not timed below)")
            rows.append(measure(f"generated {args.activities}", catalogue, args.lang, args.repeat, Path(tmp),
                                args.chart_cost))
    print_table(rows, args.lang, args.repeat)


if __name__ == "__main__":
    main()

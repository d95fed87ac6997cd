"""Benchmark of the budget stage (issues 4 and 14): `budget_programme` on integer cents, checked against Decimal.

    python benchmarks/bench_budget.py [--repeat 3] [--cpu 0] [--profile]

Times `budget_programme` on a generated programme of 20,000 activities and
60,000 funding lines (benchmarks/scale_data.py), pinned to one core. The stage
converts every line to whole cents with exact integer arithmetic and sums ints
(catalogue.money); this script also recomputes every item's required,
confirmed, pledged and requested the old way (Decimal multiply, quantize
half-even, Decimal sums) and checks they agree to the cent. It also times,
for comparison, the vectorised numpy/pandas form of the same integer
arithmetic (the route first proved exact in BENCHMARKS.md). Prints a table;
figures go to BENCHMARKS.md by hand. No assertions on time.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import io
import os
import platform
import pstats
import resource
import sys
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from scale_data import count_lines, generate_programme  # noqa: E402

from catalogue import collector  # noqa: E402
from catalogue.inputs.donor_register import stage_of, status_of_stage  # noqa: E402
from catalogue.model import budget as programme_module  # noqa: E402
from catalogue.model.budget import BudgetedProgramme, budget_programme  # noqa: E402
from catalogue.model.costing import line_cost  # noqa: E402
from catalogue.model.merge import Programme  # noqa: E402

TARGET_FUNDING_LINES_PER_SECOND = 250_000  # issue 14
KINDS = {"cash": 0, "staff_time": 1, "meetings": 2}
STATUSES = {"confirmed": 0, "pledged": 1, "requested": 2}
IN_KIND = {None: -1, "confirmed": 0, "pledged": 1}


def counted_status(item: dict[str, Any], line: dict[str, Any]) -> str | None:
    """A funding line's standing as the figures count it (its pipeline stage: committed or paid is confirmed),
    or None for the part of a match offer pledged or requested as a line: the offer's money, never counted
    as pledged or requested too (model/work.py)."""
    status = status_of_stage(stage_of(line))
    if item.get("match_offer") and status != "confirmed" and line["source_type"] == "match":
        return None
    return status


# ---------------------------------------------------------------- measuring


@dataclass
class Timing:
    best_wall: float
    best_cpu: float
    walls: list[float]


def time_best(fn: Callable[[], Any], repeat: int) -> tuple[Timing, Any]:
    """Best of `repeat` wall times (perf_counter) and CPU times (process_time); the last result is returned."""
    walls, cpus, result = [], [], None
    for _ in range(repeat):
        result = None
        gc.collect()
        wall, cpu = time.perf_counter(), time.process_time()
        result = fn()
        cpus.append(time.process_time() - cpu)
        walls.append(time.perf_counter() - wall)
    return Timing(min(walls), min(cpus), walls), result


def traced_peak(fn: Callable[[], Any]) -> int:
    """Peak bytes Python allocated while `fn` ran (tracemalloc; slows the run, so it is not timed)."""
    gc.collect()
    tracemalloc.start()
    tracemalloc.reset_peak()
    result = fn()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    del result
    return peak


def max_rss_mib() -> float:
    # ru_maxrss is in KiB on Linux (bytes on macOS).
    scale = 1 if sys.platform == "darwin" else 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * scale / 2**20


# ------------------------------------------------- the vectorised alternative


def _decimals(values: list[Decimal]) -> int:
    """The most decimal places any value has (0 for whole numbers)."""
    return max((max(0, -v.as_tuple().exponent) for v in values), default=0)  # type: ignore[operator]


def _scaled(values: list[Decimal], scale: int) -> np.ndarray:
    """Decimals as exact integers in units of 10**-scale (int64, or Python ints if they would not fit)."""
    ints = [int(v.scaleb(scale)) for v in values]
    if ints and max(abs(i) for i in ints) >= 2**62:
        return np.array(ints, dtype=object)
    return np.array(ints, dtype=np.int64)


@dataclass
class Flat:
    """Every budget and funding line as columns of exact integers, ready for vectorised conversion."""

    item_count: int
    b_item: np.ndarray
    b_currency: np.ndarray
    b_in_kind: np.ndarray
    b_cost: np.ndarray  # cost in units of 10**-b_scale of its own currency
    b_scale: int
    f_item: np.ndarray
    f_currency: np.ndarray
    f_status: np.ndarray
    f_amount: np.ndarray  # in units of 10**-f_scale
    f_scale: int
    rates: np.ndarray  # per currency code, in units of 10**-rate_scale
    rate_scale: int


def flatten(programme: Programme) -> Flat:
    """Records to integer columns. The only per-line Python loop of the vectorised path."""
    rate_values = programme.rate_values()
    currencies = sorted(rate_values)
    code = {c: i for i, c in enumerate(currencies)}
    b_item, b_cur, b_kind, b_in_kind = [], [], [], []
    amount, days, day_rate, staff, meetings = [], [], [], [], []
    f_item, f_cur, f_status, f_amount = [], [], [], []
    one, zero = Decimal(1), Decimal(0)
    work = (*programme.activities, *programme.tasks)
    for index, w in enumerate(work):
        for line in w.data["budget_lines"]:
            kind = line["kind"]
            b_item.append(index)
            b_cur.append(code[line["currency"]])
            b_kind.append(KINDS[kind])
            b_in_kind.append(IN_KIND[line.get("in_kind")])
            cash = kind == "cash"
            amount.append(line["amount"] if cash else zero)
            days.append(zero if cash else line["days"])
            day_rate.append(zero if cash else line["day_rate"])
            staff.append(one if cash else line.get("staff", one))
            meetings.append(one if cash else line.get("meetings", one))
        for line in w.data.get("funding_lines", ()):
            status = counted_status(w.data, line)
            if status is None:
                continue
            f_item.append(index)
            f_cur.append(code[line["currency"]])
            f_status.append(STATUSES[status])
            f_amount.append(line["amount"])
    # Costs: each factor as an exact integer at its own scale; the products are brought to one common scale.
    s_amount, s_days, s_rate, s_staff, s_meet = (_decimals(v) for v in (amount, days, day_rate, staff, meetings))
    b_scale = max(s_amount, s_days + s_rate + s_staff + s_meet)
    kind = np.array(b_kind, dtype=np.int8)
    cost_cash = _scaled(amount, s_amount) * 10 ** (b_scale - s_amount)
    staff_time = _scaled(days, s_days) * _scaled(day_rate, s_rate)
    cost_work = staff_time * _scaled(staff, s_staff) * _scaled(meetings, s_meet) * 10 ** (b_scale - s_days - s_rate - s_staff - s_meet)
    b_cost = np.where(kind == KINDS["cash"], cost_cash, cost_work)
    rate_list = [rate_values[c] for c in currencies]
    rate_scale = _decimals(rate_list)
    f_scale = _decimals(f_amount)
    return Flat(len(work), np.array(b_item, dtype=np.int64), np.array(b_cur, dtype=np.int64), np.array(b_in_kind, dtype=np.int8),
                b_cost, b_scale, np.array(f_item, dtype=np.int64), np.array(f_cur, dtype=np.int64),
                np.array(f_status, dtype=np.int8), _scaled(f_amount, f_scale), f_scale,
                _scaled(rate_list, rate_scale), rate_scale)


def to_cents_half_even(value: np.ndarray, scale: int) -> np.ndarray:
    """Exact integers in units of 10**-scale, rounded half-even to whole cents, in integers only."""
    shift = scale - 2
    if shift <= 0:
        return value * 10 ** (-shift)
    divisor = 10 ** shift
    quotient = value // divisor  # floor division, so the remainder is never negative
    twice_remainder = 2 * (value - quotient * divisor)
    round_up = (twice_remainder > divisor) | ((twice_remainder == divisor) & (quotient % 2 == 1))
    return quotient + round_up


def convert_cents(amount: np.ndarray, scale: int, currency: np.ndarray, rates: np.ndarray, rate_scale: int) -> np.ndarray:
    """amount x rate, exactly, then rounded once to the cent: the integer twin of budget.convert."""
    product = amount * rates[currency]
    if product.dtype != object and np.abs(amount).max(initial=0) * int(rates.max()) >= 2**63:
        product = amount.astype(object) * rates[currency].astype(object)  # would overflow int64: use Python ints
    return to_cents_half_even(product, scale + rate_scale)


def check_rounding() -> bool:
    """to_cents_half_even agrees with Decimal.quantize(ROUND_HALF_EVEN) on ties and near-ties, either sign."""
    values = np.array([c * 1000 + d for c in range(-30, 31) for d in (0, 1, 499, 500, 501, 999)], dtype=np.int64)
    ours = to_cents_half_even(values, 5)
    theirs = [int(Decimal(int(v)).scaleb(-5).quantize(Decimal("0.01"), rounding=ROUND_HALF_EVEN).scaleb(2)) for v in values]
    return [int(x) for x in ours] == theirs


def vectorised_figures(flat: Flat) -> pd.DataFrame:
    """Per item (activities then tasks, in programme order): required, confirmed, pledged, requested, secured, gap in cents."""
    b_cents = convert_cents(flat.b_cost, flat.b_scale, flat.b_currency, flat.rates, flat.rate_scale)
    f_cents = convert_cents(flat.f_amount, flat.f_scale, flat.f_currency, flat.rates, flat.rate_scale)
    budget = pd.DataFrame({"item": flat.b_item, "cents": b_cents, "in_kind": flat.b_in_kind})
    funding = pd.DataFrame({"item": flat.f_item, "cents": f_cents, "status": flat.f_status})
    items = pd.RangeIndex(flat.item_count, name="item")

    def per_item(frame: pd.DataFrame) -> pd.Series:
        return frame.groupby("item", sort=False)["cents"].sum().reindex(items, fill_value=0)

    out = pd.DataFrame(index=items)
    out["required"] = per_item(budget)
    out["confirmed"] = per_item(budget[budget["in_kind"] == IN_KIND["confirmed"]]) + per_item(funding[funding["status"] == STATUSES["confirmed"]])
    out["pledged"] = per_item(budget[budget["in_kind"] == IN_KIND["pledged"]]) + per_item(funding[funding["status"] == STATUSES["pledged"]])
    out["requested"] = per_item(funding[funding["status"] == STATUSES["requested"]])
    out["secured"] = np.minimum(out["confirmed"], out["required"])
    out["gap"] = out["required"] - out["secured"]
    return out


def decimal_reference(programme: Programme) -> pd.DataFrame:
    """Per item, the old Decimal path: each line's amount x rate quantized half-even to the cent, Decimal sums."""
    rates = programme.rate_values()
    rows = []
    for work in (*programme.activities, *programme.tasks):
        required = confirmed = pledged = requested = Decimal(0)
        for line in work.data["budget_lines"]:
            amount = (line_cost(line)[0] * rates[line["currency"]]).quantize(Decimal("0.01"), rounding=ROUND_HALF_EVEN)
            required += amount
            if line.get("in_kind") == "confirmed":
                confirmed += amount
            elif line.get("in_kind") == "pledged":
                pledged += amount
        for line in work.data.get("funding_lines", ()):
            status = counted_status(work.data, line)
            if status is None:
                continue
            amount = (Decimal(str(line["amount"])) * rates[line["currency"]]).quantize(Decimal("0.01"), rounding=ROUND_HALF_EVEN)
            if status == "confirmed":
                confirmed += amount
            elif status == "pledged":
                pledged += amount
            else:
                requested += amount
        secured = min(confirmed, required)
        rows.append((required, confirmed, pledged, requested, secured, required - secured))
    columns = ["required", "confirmed", "pledged", "requested", "secured", "gap"]
    return pd.DataFrame([[int(v.scaleb(2)) for v in row] for row in rows], columns=columns)


def stage_figures(budgeted: BudgetedProgramme) -> pd.DataFrame:
    """The same columns from the stage's figures, as integer cents."""
    rows = []
    for item in (*budgeted.activities, *budgeted.tasks):
        f = item.figures
        rows.append((f.required, f.secured + f.surplus, f.pledged, f.requested, f.secured, f.gap))
    columns = ["required", "confirmed", "pledged", "requested", "secured", "gap"]
    return pd.DataFrame([[int(v.scaleb(2)) for v in row] for row in rows], columns=columns)


def compare(decimal: pd.DataFrame, vectorised: pd.DataFrame) -> list[str]:
    """One line per column: OK when every item agrees to the cent."""
    lines = []
    for column in decimal.columns:
        a = decimal[column].to_numpy(dtype=object)
        b = vectorised[column].to_numpy(dtype=object)
        differ = int(sum(1 for x, y in zip(a, b, strict=False) if int(x) != int(y)))
        total_a, total_b = sum(int(x) for x in a), sum(int(y) for y in b)
        verdict = "OK" if differ == 0 and total_a == total_b and len(a) == len(b) else "MISMATCH"
        lines.append(f"  {column:<10} {verdict:<8} items differing: {differ:>6}   total {total_a / 100:>18,.2f} vs {total_b / 100:>18,.2f}")
    return lines


# ---------------------------------------------------------------- the report


def per_line_part(programme: Programme) -> Any:
    """The per-line work alone: every activity and task costed and funded (budget_work), as the stage runs it
    (with the garbage collector paused)."""
    with collector.paused():
        return programme_module._budget_activities(programme), programme_module._budget_tasks(programme)


def stage_breakdown(programme: Programme) -> list[tuple[str, float]]:
    """Wall time of each step budget_programme calls, from one profiled run: each callee's cumulative time
    under the stage (_budget_programme; cProfile's own overhead included, so the shares are the figure to read). Read from
    the profile rather than by calling the steps by name, so the breakdown follows the stage as it changes."""
    profile = cProfile.Profile()
    profile.enable()
    programme_module.budget_programme(programme)
    profile.disable()
    stats: Any = pstats.Stats(profile).stats
    steps = []
    for (file, _line, name), (_, _, _, _, callers) in stats.items():
        for (caller_file, _, caller_name), (_, _, _, cumulative) in callers.items():
            if caller_name == "_budget_programme" and caller_file.endswith("model/budget.py"):
                steps.append((f"{Path(file).stem}.{name}", cumulative))
    return sorted(steps, key=lambda step: -step[1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=3, help="timed runs per measurement (best is kept)")
    parser.add_argument("--cpu", type=int, default=0, help="core to pin to (-1: do not pin)")
    parser.add_argument("--profile", action="store_true", help="also print a cProfile of budget_programme (top 15 by own time)")
    parser.add_argument("--activities", type=int, default=20_000)
    parser.add_argument("--funding-lines", type=int, default=60_000)
    args = parser.parse_args()

    if args.cpu >= 0 and hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {args.cpu})
    pinned = sorted(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else "n/a"
    print(f"Python {platform.python_version()}, pandas {pd.__version__}, numpy {np.__version__}; CPUs used: {pinned}")

    start = time.perf_counter()
    programme = generate_programme(activities=args.activities, funding_lines=args.funding_lines)
    budget_lines, funding_lines = count_lines(programme)
    all_lines = budget_lines + funding_lines
    print(f"Generated {len(programme.activities):,} activities, {len(programme.tasks):,} tasks, {budget_lines:,} budget lines, "
          f"{funding_lines:,} funding lines in {time.perf_counter() - start:.1f} s; max RSS so far {max_rss_mib():.0f} MiB")

    print(f"\nTiming (best of {args.repeat}) ...", flush=True)
    t_stage, budgeted = time_best(lambda: budget_programme(programme), args.repeat)
    rss_after_stage = max_rss_mib()
    t_lines, _ = time_best(lambda: per_line_part(programme), args.repeat)
    t_flat, flat = time_best(lambda: flatten(programme), args.repeat)
    t_vec, vectorised = time_best(lambda: vectorised_figures(flat), args.repeat)

    print("Peak memory (tracemalloc, one untimed run each) ...", flush=True)
    peak_stage = traced_peak(lambda: budget_programme(programme))
    peak_lines = traced_peak(lambda: per_line_part(programme))
    peak_vec = traced_peak(lambda: vectorised_figures(flatten(programme)))

    rows = [
        ("budget_programme (integer cents, whole stage)", t_stage, peak_stage),
        ("  per-line part only (budget_work x all items)", t_lines, peak_lines),
        ("vectorised: flatten records to int columns", t_flat, None),
        ("vectorised: convert + groupby-sum (numpy/pandas)", t_vec, None),
        ("vectorised: flatten + convert + sum", Timing(t_flat.best_wall + t_vec.best_wall, t_flat.best_cpu + t_vec.best_cpu, []), peak_vec),
    ]
    print(f"\n{'path':<50} {'wall s':>8} {'cpu s':>8} {'funding lines/s':>16} {'all lines/s':>12} {'tracemalloc peak':>17}")
    for name, t, peak in rows:
        print(f"{name:<50} {t.best_wall:>8.3f} {t.best_cpu:>8.3f} {funding_lines / t.best_wall:>16,.0f} {all_lines / t.best_wall:>12,.0f} "
              f"{'' if peak is None else f'{peak / 2**20:,.0f} MiB':>17}")
    print(f"\nAll wall times, whole stage: {', '.join(f'{w:.2f}' for w in t_stage.walls)} s")
    print(f"Max RSS of the process: {rss_after_stage:.0f} MiB after the timed stage runs, {max_rss_mib():.0f} MiB at the end")
    rate = funding_lines / t_stage.best_wall
    print(f"Target {TARGET_FUNDING_LINES_PER_SECOND:,} funding lines/s through the budget stage: "
          f"{'MET' if rate >= TARGET_FUNDING_LINES_PER_SECOND else 'MISSED'} ({rate:,.0f}/s)")

    print("\nStage breakdown (one run, wall s):")
    for name, seconds in stage_breakdown(programme):
        print(f"  {name:<40} {seconds:>8.3f}")

    reference = decimal_reference(programme)
    print("\nThe stage (integer cents) against the Decimal reference, per activity and task:")
    checks = compare(reference, stage_figures(budgeted))
    print("\n".join(checks))
    print("\nThe vectorised numpy form against the Decimal reference, per activity and task:")
    vector_checks = compare(reference, vectorised)
    vector_checks.append(f"  {'rounding':<10} {'OK' if check_rounding() else 'MISMATCH':<8} integer half-even against Decimal.quantize on ties")
    print("\n".join(vector_checks))
    checks += vector_checks
    print("EXACT MATCH: OK" if all(" OK " in c for c in checks) else "EXACT MATCH: MISMATCH")

    if args.profile:
        profiler = cProfile.Profile()
        profiler.enable()
        budget_programme(programme)
        profiler.disable()
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(15)
        print("\ncProfile of budget_programme, top 15 by own time:")
        print(out.getvalue())


if __name__ == "__main__":
    main()

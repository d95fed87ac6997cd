#!/usr/bin/env python3
"""Time the gate's validation on 20,000 generated activities: schema per record, the GX suites, the plain checks.

Usage:  python benchmarks/bench_validation.py [ACTIVITIES]      (default 20000)

Records are generated in memory in the shapes the loader produces for
tests/fixtures/small.py (money as Decimal, dates as ISO text), seeded, so two
runs time the same data. Each stage runs on clean data and again with 5% of
the activities broken (half of them break their schema, half a cross-record
rule). Prints figures; asserts nothing.
"""

from __future__ import annotations

import copy
import random
import sys
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run as a script: the package is one level up

from catalogue.checks.ids import check_all_unique_ids  # noqa: E402
from catalogue.checks.schema import validate_records  # noqa: E402
from catalogue.config import PROJECT_ROOT  # noqa: E402
from catalogue.inputs.load import load_inputs  # noqa: E402
from catalogue.inputs.records import Record  # noqa: E402
from catalogue.inputs.settings import CatalogueSettings  # noqa: E402
from catalogue.issues import Location  # noqa: E402

SEED = 20251124
BAD_SHARE = 0.05
PARTNERS = 200
PRIORITIES = 60
TASKS = 50
SETTINGS = CatalogueSettings.from_record({
    "reporting_currency": "USD", "period": {"start": "2024-01-01", "end": "2026-12-31"}, "as_at": "2025-06-30"})
RATES = {"USD": "1", "EUR": "1.10", "GBP": "1.3715"}
WORDS = ["flyway", "bustard", "bycatch", "wetland", "survey", "outreach", "marking", "corridor", "monitoring", "training"]


def _record(kind: str, data: dict[str, Any], file: str, sheet: str, row: int) -> Record:
    return Record(kind, data, Location(file, sheet=sheet, row=row))


def _budget_lines(rng: random.Random) -> list[dict[str, Any]]:
    lines: list[dict[str, Any]] = []
    for number in range(1, rng.randint(1, 3) + 1):
        kind = rng.choice(["cash", "cash", "staff_time", "meetings"])
        currency = rng.choice(["USD", "USD", "EUR", "GBP"])
        line: dict[str, Any] = {"line": number, "kind": kind, "description": "Cost", "currency": currency}
        if kind == "cash":
            line["amount"] = Decimal(rng.randint(1_000, 90_000)) + Decimal(rng.randint(0, 99)) / 100
        elif kind == "staff_time":
            line |= {"days": Decimal(rng.randint(5, 60)), "day_rate": Decimal(rng.choice([280, 300, 320, 350])),
                     "in_kind": "confirmed", "in_kind_source": "Partner"}
        else:
            line |= {"staff": rng.randint(1, 5), "meetings": rng.randint(1, 4), "days": Decimal(rng.randint(1, 5)),
                     "day_rate": Decimal(365), "in_kind": "pledged", "in_kind_source": "Partner"}
        lines.append(line)
    return lines


def _funding_lines(rng: random.Random) -> list[dict[str, Any]]:
    return [{"line": number, "source": rng.choice(["Sea Trust", "Government of Testland", "Own funds"]),
             "source_type": rng.choice(["voluntary_contribution", "partner_own_funds", "other"]),
             "status": rng.choice(["confirmed", "pledged", "requested"]),
             "amount": Decimal(rng.randint(500, 40_000)), "currency": rng.choice(["USD", "EUR"])}
            for number in range(1, rng.randint(0, 2) + 1)]


def _dates(rng: random.Random) -> tuple[str, str]:
    start_year = rng.choice([2024, 2025])
    return f"{start_year}-{rng.randint(1, 12):02d}-01", f"{rng.randint(start_year, 2026)}-12-31"


def generate_records(activities: int, seed: int = SEED) -> dict[str, list[Record]]:
    """A programme of the fixture's shapes at scale: partners, priorities, FX rates, tasks and `activities` activities."""
    rng = random.Random(seed)
    priority_ids = [f"RES-14.{n}" for n in range(1, PRIORITIES + 1)]
    partner_ids = [f"P-ORG{n:03d}" for n in range(PARTNERS)]
    records: dict[str, list[Record]] = {
        "fx_rate": [_record("fx_rate", {"currency": c, "rate": Decimal(r), "date": "2025-06-30", "source": "Test rate"},
                            "fx_rates.csv", "", row) for row, (c, r) in enumerate(RATES.items(), start=2)],
        "partner": [_record("partner", {"id": pid, "name": f"Organisation {pid}", "short_name": pid[2:],
                                        "contact": {"name": "Ana", "role": "Focal point", "email": "cms@example.org"}},
                            "partners.csv", "", row) for row, pid in enumerate(partner_ids, start=2)],
        "priority": [_record("priority", {"id": pid, "kind": "resolution", "title": f"Resolution {pid}", "cop": 14},
                             "priorities.csv", "", row) for row, pid in enumerate(priority_ids, start=2)],
        "secretariat_task": [],
        "workplan_activity": [],
    }
    for n in range(1, TASKS + 1):
        start, end = _dates(rng)
        records["secretariat_task"].append(_record("secretariat_task", {
            "id": f"ST-{n:03d}", "priority_ids": rng.sample(priority_ids, rng.randint(1, 2)), "title": f"Task {n}",
            "start": start, "end": end, "budget_lines": _budget_lines(rng), "funding_lines": _funding_lines(rng)},
            "secretariat_tasks.xlsx", "Tasks", n + 1))
    for n in range(activities):
        partner_id = partner_ids[n % PARTNERS]
        number = n // PARTNERS + 1
        start, end = _dates(rng)
        data: dict[str, Any] = {
            "id": f"{partner_id[2:]}-{number:03d}", "partner_id": partner_id,
            "priority_ids": rng.sample(priority_ids, rng.randint(1, 2)),
            "title": f"{' '.join(rng.sample(WORDS, 3)).capitalize()} {number}", "description": "Work.",
            "countries": ["IN"], "start": start, "end": end, "status": rng.choice(["planned", "ongoing", "completed"]),
            "budget_lines": _budget_lines(rng), "funding_lines": _funding_lines(rng)}
        if rng.random() < 0.1:
            data["match_offer"] = {"up_to": Decimal(10_000), "currency": "USD", "ratio": Decimal(1)}
        records["workplan_activity"].append(_record("workplan_activity", data, f"workplans/{partner_id}.xlsx",
                                                    "Activities", number + 1))
    return records


def _break_schema(data: dict[str, Any], rng: random.Random) -> None:
    change = rng.randrange(3)
    if change == 0:
        data["status"] = "maybe"
    elif change == 1:
        data["end"] = "31/02/2024"
    else:
        data["budget_lines"][0]["currency"] = "usd"


def _break_rule(data: dict[str, Any], rng: random.Random, twin: dict[str, Any]) -> None:
    change = rng.randrange(6)
    if change == 0:
        data["priority_ids"] = ["DEC-99.999"]
    elif change == 1:
        data["budget_lines"][0]["currency"] = "XYZ"
    elif change == 2:
        data["start"], data["end"] = "2025-06-01", "2024-06-01"
    elif change == 3:
        data["budget_lines"][0] |= {"kind": "staff_time", "days": Decimal(20), "day_rate": Decimal(6000)}
        data["budget_lines"][0].pop("amount", None)
    elif change == 4:
        data["budget_lines"].append(dict(data["budget_lines"][0]))  # line 1 twice
    else:
        data["title"], data["start"], data["end"] = twin["title"], twin["start"], twin["end"]


def with_bad_records(records: dict[str, list[Record]], share: float, seed: int = SEED) -> dict[str, list[Record]]:
    """A copy with `share` of the activities broken: half fail their schema, half a cross-record rule."""
    rng = random.Random(seed + 1)
    broken = {kind: list(kind_records) for kind, kind_records in records.items()}
    activities = broken["workplan_activity"]
    for index in rng.sample(range(PARTNERS, len(activities)), int(len(activities) * share)):
        record = activities[index]
        data = copy.deepcopy(record.data)
        if rng.random() < 0.5:
            _break_schema(data, rng)
        else:
            _break_rule(data, rng, twin=activities[index - PARTNERS].data)  # same partner, an earlier activity
        activities[index] = Record(record.kind, data, record.origin)
    return broken


def _timed(action: Callable[[], Any]) -> tuple[Any, float]:
    started = time.perf_counter()
    result = action()
    return result, time.perf_counter() - started


def _validate(records: dict[str, list[Record]]) -> tuple[dict[str, list[Record]], list]:
    valid: dict[str, list[Record]] = {}
    issues: list = []
    for kind, kind_records in records.items():
        valid[kind], found, _ = validate_records(kind_records)
        issues.extend(found)
    return valid, issues


def _line(label: str, seconds: float, records: int, found: int) -> None:
    print(f"  {label:<34} {seconds:8.3f} s  {records / seconds:>12,.0f} records/s  {found:>6} issues")


def bench(label: str, records: dict[str, list[Record]], settings: CatalogueSettings) -> None:
    from catalogue.checks.frames import build_frames
    from catalogue.checks.rules import run_expectation_suites, run_rules_quickly

    total = sum(len(kind_records) for kind_records in records.values())
    activities = len(records["workplan_activity"])
    print(f"{label}: {activities:,} activities, {total:,} records in all")
    (valid, schema_issues), seconds = _timed(lambda: _validate(records))
    _line("(a) schema, per record", seconds, total, len(schema_issues))
    valid_total = sum(len(kind_records) for kind_records in valid.values())
    _, seconds = _timed(lambda: build_frames(valid))
    _line("    DataFrames built", seconds, valid_total, 0)
    found, seconds = _timed(lambda: run_expectation_suites(valid, settings))
    _line("(b) GX suites (incl. frames)", seconds, valid_total, len(found))
    found, seconds = _timed(lambda: run_rules_quickly(valid, settings))
    _line("(b) same suites, checks/quick.py", seconds, valid_total, len(found))
    found, seconds = _timed(lambda: check_all_unique_ids(valid))
    _line("(c) id uniqueness (plain Python)", seconds, valid_total, len(found))


def main() -> None:
    activities = int(sys.argv[1]) if len(sys.argv) > 1 else 20_000
    _, seconds = _timed(lambda: __import__("great_expectations"))
    print(f"import great_expectations: {seconds:.2f} s (paid once per process, not counted below)")
    import great_expectations as gx

    _, seconds = _timed(lambda: gx.get_context(mode="ephemeral"))
    print(f"ephemeral context: {seconds:.3f} s")

    loaded = load_inputs(PROJECT_ROOT / "inputs")
    if loaded.settings is not None:
        bench("sample inputs/", loaded.records, CatalogueSettings.from_record(loaded.settings.data))
    clean, seconds = _timed(lambda: generate_records(activities))
    print(f"generated in {seconds:.2f} s")
    bench("clean", clean, SETTINGS)
    bench(f"{BAD_SHARE:.0%} bad", with_bad_records(clean, BAD_SHARE), SETTINGS)


if __name__ == "__main__":
    main()

"""Write a synthetic input set the size of the whole CMS Family, as real files the loader reads.

    python benchmarks/generate.py OUT_DIR [--activities 20000] [--funding-lines 60000] [--partners 500]
                                          [--priorities 200] [--tasks 2000] [--donors 50] [--seed 1]

The data come from benchmarks/scale_data.generate_programme (seeded, deterministic,
schema-valid); this script only lays them out as a partner would send them:
settings.json, fx_rates.csv, partners.csv, priorities.csv, secretariat_tasks.xlsx,
one workbook per partner in workplans/ and one JSON profile per donor in donors/.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import sys
import time
from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from openpyxl import Workbook  # noqa: E402

from benchmarks.scale_data import REGIONS, TAXA, generate_programme  # noqa: E402
from catalogue.inputs.files import CHILD_SHEETS, MAIN_SHEETS  # noqa: E402
from catalogue.inputs.schemas import kind_spec  # noqa: E402

LIST_SEPARATOR = "; "


def _cell(value: Any) -> Any:
    if isinstance(value, list):
        return LIST_SEPARATOR.join(str(v) for v in value)
    if isinstance(value, Decimal):
        return str(value)  # text keeps every digit; the loader reads it exactly
    return value


def _flat(data: dict[str, Any], columns: list[str]) -> list[Any]:
    row = []
    for column in columns:
        value: Any = data
        for key in column.split("/"):
            value = value.get(key) if isinstance(value, dict) else None
        row.append(_cell(value))
    return row


def _write_csv(path: Path, columns: list[str], records: Iterable[dict[str, Any]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(columns)
        writer.writerows(_flat(r, columns) for r in records)


def _write_nested_workbook(path: Path, kind: str, parent_key: str, records: list[dict[str, Any]]) -> None:
    """Main sheet plus Budget and Funding sheets keyed by the parent id, in write-only mode (fast, low memory)."""
    spec = kind_spec(kind)
    book = Workbook(write_only=True)
    main_columns = list(spec.main.fields)
    sheet = book.create_sheet(MAIN_SHEETS[kind])
    sheet.append(main_columns)
    for record in records:
        sheet.append(_flat(record, main_columns))
    for prop, table in spec.children.items():
        columns = list(table.fields)
        child = book.create_sheet(CHILD_SHEETS[prop])
        child.append([parent_key, *columns])
        for record in records:
            for line in record.get(prop, []):
                child.append([record["id"], *_flat(line, columns)])
    book.save(path)


def _donors(rng: random.Random, count: int, priority_ids: list[str]) -> list[dict[str, Any]]:
    donors = []
    for i in range(count):
        currency = rng.choice(["USD", "EUR", "GBP", "CHF"])
        low = rng.choice([10_000, 25_000, 50_000, 100_000])
        donors.append({
            "id": f"D-SYN-{i + 1:03d}", "name": f"Synthetic donor {i + 1}",
            "kind": rng.choice(["government", "foundation", "association", "multilateral", "private"]),
            "contact": {"name": f"Donor contact {i + 1}", "role": "Programme officer", "email": f"grants{i + 1}@donor.example.org"},
            "taxa": rng.sample(TAXA, rng.randint(1, 3)), "regions": rng.sample(REGIONS[:-1], rng.randint(1, 2)),
            "strategic_plan_targets": sorted(rng.sample(range(1, 17), rng.randint(1, 4))),
            "keywords": rng.sample(["flyways", "wetlands", "bycatch", "cetaceans", "wildlife crime", "climate", "connectivity"], 2),
            "ticket_min": str(low), "ticket_max": str(low * rng.choice([5, 10, 20])), "currency": currency,
            "language": rng.choice(["en", "en", "en", "fr", "es"]), "match_funding": rng.random() < 0.5,
            "exclude_priority_ids": rng.sample(priority_ids, 1) if rng.random() < 0.2 else [],
        })
    return donors


def write_inputs(out: Path, activities: int = 20_000, funding_lines: int = 60_000, partners: int = 500,
                 priorities: int = 200, tasks: int = 2_000, donors: int = 50, seed: int = 1) -> dict[str, int]:
    programme = generate_programme(activities, funding_lines, partners, priorities, tasks, seed)
    (out / "workplans").mkdir(parents=True, exist_ok=True)
    (out / "donors").mkdir(exist_ok=True)
    s = programme.settings
    (out / "settings.json").write_text(json.dumps({
        "title": s.title, "edition": s.edition, "reporting_currency": s.reporting_currency,
        "period": {"start": s.period_start.isoformat(), "end": s.period_end.isoformat()},
        "as_at": s.as_at.isoformat(), "locale": s.locale, "languishing_coverage_threshold": "0.25"}, indent=2))
    _write_csv(out / "fx_rates.csv", ["currency", "rate", "date", "source"],
               ({"currency": r.currency, "rate": r.rate, "date": r.date.isoformat(), "source": r.source} for r in programme.rates.values()))
    _write_csv(out / "partners.csv", list(kind_spec("partner").main.fields), programme.partners.values())
    _write_csv(out / "priorities.csv", list(kind_spec("priority").main.fields), programme.priorities.values())
    _write_nested_workbook(out / "secretariat_tasks.xlsx", "secretariat_task", "task_id", [w.data for w in programme.tasks])
    by_partner: dict[str, list[dict[str, Any]]] = {pid: [] for pid in programme.partners}
    for work in programme.activities:
        by_partner[work.data["partner_id"]].append(work.data)
    for partner_id, records in by_partner.items():
        _write_nested_workbook(out / "workplans" / f"{partner_id}.xlsx", "workplan_activity", "activity_id", records)
    for donor in _donors(random.Random(seed), donors, list(programme.priorities)):
        (out / "donors" / f"{donor['id']}.json").write_text(json.dumps(donor, indent=2), encoding="utf-8")
    return {"partners": len(programme.partners), "priorities": len(programme.priorities), "tasks": len(programme.tasks),
            "activities": len(programme.activities), "donors": donors,
            "funding_lines": sum(len(w.data.get("funding_lines", [])) for w in (*programme.activities, *programme.tasks))}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path)
    for name, default in (("activities", 20_000), ("funding-lines", 60_000), ("partners", 500), ("priorities", 200),
                          ("tasks", 2_000), ("donors", 50), ("seed", 1)):
        parser.add_argument(f"--{name}", type=int, default=default)
    args = parser.parse_args()
    started = time.perf_counter()
    counts = write_inputs(args.out, args.activities, args.funding_lines, args.partners, args.priorities, args.tasks,
                          args.donors, args.seed)
    print(", ".join(f"{v:,} {k.replace('_', ' ')}" for k, v in counts.items()) + f" written to {args.out} in {time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()

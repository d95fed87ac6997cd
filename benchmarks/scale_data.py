"""A deterministic synthetic programme at catalogue scale, for benchmarks.

`generate_programme()` builds a `merge.Programme` directly, in the shape the
loader and merge stage produce (schema-valid dicts, money as `Decimal`), so a
benchmark can time any stage after merge without touching the disk. The same
seed always gives the same programme.

The mix is modelled on the sample inputs: cash, staff time and meetings lines
(1-4 per activity, some in kind); confirmed, pledged and requested funding in
USD, EUR, GBP, CHF and AUD with two-decimal amounts; about one item in twenty
over-funded; about one activity in ten with a match offer; periods inside
2024-2026, many spanning several years; a few grant references claimed twice.
"""

from __future__ import annotations

import random
import sys
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

# Run as a script (python benchmarks/...), the package is one level up.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from catalogue.inputs.settings import CatalogueSettings  # noqa: E402
from catalogue.model.catalogue import FxRate  # noqa: E402
from catalogue.model.merge import Programme, Work  # noqa: E402

AS_AT = date(2025, 6, 30)
PERIOD_START, PERIOD_END = date(2024, 1, 1), date(2026, 12, 31)
# Illustrative rates to USD, as in inputs/fx_rates.csv: four decimals, so half-even rounding is exercised.
RATES = {"AUD": Decimal("0.6555"), "CHF": Decimal("1.2560"), "EUR": Decimal("1.1720"),
         "GBP": Decimal("1.3715"), "USD": Decimal("1.0000")}
CURRENCY_WEIGHTS = {"USD": 45, "EUR": 30, "GBP": 10, "CHF": 8, "AUD": 7}

TAXA = ["birds", "aquatic mammals", "terrestrial mammals", "bats", "marine turtles", "fish", "insects"]
REGIONS = ["Africa", "Asia", "Europe", "North America", "Oceania", "South and Central America and the Caribbean", "Global"]
PRIORITY_KINDS = {"RES": "resolution", "DEC": "decision", "CA": "concerted_action", "AP": "action_plan", "POW": "programme_of_work"}
RANKS = ["core", "high", "medium", "low", None]
ADDRESSED_TO = ["Parties", "Secretariat", "Scientific Council", "Standing Committee", "Partners", "Range States"]
COUNTRIES = ["KE", "TZ", "IN", "PK", "FR", "ES", "DE", "BR", "AU", "NZ", "ZA", "MA", "PE", "MN", "KZ", "PH"]
ORG_WORDS = ["Wildlife", "Ocean", "Flyway", "Migratory", "Wetland", "Savanna", "Coastal", "Steppe", "Reef", "Highland"]
ORG_KINDS = ["Trust", "Alliance", "Society", "Foundation", "Network", "Institute", "Conservancy"]
DONORS = ["Government of Germany (BMUV)", "Government of Australia (DCCEEW)", "European Commission (DG ENV)",
          "Government of Switzerland (FOEN)", "Government of the United Kingdom (Defra)", "Tidewater Foundation",
          "Kestrel Fund for Nature", "Sea Trust", "Global Environment Facility", "Principality of Monaco"]
CURRENCY_OF_DONOR = {"Government of Germany (BMUV)": "EUR", "Government of Australia (DCCEEW)": "AUD",
                     "European Commission (DG ENV)": "EUR", "Government of Switzerland (FOEN)": "CHF",
                     "Government of the United Kingdom (Defra)": "GBP", "Principality of Monaco": "EUR"}
UNITS = ["Science and Climate", "Aquatic Species", "Avian Species", "Terrestrial Species", "Capacity Building", "Executive Office"]

CENT = Decimal("0.01")


def _weighted(rng: random.Random, weights: dict[str, int]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _money(rng: random.Random, low: int, high: int) -> Decimal:
    """A two-decimal amount between low and high (whole currency units)."""
    return Decimal(rng.randint(low * 100, high * 100)) * CENT


def _period(rng: random.Random) -> tuple[str, str]:
    """Start and end inside 2024-2026; about half the periods cross a year end."""
    span_days = (PERIOD_END - PERIOD_START).days
    length = rng.choice([90, 180, 270, 365, 365, 540, 730, 1095])
    start = PERIOD_START + timedelta(days=rng.randint(0, max(0, span_days - length)))
    end = min(PERIOD_END, start + timedelta(days=length - 1))
    return start.isoformat(), end.isoformat()


def _priorities(rng: random.Random, count: int) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    prefixes = list(PRIORITY_KINDS)
    for i in range(count):
        prefix = prefixes[i % len(prefixes)]
        cop = rng.randint(11, 14)
        pid = f"{prefix}-{cop}.{i + 1:03d}"
        record: dict[str, Any] = {
            "id": pid, "kind": PRIORITY_KINDS[prefix], "title": f"Synthetic {PRIORITY_KINDS[prefix].replace('_', ' ')} {i + 1}",
            "cop": cop, "addressed_to": rng.sample(ADDRESSED_TO, rng.randint(1, 3)),
            "strategic_plan_targets": sorted(rng.sample(range(1, 17), rng.randint(0, 3))),
            "taxa": rng.sample(TAXA, rng.choice([0, 1, 1, 2, 3])),
            "regions": rng.sample(REGIONS, rng.choice([1, 1, 2, 3])),
            "instrument": rng.choice(["CMS", "CMS", "AEWA", "EUROBATS", "ASCOBANS", ""]),
        }
        rank = rng.choice(RANKS)
        if rank:
            record["rank"] = rank
        if not record["instrument"]:
            del record["instrument"]
        out[pid] = record
    return dict(sorted(out.items()))


def _partners(rng: random.Random, count: int) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for i in range(count):
        word, kind = rng.choice(ORG_WORDS), rng.choice(ORG_KINDS)
        short = f"{word[:3].upper()}{kind[0]}{i + 1:03d}"
        out[f"P-{short}"] = {
            "id": f"P-{short}", "name": f"{word} {kind} {i + 1}", "short_name": short,
            "taxa": rng.sample(TAXA, rng.randint(1, 3)), "themes": ["monitoring"], "regions": rng.sample(REGIONS, rng.randint(1, 2)),
            "countries": rng.sample(COUNTRIES, rng.randint(1, 4)), "non_party_countries": [],
            "contact": {"name": f"Contact {i + 1}", "role": "CMS focal point", "email": f"cms@{short.lower()}.example.org"},
            "expertise": ["field surveys"], "languages": ["en"], "agreement_date": f"{rng.randint(2005, 2023)}-05-01",
        }
    return dict(sorted(out.items()))


def _budget_lines(rng: random.Random, in_kind_source: str | None) -> list[dict[str, Any]]:
    lines: list[dict[str, Any]] = []
    for n in range(1, rng.randint(1, 4) + 1):
        kind = rng.choices(["cash", "staff_time", "meetings"], weights=[60, 25, 15])[0]
        currency = _weighted(rng, CURRENCY_WEIGHTS)
        line: dict[str, Any] = {"line": n, "kind": kind, "description": f"{kind.replace('_', ' ')} line {n}", "currency": currency}
        if kind == "cash":
            line["amount"] = _money(rng, 500, 150_000)
        else:
            # Half days and two-decimal day rates occur in real sheets: costs with three decimals before conversion.
            line["days"] = Decimal(rng.randint(2, 400)) / 2 if kind == "staff_time" else Decimal(rng.randint(1, 6))
            line["day_rate"] = _money(rng, 150, 900) if rng.random() < 0.3 else Decimal(rng.randint(150, 900))
            if kind == "meetings":
                line["staff"] = Decimal(rng.randint(1, 8))
                line["meetings"] = Decimal(rng.randint(1, 6))
            if rng.random() < 0.35:
                line["in_kind"] = rng.choices(["confirmed", "pledged"], weights=[3, 1])[0]
                if in_kind_source is not None and rng.random() < 0.5:
                    line["in_kind_source"] = in_kind_source
        lines.append(line)
    return lines


def _approx_required_usd(lines: list[dict[str, Any]]) -> Decimal:
    """Roughly what the lines cost in USD: only to size the funding lines, not a figure the catalogue uses."""
    total = Decimal(0)
    for line in lines:
        if line["kind"] == "cash":
            cost = line["amount"]
        elif line["kind"] == "staff_time":
            cost = line["days"] * line["day_rate"]
        else:
            cost = line["staff"] * line["meetings"] * line["days"] * line["day_rate"]
        total += cost * RATES[line["currency"]]
    return total


def _funding_lines(rng: random.Random, count: int, required_usd: Decimal, sources: list[tuple[str, str]],
                   grant_refs: list[str]) -> list[dict[str, Any]]:
    """`count` lines whose confirmed share is usually below the requirement and sometimes (1 in 20) above it."""
    over_funded = rng.random() < 0.05
    target_share = Decimal(rng.randint(105, 160)) / 100 if over_funded else Decimal(rng.randint(5, 95)) / 100
    weights = [rng.randint(1, 10) for _ in range(count)]
    total_weight = sum(weights)
    lines: list[dict[str, Any]] = []
    for n in range(1, count + 1):
        source, source_type = rng.choice(sources)
        status = "confirmed" if over_funded else rng.choices(["confirmed", "pledged", "requested"], weights=[55, 20, 25])[0]
        currency = CURRENCY_OF_DONOR.get(source) or _weighted(rng, CURRENCY_WEIGHTS)
        usd = required_usd * target_share * weights[n - 1] / total_weight
        amount = max(CENT, (usd / RATES[currency]).quantize(CENT))
        line: dict[str, Any] = {"line": n, "source": source, "source_type": source_type, "status": status,
                                "amount": amount, "currency": currency}
        if source_type in ("voluntary_contribution", "other") and rng.random() < 0.7:
            # One reference in two hundred is reused: the double counting the budget must flag.
            if grant_refs and rng.random() < 0.005:
                line["grant_ref"] = rng.choice(grant_refs)
            else:
                line["grant_ref"] = f"GR-{len(grant_refs) + 1:06d}"
                grant_refs.append(line["grant_ref"])
        lines.append(line)
    return lines


def _spread(rng: random.Random, total: int, items: int) -> list[int]:
    """`total` funding lines spread at random over `items` (some get none: unfunded work exists)."""
    counts = [0] * items
    for _ in range(total):
        counts[rng.randrange(items)] += 1
    return counts


def generate_programme(activities: int = 20_000, funding_lines: int = 60_000, partners: int = 500,
                       priorities: int = 200, tasks: int = 2_000, seed: int = 1) -> Programme:
    """A synthetic, schema-shaped programme; `funding_lines` is the total over activities and tasks."""
    rng = random.Random(seed)
    settings = CatalogueSettings(reporting_currency="USD", period_start=PERIOD_START, period_end=PERIOD_END,
                                 as_at=AS_AT, title="Synthetic benchmark programme", edition="scale")
    rates = {c: FxRate(c, r, AS_AT, "Illustrative rate") for c, r in sorted(RATES.items())}
    priority_records = _priorities(rng, priorities)
    partner_records = _partners(rng, partners)
    priority_ids = list(priority_records)
    partner_ids = list(partner_records)
    counts = _spread(rng, funding_lines, activities + tasks)
    grant_refs: list[str] = []

    activity_work: list[Work] = []
    for i in range(activities):
        partner = partner_records[partner_ids[i % len(partner_ids)]]
        short = partner["short_name"]
        start, end = _period(rng)
        budget = _budget_lines(rng, short)
        sources = [(f"{short} own funds", "partner_own_funds"), *((d, "voluntary_contribution") for d in DONORS[:5]),
                   *((d, "other") for d in DONORS[5:]), ("Donor match pool", "match")]
        data: dict[str, Any] = {
            "id": f"{short}-{i + 1:05d}", "partner_id": partner["id"],
            "priority_ids": rng.sample(priority_ids, rng.choice([1, 1, 1, 2, 3])),
            "title": f"Synthetic activity {i + 1}", "description": "Generated for benchmarks.",
            "countries": rng.sample(COUNTRIES, rng.randint(1, 3)), "start": start, "end": end,
            "status": rng.choice(["planned", "ongoing", "completed", "suspended"]),
            "budget_lines": budget,
            "funding_lines": _funding_lines(rng, counts[i], _approx_required_usd(budget), sources, grant_refs),
        }
        if rng.random() < 0.1:
            currency = _weighted(rng, CURRENCY_WEIGHTS)
            data["match_offer"] = {"up_to": Decimal(rng.randint(5, 100) * 1000), "currency": currency,
                                   "ratio": rng.choice([Decimal("1"), Decimal("0.5"), Decimal("2")]),
                                   "note": f"{short} matches new donor money from its own funds."}
        activity_work.append(Work(data, f"workplans/{partner['id']}.xlsx: Activities row {i + 2}"))

    task_work: list[Work] = []
    for i in range(tasks):
        start, end = _period(rng)
        budget = _budget_lines(rng, None)
        # A Secretariat task is sometimes paid by a partner: the double-counting check must look at those.
        partner = partner_records[rng.choice(partner_ids)]
        sources = [("CMS core budget", "core_budget"), ("CMS core budget", "core_budget"),
                   *((d, "voluntary_contribution") for d in DONORS[:5]), (partner["name"], "other")]
        data = {
            "id": f"ST-{i + 1:05d}", "priority_ids": rng.sample(priority_ids, rng.choice([1, 1, 2])),
            "title": f"Synthetic Secretariat task {i + 1}", "description": "Generated for benchmarks.",
            "unit": rng.choice(UNITS), "start": start, "end": end, "budget_lines": budget,
            "funding_lines": _funding_lines(rng, counts[activities + i], _approx_required_usd(budget), sources, grant_refs),
        }
        task_work.append(Work(data, f"secretariat_tasks.xlsx: Tasks row {i + 2}"))

    activity_work.sort(key=lambda w: w.id)
    return Programme(settings=settings, rates=rates, priorities=priority_records, partners=partner_records,
                     activities=tuple(activity_work), tasks=tuple(task_work))


def count_lines(programme: Programme) -> tuple[int, int]:
    """(budget lines, funding lines) over all activities and tasks."""
    work = (*programme.activities, *programme.tasks)
    return (sum(len(w.data["budget_lines"]) for w in work), sum(len(w.data.get("funding_lines", [])) for w in work))


if __name__ == "__main__":
    p = generate_programme()
    budget_lines, funding = count_lines(p)
    print(f"{len(p.activities)} activities, {len(p.tasks)} tasks, {len(p.partners)} partners, "
          f"{len(p.priorities)} priorities, {budget_lines} budget lines, {funding} funding lines")

"""One activity or task budgeted: its lines costed and converted, its figures, years, timing, offer and co-funding.

The rules of each figure are in costing.py (lines, secured, gap), years.py (money by year), timing.py (open,
past, suspended) and leverage.py (what a match offer unlocks). Co-funding is on the basis of `secured`: when an
activity's confirmed money passes its requirement, the implementer's own money counts in proportion to its
share of all confirmed money (largest remainder, to the cent), and the rest of it is its part of the surplus.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from operator import itemgetter
from typing import Any

from catalogue.inputs.donor_register import (
    DEFAULT_EARMARKING,
    DEFAULT_INSTRUMENT,
    DonorDirectory,
    stage_of,
    status_of_stage,
)
from catalogue.model.catalogue import CostLine, Figures, FundingLine, MatchOffer, YearFigures
from catalogue.model.costing import Cents, figures_from_cents, item_cents, item_status, line_cost
from catalogue.model.leverage import unlocked
from catalogue.model.timing import OPEN, timing_of
from catalogue.model.years import YearLedger, days_per_year
from catalogue.money import allocate_cents, convert, convert_cents, from_cents

_LINE_NUMBER = itemgetter("line")
MATCH = "match"


@dataclass(frozen=True)
class BudgetedWork:
    """One activity's or task's lines and figures."""

    figures: Figures
    cents: Cents  # the same figures in whole cents, for the sums above the item
    years: dict[int, Cents]  # the figures by year, in cents; they add up to `cents`
    timing: str  # open | past | suspended
    budget_lines: tuple[CostLine, ...]
    funding_lines: tuple[FundingLine, ...]
    match_offer: MatchOffer | None
    own_cash: Decimal  # the implementer's own confirmed cash (partner_own_funds lines), capped basis
    own_in_kind: Decimal  # its own confirmed in-kind lines, capped basis
    own_surplus: Decimal  # its own money above the requirement
    raised: Decimal  # third parties' confirmed money on it, on the capped basis (secured less the own part)

    def year_figures(self) -> tuple[YearFigures, ...]:
        """The item's Decimal figures for each year, in year order, each with its own item status."""
        return tuple(YearFigures(year, figures_from_cents(c, item_status(c))) for year, c in self.years.items())


def implementer_names(name: str, short_name: str) -> frozenset[str]:
    """The names (lower case) under which an implementer's in-kind lines count as its own co-funding."""
    return frozenset({name.strip().lower(), short_name.strip().lower()})


def is_own_in_kind(source: str | None, own_names: frozenset[str]) -> bool:
    """An in-kind line with no source, or one naming the implementer itself, is the implementer's own contribution."""
    return source is None or source.strip().lower() in own_names


def _num(value: Any) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(str(value))


def _in_kind_donor(line: Mapping[str, Any], donors: DonorDirectory, own_donor: str | None,
                   own_names: frozenset[str]) -> str | None:
    if not line.get("in_kind"):
        return None
    source = line.get("in_kind_source")
    if line.get("in_kind_donor") is None and is_own_in_kind(source, own_names):
        return own_donor
    return donors.resolve(line.get("in_kind_donor"), source)


def _cost_lines(lines: Iterable[Mapping[str, Any]], rates: Mapping[str, Decimal], own_names: frozenset[str],
                ledger: YearLedger, donors: DonorDirectory, own_donor: str | None) -> tuple[tuple[CostLine, ...], int]:
    """Every budget line costed (formula text built here, once), converted and put in its years; the
    implementer's own confirmed in-kind cents."""
    out: list[CostLine] = []
    own = 0
    for line in sorted(lines, key=_LINE_NUMBER):
        original, formula = line_cost(line)
        currency = line["currency"]
        rate = rates[currency]
        cents = convert_cents(original, rate)
        in_kind = line.get("in_kind")
        source = line.get("in_kind_source")
        year = line.get("year")
        out.append(CostLine(line["line"], line["kind"], line.get("description", ""), currency,
                            original, formula, rate, from_cents(cents), in_kind, source, year,
                            _in_kind_donor(line, donors, own_donor, own_names)))
        ledger.add(ledger.required, cents, year)
        if in_kind == "confirmed":
            ledger.add(ledger.confirmed, cents, year)
            if is_own_in_kind(source, own_names):
                own += cents
        elif in_kind == "pledged":
            ledger.add(ledger.pledged, cents, year)
    return tuple(out), own


def _date(value: Any) -> date | None:
    return date.fromisoformat(value) if value else None


def _funding_line(line: Mapping[str, Any], stage: str, rates: Mapping[str, Decimal], donors: DonorDirectory,
                  in_offer: bool) -> tuple[FundingLine, int]:
    """One funding line converted, with its donor (the register's id) and its stage in the pipeline."""
    original = _num(line["amount"])
    currency = line["currency"]
    rate = rates[currency]
    cents = convert_cents(original, rate)
    original_paid = original if stage == "paid" else (_num(line["paid"]) if line.get("paid") else None)
    paid = from_cents(cents) if stage == "paid" else (convert(original_paid, rate) if original_paid is not None else None)
    source = line.get("source") or ""
    donor_id = donors.resolve(line.get("donor"), source)
    if not source and donor_id:
        source = donors.donors[donor_id].name
    funding = FundingLine(line["line"], source, line["source_type"], status_of_stage(stage), currency, original, rate,
                          from_cents(cents), line.get("grant_ref"), line.get("year"), in_offer, donor_id, stage,
                          paid=paid, original_paid=original_paid, pledged_on=_date(line.get("pledged_on")),
                          signed_on=_date(line.get("signed_on")), expected_by=_date(line.get("expected_by")),
                          paid_on=_date(line.get("paid_on")), instrument=line.get("instrument") or DEFAULT_INSTRUMENT,
                          earmarking=line.get("earmarking") or DEFAULT_EARMARKING)
    return funding, cents


def _funding_lines(lines: Iterable[Mapping[str, Any]], rates: Mapping[str, Decimal], has_offer: bool,
                   ledger: YearLedger, donors: DonorDirectory) -> tuple[tuple[FundingLine, ...], int]:
    """Every funding line converted and put in its years; the partner's own confirmed cash in cents.

    A pledged or requested `match` line on an activity with a match offer is the offer's own money: it is
    listed (marked part_of_offer) and counted once, as the offer, never as pledged or requested too.
    """
    out: list[FundingLine] = []
    own_cash = 0
    for line in sorted(lines, key=_LINE_NUMBER):
        stage = stage_of(line)
        status = status_of_stage(stage)
        year = line.get("year")
        in_offer = has_offer and status != "confirmed" and line["source_type"] == MATCH
        funding, cents = _funding_line(line, stage, rates, donors, in_offer)
        out.append(funding)
        if in_offer:
            continue
        if status == "confirmed":
            ledger.add(ledger.confirmed, cents, year)
            if line["source_type"] == "partner_own_funds":
                own_cash += cents
        elif status == "pledged":
            ledger.add(ledger.pledged, cents, year)
        else:
            ledger.add(ledger.requested, cents, year)
    return tuple(out), own_cash


def _match_offer(offer: Mapping[str, Any] | None, rates: Mapping[str, Decimal], figures: Figures, timing: str,
                 as_at: date | None) -> MatchOffer | None:
    if not offer:
        return None
    up_to = _num(offer["up_to"])
    ratio = _num(offer["ratio"])
    up_to_reporting = convert(up_to, rates[offer["currency"]])
    expires = date.fromisoformat(offer["expires"]) if offer.get("expires") else None
    now = unlocked(up_to_reporting, ratio, figures.gap, is_open=timing == OPEN, expires=expires, as_at=as_at)
    return MatchOffer(offer["currency"], up_to, up_to_reporting, ratio, expires, now.donor, now.match, now.standing,
                      offer.get("note", ""))


def capped_own(cents: Cents, own_cash: int, own_in_kind: int) -> tuple[int, int, int]:
    """The implementer's own cash and in-kind on the basis of `secured`, and its own part of the surplus."""
    own = own_cash + own_in_kind
    confirmed = cents.secured + cents.surplus
    if not own or not cents.surplus:
        return own_cash, own_in_kind, 0
    counted = allocate_cents(cents.secured, [own, confirmed - own])[0]
    cash, in_kind = allocate_cents(counted, [own_cash, own_in_kind])
    return cash, in_kind, own - counted


def budget_work(data: Mapping[str, Any], rates: Mapping[str, Decimal], own_names: frozenset[str] = frozenset(), *,
                as_at: date | None = None, period_years: tuple[int, int] | None = None,
                donors: DonorDirectory | None = None, own_donor: str | None = None) -> BudgetedWork:
    """Cost and fund one activity or task (a schema-valid record) at the given rates.

    `own_names` are the implementer's names (lower case): in-kind lines with no source or one of these count as
    the implementer's own co-funding. `as_at` decides open, past or suspended and whether an offer has expired
    (without it, work is open); `period_years` (the catalogue period's first and last) bounds its years.
    `donors` is the register (each line's donor); `own_donor` the implementer's own register id, if any.
    """
    donors = donors if donors is not None else DonorDirectory(())
    start, end = date.fromisoformat(data["start"]), date.fromisoformat(data["end"])
    ledger = YearLedger(days_per_year(start, end, period_years))
    offer = data.get("match_offer")
    cost_lines, own_in_kind = _cost_lines(data["budget_lines"], rates, own_names, ledger, donors, own_donor)
    funding_lines, own_cash = _funding_lines(data.get("funding_lines", ()), rates, bool(offer), ledger, donors)
    cents = item_cents(sum(ledger.required.values()), sum(ledger.confirmed.values()), sum(ledger.pledged.values()),
                       sum(ledger.requested.values()))
    figures = figures_from_cents(cents, item_status(cents))
    timing = OPEN if as_at is None else timing_of(data.get("status"), end, as_at)
    cash, in_kind, own_surplus = capped_own(cents, own_cash, own_in_kind)
    raised = cents.secured - cash - in_kind  # the rest of the secured money came from third parties
    return BudgetedWork(figures, cents, ledger.cents_by_year(), timing, cost_lines, funding_lines,
                        _match_offer(offer, rates, figures, timing, as_at), from_cents(cash), from_cents(in_kind),
                        from_cents(own_surplus), from_cents(raised))

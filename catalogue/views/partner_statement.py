"""One Partner NGO's co-funding statement: what it contributes to CMS, selected from the catalogue model.

A statement is a view: it lists the model's own activities, lines and
figures for one partner, and copies the partner's totals from the model
(cofunding_cash, cofunding_in_kind, cofunding_total, figures). The few figures
the model does not hold are computed here, once, in exact decimals, so the PDF
and the workbook both read them from the statement:

- pledged co-funding (the model counts only confirmed money as co-funding),
- the partner's confirmed co-funding per Strategic Plan target (shared equally
  among the targets of each activity's lead priority, cents by largest
  remainder, as the catalogue's own groupings share every figure),
- its co-funding totals per original currency, and each priority row's total,
- its share of all partner co-funding and of the whole programme's secured
  money (ratios to four decimals, half-even, like coverage).

Nothing here reads the disk; `partner_statement` is a pure function of the model.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any

from catalogue.inputs.files import is_partner_file
from catalogue.model.catalogue import Activity, Catalogue, Figures, MatchOffer, Partner, Priority
from catalogue.model.timing import OPEN
from catalogue.model.work import implementer_names, is_own_in_kind
from catalogue.money import allocate
from catalogue.views.partner_changes import NOTHING_TO_COMPARE, PartnerChanges, partner_changes

ZERO = Decimal("0")
RATIO = Decimal("0.0001")  # shares have four decimals, like coverage
UNASSIGNED = "unassigned"  # as in the catalogue's Strategic Plan target grouping
COFUNDING_STATUSES = ("confirmed", "pledged")


class UnknownPartner(LookupError):
    """The catalogue has no partner with that id."""


@dataclass(frozen=True)
class Mandate:
    """A CMS priority an activity serves: its mandate id and title."""

    id: str
    title: str
    lead: bool  # the activity's money counts under this priority


@dataclass(frozen=True)
class StatementActivity:
    id: str
    title: str
    mandates: tuple[Mandate, ...]  # lead priority first
    countries: tuple[str, ...]
    start: date
    end: date
    implementation_status: str
    timing: str  # open | past | suspended
    figures: Figures
    cofunding_cash: Decimal
    cofunding_in_kind: Decimal
    match_offer: MatchOffer | None


@dataclass(frozen=True)
class CofundingLine:
    """One line of the partner's own money or own staff time, as the model holds it."""

    activity_id: str
    priority_id: str  # the activity's lead priority
    kind: str  # cash | staff_time | meetings
    description: str  # the funding line's source, or the budget line's description
    status: str  # confirmed | pledged
    currency: str
    original_amount: Decimal  # in `currency`, exactly as entered or computed from its factors
    amount: Decimal  # reporting currency, as the model rounded it
    formula: str  # how an in-kind value was computed; "" for cash

    @property
    def in_kind(self) -> bool:
        """Whether this is staff time or meetings (valued from its factors) rather than cash."""
        return self.kind != "cash"


@dataclass(frozen=True)
class RaisedLine:
    """Money the partner raised from a third party for one of its activities (a funding line, or in kind)."""

    activity_id: str
    donor_id: str
    donor: str
    stage: str  # requested | pledged | committed | paid
    instrument: str
    earmarking: str
    currency: str
    original_amount: Decimal
    amount: Decimal  # reporting currency, as committed


@dataclass(frozen=True)
class PriorityRow:
    """Confirmed co-funding on one priority (the model's figures) and what is pledged there."""

    priority_id: str
    title: str
    strategic_plan_targets: tuple[int, ...]
    cash: Decimal  # model
    in_kind: Decimal  # model
    total: Decimal  # cash + in_kind
    pledged: Decimal


@dataclass(frozen=True)
class TargetRow:
    """Co-funding shared to one Strategic Plan target (or "unassigned")."""

    target: str
    cash: Decimal
    in_kind: Decimal
    total: Decimal
    pledged: Decimal


@dataclass(frozen=True)
class CurrencyRow:
    """Co-funding in one of the currencies the partner entered it in, and its value in the reporting currency."""

    currency: str
    confirmed_original: Decimal
    pledged_original: Decimal
    confirmed: Decimal
    pledged: Decimal


@dataclass(frozen=True)
class MatchRow:
    activity_id: str
    title: str
    gap: Decimal  # the activity's gap (model)
    offer: MatchOffer


@dataclass(frozen=True)
class PartnerStatement:
    """Everything one partner's statement shows, in the order a reader meets it."""

    partner: Partner
    catalogue_title: str
    edition: str
    as_at: date
    reporting_currency: str
    locale: str
    period_start: date
    period_end: date
    # contribution, confirmed (the model's figures), on the basis of secured: money above a budget is surplus
    cofunding_cash: Decimal
    cofunding_in_kind: Decimal
    cofunding_total: Decimal
    cofunding_surplus: Decimal  # own confirmed money above its activities' requirements (shown, not counted)
    # money it raised from others for its activities (GEF's co-financing mobilised): secured, capped basis (model)
    raised: Decimal
    raised_lines: tuple[RaisedLine, ...]  # every third party's line on its activities, by activity and line
    # contribution, pledged (computed here: the model counts confirmed money only)
    pledged_cash: Decimal
    pledged_in_kind: Decimal
    pledged_total: Decimal
    # the partner's work: required, secured, gap over all its activities (model), and the open and delivered parts
    figures: Figures
    open_figures: Figures  # what a donor can still fund
    past: Figures  # delivered work: its gap is what the partner absorbed
    activities: tuple[StatementActivity, ...]  # by id
    cofunding_lines: tuple[CofundingLine, ...]  # by activity, cash before in kind, then line
    by_priority: tuple[PriorityRow, ...]  # by priority id
    by_target: tuple[TargetRow, ...]  # targets 1..16, then unassigned
    by_currency: tuple[CurrencyRow, ...]  # by currency code
    gap_activities: tuple[StatementActivity, ...]  # open activities with a gap, largest first, ties by id
    match_offers: tuple[MatchRow, ...]  # by activity id
    # its place in the whole programme
    all_partner_cofunding: Decimal  # every partner's confirmed co-funding (model totals: cash + in kind)
    programme_secured: Decimal  # model: all work's secured money (the same capped basis as co-funding)
    share_of_partner_cofunding: Decimal | None
    share_of_secured: Decimal | None
    sole_priorities: tuple[Priority, ...]  # CoP priorities only this partner works on, in the catalogue's order
    warnings: tuple[dict[str, Any], ...]  # data-quality warnings located in this partner's workbook
    # its co-funding then and now, from the published catalogue.json's `changes` (issue 16)
    since_last_edition: PartnerChanges = PartnerChanges(NOTHING_TO_COMPARE)
    edition_id: str = ""  # the catalogue edition the statement was made from (publishing/editions.edition_id_of)
    titles: dict[str, str] = field(default_factory=dict)  # the catalogue's title per language (settings)
    organisation: dict[str, str] = field(default_factory=dict)  # who publishes, per language (settings)


def _ratio(part: Decimal, whole: Decimal) -> Decimal | None:
    return (part / whole).quantize(RATIO, rounding=ROUND_HALF_EVEN) if whole else None


def _own_names(partner: Partner) -> frozenset[str]:
    return implementer_names(partner.name, partner.short_name)


def _cofunding_lines(activity: Activity, own: frozenset[str]) -> list[CofundingLine]:
    """The activity's own-funds and own in-kind lines, confirmed or pledged; the selection budget_work counts."""
    cash = [CofundingLine(activity.id, activity.lead_priority_id, "cash", line.source, line.status, line.currency,
                          line.original_amount, line.amount, "")
            for line in activity.funding_lines
            if line.source_type == "partner_own_funds" and line.status in COFUNDING_STATUSES]
    in_kind = [CofundingLine(activity.id, activity.lead_priority_id, cost.kind, cost.description, cost.in_kind,
                             cost.currency, cost.original_amount, cost.amount, cost.formula)
               for cost in activity.budget_lines
               if cost.in_kind in COFUNDING_STATUSES
               and is_own_in_kind(cost.in_kind_source, own)]
    return cash + in_kind


def _raised_lines(activity: Activity, partner: Partner) -> list[RaisedLine]:
    """Third parties' money on the activity: funding lines not the partner's own, in-kind lines given by others."""
    own = _own_names(partner)
    found = [RaisedLine(activity.id, line.donor_id or "", line.source, line.stage, line.instrument, line.earmarking,
                        line.currency, line.original_amount, line.amount)
             for line in activity.funding_lines
             if line.source_type not in ("partner_own_funds", "match") and not line.part_of_offer]
    found += [RaisedLine(activity.id, cost.donor_id or "", cost.in_kind_source or "",
                         "committed" if cost.in_kind == "confirmed" else "pledged", "in_kind", "earmarked",
                         cost.currency, cost.original_amount, cost.amount)
              for cost in activity.budget_lines if cost.in_kind and not is_own_in_kind(cost.in_kind_source, own)]
    return found


def _confirmed(lines: list[CofundingLine], in_kind: bool) -> Decimal:
    return sum((line.amount for line in lines if line.status == "confirmed" and line.in_kind == in_kind), ZERO)


def _check_selection(activity: Activity, lines: list[CofundingLine]) -> None:
    """The listed confirmed lines must add up to the model's own co-funding for the activity and the part of it
    above the activity's requirement (its surplus), to the cent."""
    listed = _confirmed(lines, False) + _confirmed(lines, True)
    if listed != activity.cofunding_cash + activity.cofunding_in_kind + activity.cofunding_surplus:
        raise RuntimeError(f"Co-funding lines of {activity.id} do not add up to the model's co-funding: "
                           "the statement's selection of lines has drifted from the budget stage's")


def _target_rows(rows: list[PriorityRow]) -> tuple[TargetRow, ...]:
    """Each priority's co-funding shared equally among its targets, exactly (the catalogue's grouping rule)."""
    sums: dict[str, list[Decimal]] = defaultdict(lambda: [ZERO, ZERO, ZERO])
    for row in rows:
        targets = list(dict.fromkeys(str(t) for t in row.strategic_plan_targets)) or [UNASSIGNED]
        weights = [1] * len(targets)
        for field_index, amount in enumerate((row.cash, row.in_kind, row.pledged)):
            for target, share in zip(targets, allocate(amount, weights), strict=True):
                sums[target][field_index] += share
    order = {str(n): n for n in range(1, 17)}
    keys = sorted(sums, key=lambda k: (order.get(k, 99), k))
    return tuple(TargetRow(k, sums[k][0], sums[k][1], sums[k][0] + sums[k][1], sums[k][2]) for k in keys)


def _currency_rows(lines: list[CofundingLine]) -> tuple[CurrencyRow, ...]:
    sums: dict[str, list[Decimal]] = defaultdict(lambda: [ZERO, ZERO, ZERO, ZERO])
    for line in lines:
        offset = 0 if line.status == "confirmed" else 1
        sums[line.currency][offset] += line.original_amount
        sums[line.currency][offset + 2] += line.amount
    return tuple(CurrencyRow(cur, *values) for cur, values in sorted(sums.items()))


def _statement_activities(catalogue: Catalogue, partner: Partner, priorities: dict[str, Priority],
                          ) -> tuple[list[StatementActivity], list[CofundingLine]]:
    """The partner's activities (lead priority first among their mandates) and their co-funding lines."""
    wanted = set(partner.activity_ids)
    own = _own_names(partner)
    activities: list[StatementActivity] = []
    lines: list[CofundingLine] = []
    for a in (a for a in catalogue.activities if a.id in wanted):
        ordered = [a.lead_priority_id] + [pid for pid in a.priority_ids if pid != a.lead_priority_id]
        activities.append(StatementActivity(
            a.id, a.title, tuple(Mandate(pid, priorities[pid].title, pid == a.lead_priority_id) for pid in ordered),
            a.countries, a.start, a.end, a.implementation_status, a.timing, a.figures, a.cofunding_cash,
            a.cofunding_in_kind, a.match_offer))
        found = _cofunding_lines(a, own)
        _check_selection(a, found)
        lines += found
    return activities, lines


def _priority_rows(partner: Partner, lines: list[CofundingLine], priorities: dict[str, Priority]) -> list[PriorityRow]:
    """Confirmed co-funding per priority (the model's), with what is pledged there (summed here), by priority id."""
    pledged_by_priority: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for line in lines:
        if line.status == "pledged":
            pledged_by_priority[line.priority_id] += line.amount
    confirmed_by_priority = {c.priority_id: c for c in partner.cofunding_by_priority}
    rows = []
    for pid in sorted(set(confirmed_by_priority) | set(pledged_by_priority)):
        c = confirmed_by_priority.get(pid)
        cash, in_kind = (c.cash, c.in_kind) if c else (ZERO, ZERO)
        p = priorities[pid]
        rows.append(PriorityRow(pid, p.title, p.strategic_plan_targets, cash, in_kind, cash + in_kind,
                                pledged_by_priority.get(pid, ZERO)))
    return rows


def _pledged(lines: list[CofundingLine], in_kind: bool) -> Decimal:
    return sum((line.amount for line in lines if line.status == "pledged" and line.in_kind == in_kind), ZERO)


def _partner_warnings(catalogue: Catalogue, partner_id: str) -> tuple[dict[str, Any], ...]:
    """The data-quality warnings located in this partner's own workbook (and no one else's)."""
    return tuple(w for w in catalogue.warnings if is_partner_file((w.get("location") or {}).get("file"), partner_id))


def partner_statement(catalogue: Catalogue, partner_id: str,
                      changes: Mapping[str, Any] | None = None) -> PartnerStatement:
    """The statement of `partner_id`: its activities, co-funding, gap, share and warnings, from the model.

    `changes` is the published catalogue.json's `changes` object (None: none
    published), from which the statement shows the partner's figures then and now.
    Raises UnknownPartner when the catalogue has no such partner.
    """
    partner = next((p for p in catalogue.partners if p.id == partner_id), None)
    if partner is None:
        raise UnknownPartner(partner_id)
    priorities = {p.id: p for p in catalogue.priorities}
    activities, lines = _statement_activities(catalogue, partner, priorities)
    by_priority = _priority_rows(partner, lines, priorities)
    pledged_cash, pledged_in_kind = _pledged(lines, in_kind=False), _pledged(lines, in_kind=True)
    all_partner_cofunding = catalogue.totals.cofunding_cash + catalogue.totals.cofunding_in_kind
    programme_secured = catalogue.totals.all.secured
    gap_activities = sorted((a for a in activities if a.figures.gap > ZERO and a.timing == OPEN),
                            key=lambda a: (-a.figures.gap, a.id))

    return PartnerStatement(
        partner=partner,
        catalogue_title=catalogue.title, titles=dict(catalogue.titles), organisation=dict(catalogue.organisation),
        edition=catalogue.edition,
        as_at=catalogue.as_at,
        reporting_currency=catalogue.reporting_currency,
        locale=catalogue.locale,
        period_start=catalogue.period_start,
        period_end=catalogue.period_end,
        cofunding_cash=partner.cofunding_cash,
        cofunding_in_kind=partner.cofunding_in_kind,
        cofunding_total=partner.cofunding_total,
        cofunding_surplus=partner.cofunding_surplus,
        raised=partner.raised,
        raised_lines=tuple(line for a in catalogue.activities if a.partner_id == partner_id for line in _raised_lines(a, partner)),
        pledged_cash=pledged_cash,
        pledged_in_kind=pledged_in_kind,
        pledged_total=pledged_cash + pledged_in_kind,
        figures=partner.all,
        open_figures=partner.figures,
        past=partner.past,
        activities=tuple(activities),
        cofunding_lines=tuple(sorted(lines, key=lambda line: (line.activity_id, line.in_kind))),
        by_priority=tuple(by_priority),
        by_target=_target_rows(by_priority),
        by_currency=_currency_rows(lines),
        gap_activities=tuple(gap_activities),
        match_offers=tuple(MatchRow(a.id, a.title, a.figures.gap, a.match_offer)
                           for a in activities if a.match_offer is not None),
        all_partner_cofunding=all_partner_cofunding,
        programme_secured=programme_secured,
        share_of_partner_cofunding=_ratio(partner.cofunding_total, all_partner_cofunding),
        share_of_secured=_ratio(partner.cofunding_total, programme_secured),
        sole_priorities=tuple(p for p in catalogue.priorities if p.partner_ids == (partner_id,)),
        warnings=_partner_warnings(catalogue, partner_id),
        since_last_edition=partner_changes(changes, partner_id, edition=catalogue.edition,
                                           as_at=catalogue.as_at.isoformat(),
                                           confirmed_now=(partner.cofunding_cash, partner.cofunding_in_kind)),
    )

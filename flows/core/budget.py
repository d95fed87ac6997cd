"""Required, secured, pledged and gap, in exact decimals, for every line, activity, task and grouping.

Rules (also stated in the catalogue's methodology annex):
- a cost line is an amount (cash) or the product of its factors (staff time,
  meetings); in-kind values are never typed, always computed;
- each amount is converted once to the reporting currency at the stated rate
  and rounded there, half-even, to the cent; every total is a sum of rounded
  amounts, so totals reconcile to the cent across all outputs;
- secured = confirmed money (cash lines plus confirmed in-kind lines), capped at
  the item's own requirement; the excess is surplus and is never netted
  against another item's gap; gap = max(required - secured, 0).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date as _date
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any, Iterable, Mapping

from .merge import Programme
from .model import (
    Activity,
    CostLine,
    Figures,
    FundingLine,
    LanguishingPriority,
    MatchOffer,
    Partner,
    Priority,
    SecretariatTask,
    Totals,
)
from .settings import CENT, COVERAGE_QUANTUM

ZERO = Decimal("0")


def _num(value: Any) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(str(value))


def _fmt(value: Decimal) -> str:
    """A factor as people write it: 6, 2.5, 1,200 (no trailing zeros, no exponent)."""
    normal = value.normalize()
    text = f"{normal:,f}"
    return text


def line_cost(line: Mapping[str, Any]) -> tuple[Decimal, str]:
    """A budget line's cost in its own currency, and the formula that produced it."""
    currency = line["currency"]
    kind = line["kind"]
    if kind == "cash":
        amount = _num(line["amount"])
        return amount, f"{currency} {_fmt(amount)}"
    days = _num(line["days"])
    rate = _num(line["day_rate"])
    if kind == "staff_time":
        return days * rate, f"{_fmt(days)} days x {currency} {_fmt(rate)}"
    staff = _num(line["staff"])
    meetings = _num(line["meetings"])
    return (staff * meetings * days * rate,
            f"{_fmt(staff)} staff x {_fmt(meetings)} meetings x {_fmt(days)} days x {currency} {_fmt(rate)}")


def convert(amount: Decimal, rate: Decimal) -> Decimal:
    """Into the reporting currency: the one place an amount is rounded (half-even, to the cent)."""
    return (amount * rate).quantize(CENT, rounding=ROUND_HALF_EVEN)


def funding_status(required: Decimal, confirmed: Decimal) -> str:
    # Nothing confirmed is "unfunded" even when nothing is costed: a priority with no work
    # behind it must never read as fully funded.
    if confirmed == ZERO:
        return "unfunded"
    if confirmed > required:
        return "over_committed"
    if confirmed == required:
        return "fully_funded"
    return "partly_funded"


def coverage(secured: Decimal, required: Decimal) -> Decimal | None:
    if required == ZERO:
        return None
    return (secured / required).quantize(COVERAGE_QUANTUM, rounding=ROUND_HALF_EVEN)


def item_figures(required: Decimal, confirmed: Decimal, pledged: Decimal, requested: Decimal) -> Figures:
    """Figures of one activity or task from its converted line totals."""
    secured = min(confirmed, required)
    surplus = confirmed - secured
    gap = required - secured
    return Figures(
        required=required,
        secured=secured,
        pledged=pledged,
        requested=requested,
        surplus=surplus,
        gap=gap,
        gap_if_pledged=max(gap - pledged, ZERO),
        coverage=coverage(secured, required),
        status=funding_status(required, confirmed),
    )


def sum_figures(members: Iterable[Figures]) -> Figures:
    """A grouping's figures: sums of its members' (so surplus never fills another member's gap)."""
    required = secured = pledged = requested = surplus = gap = gap_if_pledged = ZERO
    for f in members:
        required += f.required
        secured += f.secured
        pledged += f.pledged
        requested += f.requested
        surplus += f.surplus
        gap += f.gap
        gap_if_pledged += f.gap_if_pledged
    if surplus > ZERO and gap == ZERO:
        status = "over_committed"
    else:
        status = funding_status(required, secured)
    return Figures(required, secured, pledged, requested, surplus, gap, gap_if_pledged,
                   coverage(secured, required), status)


@dataclass(frozen=True)
class BudgetedWork:
    """One activity's or task's lines and figures."""

    figures: Figures
    budget_lines: tuple[CostLine, ...]
    funding_lines: tuple[FundingLine, ...]
    match_offer: MatchOffer | None
    own_cash: Decimal  # confirmed partner_own_funds lines
    own_in_kind: Decimal  # confirmed in-kind lines given by the implementer itself


def budget_work(data: Mapping[str, Any], rates: Mapping[str, Decimal], own_names: frozenset[str] = frozenset()) -> BudgetedWork:
    """Cost and fund one activity or task (a schema-valid record) at the given rates.

    `own_names` are the implementer's names (lower case): in-kind lines with no
    source or one of these count as the implementer's own co-funding.
    """
    cost_lines: list[CostLine] = []
    required = confirmed = pledged = requested = own_cash = own_in_kind = ZERO
    for line in sorted(data["budget_lines"], key=lambda l: l["line"]):
        original, formula = line_cost(line)
        rate = rates[line["currency"]]
        amount = convert(original, rate)
        in_kind = line.get("in_kind")
        source = line.get("in_kind_source")
        cost_lines.append(CostLine(line["line"], line["kind"], line.get("description", ""), line["currency"],
                                   original, formula, rate, amount, in_kind, source))
        required += amount
        if in_kind == "confirmed":
            confirmed += amount
            if source is None or source.strip().lower() in own_names:
                own_in_kind += amount
        elif in_kind == "pledged":
            pledged += amount
    funding_lines: list[FundingLine] = []
    for line in sorted(data.get("funding_lines", []), key=lambda l: l["line"]):
        original = _num(line["amount"])
        rate = rates[line["currency"]]
        amount = convert(original, rate)
        funding_lines.append(FundingLine(line["line"], line["source"], line["source_type"], line["status"],
                                         line["currency"], original, rate, amount, line.get("grant_ref")))
        if line["status"] == "confirmed":
            confirmed += amount
            if line["source_type"] == "partner_own_funds":
                own_cash += amount
        elif line["status"] == "pledged":
            pledged += amount
        else:
            requested += amount
    offer = data.get("match_offer")
    match_offer = None
    if offer:
        up_to = _num(offer["up_to"])
        match_offer = MatchOffer(offer["currency"], up_to, convert(up_to, rates[offer["currency"]]),
                                 _num(offer["ratio"]), offer.get("note", ""))
    return BudgetedWork(item_figures(required, confirmed, pledged, requested), tuple(cost_lines),
                        tuple(funding_lines), match_offer, own_cash, own_in_kind)


# --------------------------------------------------------------------------- the whole programme


@dataclass(frozen=True)
class BudgetedProgramme:
    totals: Totals
    priorities: tuple[Priority, ...]
    partners: tuple[Partner, ...]
    activities: tuple[Activity, ...]
    tasks: tuple[SecretariatTask, ...]
    languishing: tuple[LanguishingPriority, ...]


def _t(values: Any) -> tuple:
    return tuple(values or ())


def budget_programme(programme: Programme) -> BudgetedProgramme:
    """Figures for every activity, task, priority and partner, and the totals."""
    rates = programme.rate_values()
    activities: list[Activity] = []
    for work in programme.activities:
        d = work.data
        partner = programme.partners[d["partner_id"]]
        own = frozenset({partner["name"].lower(), partner["short_name"].lower()})
        b = budget_work(d, rates, own)
        activities.append(Activity(
            id=d["id"], partner_id=d["partner_id"], partner_name=partner["short_name"],
            priority_ids=_t(d["priority_ids"]), lead_priority_id=work.lead_priority_id,
            title=d["title"], description=d.get("description", ""), countries=_t(d.get("countries")),
            start=_date.fromisoformat(d["start"]), end=_date.fromisoformat(d["end"]),
            implementation_status=d["status"], figures=b.figures,
            cofunding_cash=b.own_cash, cofunding_in_kind=b.own_in_kind,
            budget_lines=b.budget_lines, funding_lines=b.funding_lines, match_offer=b.match_offer, source=work.source,
        ))
    tasks: list[SecretariatTask] = []
    for work in programme.tasks:
        d = work.data
        b = budget_work(d, rates)
        tasks.append(SecretariatTask(
            id=d["id"], priority_ids=_t(d["priority_ids"]), lead_priority_id=work.lead_priority_id,
            title=d["title"], description=d.get("description", ""), unit=d.get("unit", ""),
            start=_date.fromisoformat(d["start"]), end=_date.fromisoformat(d["end"]), figures=b.figures,
            budget_lines=b.budget_lines, funding_lines=b.funding_lines, source=work.source,
        ))

    priorities: list[Priority] = []
    for pid, p in programme.priorities.items():
        lead_activities = [a for a in activities if a.lead_priority_id == pid]
        lead_tasks = [t for t in tasks if t.lead_priority_id == pid]
        contributing = [a.id for a in activities if pid in a.priority_ids and a.lead_priority_id != pid]
        priorities.append(Priority(
            id=pid, kind=p["kind"], title=p["title"], cop=p["cop"], addressed_to=_t(p.get("addressed_to")),
            strategic_plan_targets=_t(p.get("strategic_plan_targets")), taxa=_t(p.get("taxa")),
            regions=_t(p.get("regions")), instrument=p.get("instrument", ""), rank=p.get("rank"),
            figures=sum_figures([a.figures for a in lead_activities] + [t.figures for t in lead_tasks]),
            activity_ids=tuple(a.id for a in lead_activities), task_ids=tuple(t.id for t in lead_tasks),
            contributing_activity_ids=tuple(contributing),
            partner_ids=tuple(sorted({a.partner_id for a in activities if pid in a.priority_ids})),
        ))
    # The order a donor reads them in: largest gap first, ties by id.
    priorities.sort(key=lambda p: (-p.figures.gap, p.id))

    partners: list[Partner] = []
    for pid, p in programme.partners.items():
        own_activities = [a for a in activities if a.partner_id == pid]
        cash = sum((a.cofunding_cash for a in own_activities), ZERO)
        in_kind = sum((a.cofunding_in_kind for a in own_activities), ZERO)
        contact = p.get("contact", {})
        partners.append(Partner(
            id=pid, name=p["name"], short_name=p["short_name"], taxa=_t(p.get("taxa")), themes=_t(p.get("themes")),
            regions=_t(p.get("regions")), countries=_t(p.get("countries")),
            non_party_countries=_t(p.get("non_party_countries")), contact_name=contact.get("name", ""),
            contact_role=contact.get("role", ""), contact_email=contact.get("email", ""),
            expertise=_t(p.get("expertise")), languages=_t(p.get("languages")),
            agreement_date=_date.fromisoformat(p["agreement_date"]) if p.get("agreement_date") else None,
            figures=sum_figures(a.figures for a in own_activities), activity_ids=tuple(a.id for a in own_activities),
            cofunding_cash=cash, cofunding_in_kind=in_kind, cofunding_total=cash + in_kind,
        ))

    threshold = programme.settings.languishing_coverage_threshold
    languishing: list[LanguishingPriority] = []
    for p in sorted(priorities, key=lambda p: p.id):
        reasons: list[str] = []
        if not p.activity_ids and not p.task_ids and not p.contributing_activity_ids:
            reasons.append("no activity or Secretariat task addresses it")
        elif p.activity_ids or p.task_ids:
            if p.figures.secured == ZERO:
                reasons.append("no confirmed funding")
            elif p.figures.coverage is not None and p.figures.coverage < threshold:
                reasons.append(f"coverage {p.figures.coverage * 100:.1f}% is below the {threshold * 100:.0f}% threshold")
        if reasons:
            languishing.append(LanguishingPriority(p.id, p.title, tuple(reasons)))

    totals = Totals(
        figures=sum_figures([a.figures for a in activities] + [t.figures for t in tasks]),
        cofunding_cash=sum((p.cofunding_cash for p in partners), ZERO),
        cofunding_in_kind=sum((p.cofunding_in_kind for p in partners), ZERO),
        priority_count=len(priorities), partner_count=len(partners),
        activity_count=len(activities), task_count=len(tasks),
    )
    return BudgetedProgramme(totals, tuple(priorities), tuple(partners), tuple(activities), tuple(tasks), tuple(languishing))

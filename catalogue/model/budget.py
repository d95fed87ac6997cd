"""The whole programme budgeted: every activity and task, then priorities, partners, groupings and totals.

Each activity and task is costed once (budget.budget_work); everything above
it is a sum of those figures, so every grouping reconciles with the totals.
The sums are taken in whole cents (costing.Cents, ints) and made Decimal once
per figure that the model keeps.
"""

from __future__ import annotations

import gc
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from catalogue.issues import DataIssue
from catalogue.model.catalogue import (
    Activity,
    DoubleCount,
    Groupings,
    LanguishingPriority,
    MatchSummary,
    Partner,
    Priority,
    PriorityCofunding,
    Reason,
    SecretariatTask,
    SourceTotal,
    Totals,
)
from catalogue.model.costing import Cents, budget_work, group_figures, implementer_names, sum_cents
from catalogue.model.groupings import GroupTotals, equal_shares, group, year_clip_warnings, year_shares
from catalogue.model.merge import Programme
from catalogue.money import LEVERAGE_QUANTUM, ZERO, ratio

RANK_ORDER = ("core", "high", "medium", "low", "unranked")
CROSS_CUTTING = "cross-cutting"
UNASSIGNED = "unassigned"


@dataclass(frozen=True)
class BudgetedProgramme:
    totals: Totals
    priorities: tuple[Priority, ...]
    partners: tuple[Partner, ...]
    activities: tuple[Activity, ...]
    tasks: tuple[SecretariatTask, ...]
    languishing: tuple[LanguishingPriority, ...]
    groupings: Groupings
    funding_sources: tuple[SourceTotal, ...]
    double_counting: tuple[DoubleCount, ...]
    warnings: tuple[DataIssue, ...] = ()  # what only the budget sees about the inputs (years clipped to the period)


def _t(values: Any) -> tuple[Any, ...]:
    return tuple(values or ())


def _budget_activities(programme: Programme) -> tuple[list[Activity], list[Cents]]:
    """Every activity costed and funded, and its figures in cents (same order)."""
    rates = programme.rate_values()
    out: list[Activity] = []
    cents: list[Cents] = []
    for work in programme.activities:
        d = work.data
        partner = programme.partners[d["partner_id"]]
        own = implementer_names(partner["name"], partner["short_name"])
        b = budget_work(d, rates, own)
        cents.append(b.cents)
        out.append(Activity(
            id=d["id"], partner_id=d["partner_id"], partner_name=partner["short_name"],
            priority_ids=_t(d["priority_ids"]), lead_priority_id=work.lead_priority_id,
            title=d["title"], description=d.get("description", ""), countries=_t(d.get("countries")),
            start=date.fromisoformat(d["start"]), end=date.fromisoformat(d["end"]),
            implementation_status=d["status"], figures=b.figures,
            cofunding_cash=b.own_cash, cofunding_in_kind=b.own_in_kind,
            budget_lines=b.budget_lines, funding_lines=b.funding_lines, match_offer=b.match_offer, source=work.source,
        ))
    return out, cents


def _budget_tasks(programme: Programme) -> tuple[list[SecretariatTask], list[Cents]]:
    """Every Secretariat task costed and funded, and its figures in cents (same order)."""
    rates = programme.rate_values()
    out: list[SecretariatTask] = []
    cents: list[Cents] = []
    for work in programme.tasks:
        d = work.data
        b = budget_work(d, rates)
        cents.append(b.cents)
        out.append(SecretariatTask(
            id=d["id"], priority_ids=_t(d["priority_ids"]), lead_priority_id=work.lead_priority_id,
            title=d["title"], description=d.get("description", ""), unit=d.get("unit", ""),
            start=date.fromisoformat(d["start"]), end=date.fromisoformat(d["end"]), figures=b.figures,
            budget_lines=b.budget_lines, funding_lines=b.funding_lines, source=work.source,
        ))
    return out, cents


def _match_summary(activities: list[Activity]) -> MatchSummary:
    offers = [a.match_offer for a in activities if a.match_offer is not None]
    available = sum((o.up_to for o in offers), ZERO)
    donor = sum((o.donor_to_unlock for o in offers), ZERO)
    return MatchSummary(len(offers), available, donor, ratio(donor + available, donor, LEVERAGE_QUANTUM))


def _priorities(programme: Programme, activities: Sequence[Activity], activity_cents: Sequence[Cents],
                tasks: Sequence[SecretariatTask], task_cents: Sequence[Cents]) -> list[tuple[Priority, Cents]]:
    """Each priority with the sums of the work it leads, largest gap first (ties by id), and its cents."""
    lead_activities: dict[str, list[Activity]] = defaultdict(list)
    lead_cents: dict[str, list[Cents]] = defaultdict(list)
    lead_tasks: dict[str, list[SecretariatTask]] = defaultdict(list)
    contributing: dict[str, list[str]] = defaultdict(list)
    partners_on: dict[str, set[str]] = defaultdict(set)
    for a, c in zip(activities, activity_cents, strict=True):
        lead_activities[a.lead_priority_id].append(a)
        lead_cents[a.lead_priority_id].append(c)
        for pid in a.priority_ids:
            partners_on[pid].add(a.partner_id)
            if pid != a.lead_priority_id:
                contributing[pid].append(a.id)
    for t, c in zip(tasks, task_cents, strict=True):
        lead_tasks[t.lead_priority_id].append(t)
        lead_cents[t.lead_priority_id].append(c)
    out: list[tuple[Priority, Cents]] = []
    for pid, p in programme.priorities.items():
        own_activities, own_tasks = lead_activities.get(pid, []), lead_tasks.get(pid, [])
        cents = sum_cents(lead_cents.get(pid, ()))
        out.append((Priority(
            id=pid, kind=p["kind"], title=p["title"], cop=p["cop"], addressed_to=_t(p.get("addressed_to")),
            strategic_plan_targets=_t(p.get("strategic_plan_targets")), taxa=_t(p.get("taxa")),
            regions=_t(p.get("regions")), instrument=p.get("instrument", ""), rank=p.get("rank"),
            figures=group_figures(cents),
            activity_ids=tuple(a.id for a in own_activities), task_ids=tuple(t.id for t in own_tasks),
            contributing_activity_ids=tuple(contributing.get(pid, [])),
            partner_ids=tuple(sorted(partners_on.get(pid, ()))),
            match=_match_summary(own_activities),
        ), cents))
    # The order a donor reads them in: largest gap first, ties by id.
    out.sort(key=lambda pc: (-pc[1].gap, pc[0].id))
    return out


def _cofunding_by_priority(own: Iterable[Activity]) -> tuple[PriorityCofunding, ...]:
    """A partner's own cash and in-kind money per lead priority (priorities with none are left out)."""
    per_priority: dict[str, list[Decimal]] = defaultdict(lambda: [ZERO, ZERO])
    for a in own:
        if a.cofunding_cash or a.cofunding_in_kind:
            per_priority[a.lead_priority_id][0] += a.cofunding_cash
            per_priority[a.lead_priority_id][1] += a.cofunding_in_kind
    return tuple(PriorityCofunding(k, v[0], v[1]) for k, v in sorted(per_priority.items()))


def _partners(programme: Programme, activities: Sequence[Activity], activity_cents: Sequence[Cents]) -> list[Partner]:
    by_partner: dict[str, list[Activity]] = defaultdict(list)
    cents_by_partner: dict[str, list[Cents]] = defaultdict(list)
    for a, c in zip(activities, activity_cents, strict=True):
        by_partner[a.partner_id].append(a)
        cents_by_partner[a.partner_id].append(c)
    out: list[Partner] = []
    for pid, p in programme.partners.items():
        own = by_partner.get(pid, [])
        cash = sum((a.cofunding_cash for a in own), ZERO)
        in_kind = sum((a.cofunding_in_kind for a in own), ZERO)
        contact = p.get("contact", {})
        out.append(Partner(
            id=pid, name=p["name"], short_name=p["short_name"], taxa=_t(p.get("taxa")), themes=_t(p.get("themes")),
            regions=_t(p.get("regions")), countries=_t(p.get("countries")),
            non_party_countries=_t(p.get("non_party_countries")), contact_name=contact.get("name", ""),
            contact_role=contact.get("role", ""), contact_email=contact.get("email", ""),
            expertise=_t(p.get("expertise")), languages=_t(p.get("languages")),
            agreement_date=date.fromisoformat(p["agreement_date"]) if p.get("agreement_date") else None,
            figures=group_figures(sum_cents(cents_by_partner.get(pid, ()))), activity_ids=tuple(a.id for a in own),
            cofunding_cash=cash, cofunding_in_kind=in_kind, cofunding_total=cash + in_kind,
            cofunding_by_priority=_cofunding_by_priority(own),
        ))
    return out


def _languishing(priorities: list[Priority], threshold: Decimal) -> list[LanguishingPriority]:
    """Priorities nobody funds, each with why as a code (the renderers word it in the reader's language)."""
    out: list[LanguishingPriority] = []
    for p in sorted(priorities, key=lambda p: p.id):
        reasons: list[Reason] = []
        if not p.activity_ids and not p.task_ids and not p.contributing_activity_ids:
            reasons.append(Reason("no-work"))
        elif not p.activity_ids and not p.task_ids:
            reasons.append(Reason("only-contributing"))
        elif p.figures.secured == ZERO:
            reasons.append(Reason("no-confirmed-funding"))
        elif p.figures.coverage is not None and p.figures.coverage < threshold:
            reasons.append(Reason("coverage-below-threshold",
                                  (("coverage", str(p.figures.coverage)), ("threshold", str(threshold)))))
        if reasons:
            out.append(LanguishingPriority(p.id, p.title, tuple(reasons)))
    return out


def _groupings(priorities: Sequence[tuple[Priority, Cents]], work: Sequence[Activity | SecretariatTask],
               work_cents: Sequence[Cents], years: tuple[int, int] | None = None) -> Groupings:
    """Each priority's figures shared among its targets, taxa, regions, instrument and rank; each item's among its years.

    Sharing the priorities' totals (not every item's) keeps the cents exact and
    costs one split per priority instead of one per activity. `years` (the
    catalogue period's first and last) bounds the year groups.
    """
    targets: list[tuple[str, Cents]] = []
    taxa: list[tuple[str, Cents]] = []
    regions: list[tuple[str, Cents]] = []
    instruments: list[tuple[str, Cents]] = []
    ranks: list[tuple[str, Cents]] = []
    by_year = GroupTotals()
    for p, c in priorities:
        targets += equal_shares([str(t) for t in p.strategic_plan_targets], c, UNASSIGNED)
        taxa += equal_shares(list(p.taxa), c, CROSS_CUTTING)
        regions += equal_shares(list(p.regions), c, "Global")
        instruments.append((p.instrument or UNASSIGNED, c))
        ranks.append((p.rank or "unranked", c))
    for item, c in zip(work, work_cents, strict=True):
        by_year.add_all(year_shares(item.start, item.end, c, years))
    return Groupings(
        strategic_plan_target=group(targets, order=[str(n) for n in range(1, 17)]),
        taxon_group=group(taxa),
        region=group(regions),
        instrument=group(instruments),
        rank=group(ranks, order=RANK_ORDER),
        year=by_year.groups(),
    )


def _funding_sources(activities: list[Activity], tasks: list[SecretariatTask]) -> list[SourceTotal]:
    totals: dict[tuple[str, str], list[Any]] = {}

    def add(source: str, source_type: str, status: str, amount: Decimal) -> None:
        entry = totals.setdefault((source, source_type), [ZERO, ZERO, ZERO, 0])
        entry[{"confirmed": 0, "pledged": 1, "requested": 2}[status]] += amount
        entry[3] += 1

    items: list[Activity | SecretariatTask] = [*activities, *tasks]
    for item in items:
        implementer = item.partner_name if isinstance(item, Activity) else "CMS Secretariat"
        for line in item.funding_lines:
            add(line.source, line.source_type, line.status, line.amount)
        for cost in item.budget_lines:
            if cost.in_kind:
                add(cost.in_kind_source or implementer, "in_kind", cost.in_kind, cost.amount)
    ordered = sorted(totals.items(), key=lambda kv: (-kv[1][0], kv[0]))
    return [SourceTotal(source, kind, v[0], v[1], v[2], v[3]) for (source, kind), v in ordered]


def _double_counting(programme: Programme, activities: list[Activity], tasks: list[SecretariatTask]) -> list[DoubleCount]:
    """Money that may be claimed twice, each finding with its code (grant-ref-shared, partner-counted-twice)."""
    return _shared_grant_refs(activities, tasks) + _partner_counted_twice(programme, activities, tasks)


def _shared_grant_refs(activities: list[Activity], tasks: list[SecretariatTask]) -> list[DoubleCount]:
    """One grant reference on funding lines of two or more activities or tasks."""
    found: list[DoubleCount] = []
    by_ref: dict[str, list[str]] = defaultdict(list)
    items: list[Activity | SecretariatTask] = [*activities, *tasks]
    for item in items:
        for line in item.funding_lines:
            if line.grant_ref and line.grant_ref.strip():
                by_ref[line.grant_ref.strip().upper()].append(f"{item.id} funding line {line.line}")
    for ref, places in sorted(by_ref.items()):
        owners = {p.split(" ", 1)[0] for p in places}
        if len(owners) > 1:
            found.append(DoubleCount(Reason("grant-ref-shared"), ref, tuple(places)))
    return found


def _own_funds(activities: list[Activity]) -> dict[tuple[str, str], list[str]]:
    """(partner, priority) -> the places where the partner reports its own confirmed money on that priority."""
    own_funds: dict[tuple[str, str], list[str]] = defaultdict(list)
    for a in activities:
        for line in a.funding_lines:
            if line.source_type == "partner_own_funds" and line.status == "confirmed":
                for pid in a.priority_ids:
                    own_funds[(a.partner_id, pid)].append(f"{a.id} funding line {line.line}")
    return own_funds


def _partner_counted_twice(programme: Programme, activities: list[Activity],
                           tasks: list[SecretariatTask]) -> list[DoubleCount]:
    """A Secretariat task funded by a partner, while that partner also reports its own money on the same priority."""
    found: list[DoubleCount] = []
    own_funds = _own_funds(activities)
    claimants: dict[str, list[str]] = defaultdict(list)  # priority -> partners with own money on it, in partner order
    for partner_id, pid in own_funds:
        claimants[pid].append(partner_id)
    # One compiled pattern per partner, made once: matching 1,000 distinct patterns per line overflowed re's cache.
    patterns = {pid: re.compile(rf"\b(?:{re.escape(p['short_name'].lower())}|{re.escape(p['name'].lower())})\b")
                for pid, p in programme.partners.items()}
    order = {pid: i for i, pid in enumerate(programme.partners)}
    for t in tasks:
        candidates = sorted({c for pid in t.priority_ids for c in claimants.get(pid, ())}, key=order.__getitem__)
        if not candidates:
            continue
        for line in t.funding_lines:
            source = line.source.lower()
            for partner_id in candidates:
                if not patterns[partner_id].search(source):
                    continue
                claims = sorted({place for pid in t.priority_ids for place in own_funds.get((partner_id, pid), [])})
                found.append(DoubleCount(Reason("partner-counted-twice", (("partner_id", partner_id),)),
                                         line.grant_ref, (f"{t.id} funding line {line.line}", *claims)))
    return found


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while the stage builds its objects.

    The stage makes about five objects per budget or funding line, none of them in
    a reference cycle; with the collector on, every few hundred allocations it
    rescans the whole heap (the loaded inputs included), which took about 45 % of
    the stage's CPU at 20,000 activities. Reference counting still frees
    everything; the collector is switched back on (if it was on) at the end.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def budget_programme(programme: Programme) -> BudgetedProgramme:
    """Figures for every activity, task, priority, partner and grouping, and the totals."""
    with _collector_paused():
        return _budget_programme(programme)


def _budget_programme(programme: Programme) -> BudgetedProgramme:
    activities, activity_cents = _budget_activities(programme)
    tasks, task_cents = _budget_tasks(programme)
    ranked = _priorities(programme, activities, activity_cents, tasks, task_cents)
    priorities = [p for p, _ in ranked]
    partners = _partners(programme, activities, activity_cents)
    work: list[Activity | SecretariatTask] = [*activities, *tasks]
    settings = programme.settings
    totals = Totals(
        figures=group_figures(sum_cents([*activity_cents, *task_cents])),
        activities=group_figures(sum_cents(activity_cents)),
        tasks=group_figures(sum_cents(task_cents)),
        cofunding_cash=sum((p.cofunding_cash for p in partners), ZERO),
        cofunding_in_kind=sum((p.cofunding_in_kind for p in partners), ZERO),
        priority_count=len(priorities), partner_count=len(partners),
        activity_count=len(activities), task_count=len(tasks),
    )
    return BudgetedProgramme(
        totals=totals,
        priorities=tuple(priorities),
        partners=tuple(partners),
        activities=tuple(activities),
        tasks=tuple(tasks),
        languishing=tuple(_languishing(priorities, settings.languishing_coverage_threshold)),
        groupings=_groupings(ranked, work, [*activity_cents, *task_cents],
                             (settings.period_start.year, settings.period_end.year)),
        funding_sources=tuple(_funding_sources(activities, tasks)),
        double_counting=tuple(_double_counting(programme, activities, tasks)),
        warnings=tuple(year_clip_warnings((*programme.activities, *programme.tasks), settings)),
    )


def work_items(budgeted: BudgetedProgramme) -> Iterable[Activity | SecretariatTask]:
    return (*budgeted.activities, *budgeted.tasks)

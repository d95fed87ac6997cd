"""The whole programme budgeted: every activity and task, then priorities, partners, groupings and totals.

Each activity and task is costed once (work.budget_work); everything above
it is a sum of those figures, so every grouping reconciles with the totals.
The sums are taken in whole cents (costing.Cents, ints) and made Decimal once
per figure that the model keeps.

Every grouping's `figures` are its *open* work (model/timing.py): what a donor
can still fund. Its past and suspended work are summed beside them, so
open + past + suspended = all of it, to the cent, at every level.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from catalogue import collector
from catalogue.inputs.settings import CatalogueSettings
from catalogue.issues import DataIssue
from catalogue.model.catalogue import (
    Activity,
    DoubleCount,
    Figures,
    Groupings,
    LanguishingPriority,
    MatchSummary,
    Partner,
    Priority,
    PriorityCofunding,
    SecretariatTask,
    SourceTotal,
    Totals,
    YearFigures,
)
from catalogue.model.contribution_totals import contributions
from catalogue.model.contributions import Contributions
from catalogue.model.costing import Cents, group_figures, sum_cents
from catalogue.model.double_counting import double_counting
from catalogue.model.groupings import GroupTotals, equal_shares, group, year_clip_warnings
from catalogue.model.languishing import cops_ago, languishing
from catalogue.model.leverage import COUNTED, expired_offer_warnings, leverage
from catalogue.model.merge import Programme
from catalogue.model.timing import OPEN, PAST, SUSPENDED, status_warnings
from catalogue.model.work import BudgetedWork, budget_work, implementer_names
from catalogue.model.years import line_year_warnings, sum_years
from catalogue.money import ZERO

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
    contributions: Contributions
    warnings: tuple[DataIssue, ...] = ()  # what only the budget sees about the inputs (years, statuses, offers)


@dataclass(frozen=True)
class Counted:
    """One item's money as the sums above it need it: cents, cents by year, and whether it is open."""

    cents: Cents
    years: Mapping[int, Cents]
    timing: str


def _t(values: Any) -> tuple[Any, ...]:
    return tuple(values or ())


def _counted(b: BudgetedWork) -> Counted:
    return Counted(b.cents, b.years, b.timing)


def _period_years(settings: CatalogueSettings) -> tuple[int, int]:
    return settings.period_start.year, settings.period_end.year


def _budget_activities(programme: Programme) -> tuple[list[Activity], list[Counted]]:
    """Every activity costed and funded, and its money as the sums need it (same order)."""
    rates = programme.rate_values()
    settings = programme.settings
    out: list[Activity] = []
    counted: list[Counted] = []
    period_years = _period_years(settings)
    implementers: dict[str, tuple[frozenset[str], str | None]] = {}  # per partner: its names, its own-funds donor
    for work in programme.activities:
        d = work.data
        partner = programme.partners[d["partner_id"]]
        if d["partner_id"] not in implementers:  # once per partner, not per activity (the register is scanned)
            implementers[d["partner_id"]] = (implementer_names(partner["name"], partner["short_name"]),
                                             programme.donors.own_funds_of(d["partner_id"]))
        own, own_donor = implementers[d["partner_id"]]
        b = budget_work(d, rates, own, as_at=settings.as_at, period_years=period_years,
                        donors=programme.donors, own_donor=own_donor)
        counted.append(_counted(b))
        out.append(Activity(
            id=d["id"], partner_id=d["partner_id"], partner_name=partner["short_name"],
            priority_ids=_t(d["priority_ids"]), lead_priority_id=work.lead_priority_id,
            title=d["title"], description=d.get("description", ""), countries=_t(d.get("countries")),
            start=date.fromisoformat(d["start"]), end=date.fromisoformat(d["end"]),
            implementation_status=d["status"], timing=b.timing, figures=b.figures, years=b.year_figures(),
            cofunding_cash=b.own_cash, cofunding_in_kind=b.own_in_kind, cofunding_surplus=b.own_surplus, raised=b.raised,
            budget_lines=b.budget_lines, funding_lines=b.funding_lines, match_offer=b.match_offer, source=work.source,
        ))
    return out, counted


def _budget_tasks(programme: Programme) -> tuple[list[SecretariatTask], list[Counted]]:
    """Every Secretariat task costed and funded, and its money as the sums need it (same order)."""
    rates = programme.rate_values()
    settings = programme.settings
    out: list[SecretariatTask] = []
    counted: list[Counted] = []
    for work in programme.tasks:
        d = work.data
        b = budget_work(d, rates, as_at=settings.as_at, period_years=_period_years(settings), donors=programme.donors)
        counted.append(_counted(b))
        out.append(SecretariatTask(
            id=d["id"], priority_ids=_t(d["priority_ids"]), lead_priority_id=work.lead_priority_id,
            title=d["title"], description=d.get("description", ""), unit=d.get("unit", ""),
            start=date.fromisoformat(d["start"]), end=date.fromisoformat(d["end"]), timing=b.timing,
            figures=b.figures, years=b.year_figures(),
            budget_lines=b.budget_lines, funding_lines=b.funding_lines, source=work.source,
        ))
    return out, counted


def year_figures(members: Iterable[Mapping[int, Cents]]) -> tuple[YearFigures, ...]:
    """A grouping's figures by year: its members' years summed, each year with its grouping status."""
    return tuple(YearFigures(year, group_figures(c)) for year, c in sum_years(members).items())


@dataclass(frozen=True)
class Timed:
    """A grouping's figures split by timing: open (its `figures`), past, suspended, and the open years."""

    open_cents: Cents
    figures: Figures
    past: Figures
    suspended: Figures
    years: tuple[YearFigures, ...]


def timed(members: Sequence[Counted]) -> Timed:
    """Sum the members' cents by timing (whole cents, exact): the open figures and years, past and suspended apart."""
    open_members = [m for m in members if m.timing == OPEN]
    open_cents = sum_cents(m.cents for m in open_members)
    return Timed(open_cents, group_figures(open_cents),
                 group_figures(sum_cents(m.cents for m in members if m.timing == PAST)),
                 group_figures(sum_cents(m.cents for m in members if m.timing == SUSPENDED)),
                 year_figures(m.years for m in open_members))


def _match_summary(activities: Iterable[Activity]) -> MatchSummary:
    """What donor money unlocks on a priority: its counted offers only (open work, not expired, a gap left)."""
    offers = [a.match_offer for a in activities if a.match_offer is not None and a.match_offer.standing == COUNTED]
    available = sum((o.match for o in offers), ZERO)
    donor = sum((o.donor_to_unlock for o in offers), ZERO)
    return MatchSummary(len(offers), available, donor, leverage(donor, available))


def _priorities(programme: Programme, activities: Sequence[Activity], activity_money: Sequence[Counted],
                tasks: Sequence[SecretariatTask], task_money: Sequence[Counted]) -> list[tuple[Priority, Cents]]:
    """Each priority with the sums of the work it leads, largest open gap first (ties by id), and its open cents."""
    lead_activities: dict[str, list[Activity]] = defaultdict(list)
    lead_money: dict[str, list[Counted]] = defaultdict(list)
    lead_tasks: dict[str, list[SecretariatTask]] = defaultdict(list)
    contributing: dict[str, list[str]] = defaultdict(list)
    partners_on: dict[str, set[str]] = defaultdict(set)
    for a, m in zip(activities, activity_money, strict=True):
        lead_activities[a.lead_priority_id].append(a)
        lead_money[a.lead_priority_id].append(m)
        for pid in a.priority_ids:
            partners_on[pid].add(a.partner_id)
            if pid != a.lead_priority_id:
                contributing[pid].append(a.id)
    for t, m in zip(tasks, task_money, strict=True):
        lead_tasks[t.lead_priority_id].append(t)
        lead_money[t.lead_priority_id].append(m)
    out: list[tuple[Priority, Cents]] = []
    for pid, p in programme.priorities.items():
        own_activities, own_tasks = lead_activities.get(pid, []), lead_tasks.get(pid, [])
        sums = timed(lead_money.get(pid, ()))
        adopted, ago = cops_ago(p["cop"], programme.settings)
        out.append((Priority(
            id=pid, kind=p["kind"], title=p["title"], cop=p["cop"], addressed_to=_t(p.get("addressed_to")),
            strategic_plan_targets=_t(p.get("strategic_plan_targets")), taxa=_t(p.get("taxa")),
            regions=_t(p.get("regions")), instrument=p.get("instrument", ""), rank=p.get("rank"),
            adopted=adopted, cops_ago=ago,
            figures=sums.figures, past=sums.past, suspended=sums.suspended, years=sums.years,
            activity_ids=tuple(a.id for a in own_activities), task_ids=tuple(t.id for t in own_tasks),
            contributing_activity_ids=tuple(contributing.get(pid, [])),
            partner_ids=tuple(sorted(partners_on.get(pid, ()))),
            match=_match_summary(own_activities),
        ), sums.open_cents))
    # The order a donor reads them in: largest open gap first, ties by id.
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


def _partners(programme: Programme, activities: Sequence[Activity], activity_money: Sequence[Counted]) -> list[Partner]:
    by_partner: dict[str, list[Activity]] = defaultdict(list)
    money_by_partner: dict[str, list[Counted]] = defaultdict(list)
    for a, m in zip(activities, activity_money, strict=True):
        by_partner[a.partner_id].append(a)
        money_by_partner[a.partner_id].append(m)
    out: list[Partner] = []
    for pid, p in programme.partners.items():
        own = by_partner.get(pid, [])
        cash = sum((a.cofunding_cash for a in own), ZERO)
        in_kind = sum((a.cofunding_in_kind for a in own), ZERO)
        contact = p.get("contact", {})
        sums = timed(money_by_partner.get(pid, ()))
        out.append(Partner(
            id=pid, name=p["name"], short_name=p["short_name"], taxa=_t(p.get("taxa")), themes=_t(p.get("themes")),
            regions=_t(p.get("regions")), countries=_t(p.get("countries")),
            non_party_countries=_t(p.get("non_party_countries")), contact_name=contact.get("name", ""),
            contact_role=contact.get("role", ""), contact_email=contact.get("email", ""),
            expertise=_t(p.get("expertise")), languages=_t(p.get("languages")),
            agreement_date=date.fromisoformat(p["agreement_date"]) if p.get("agreement_date") else None,
            figures=sums.figures, past=sums.past, suspended=sums.suspended,
            all=group_figures(sum_cents(m.cents for m in money_by_partner.get(pid, ()))), years=sums.years,
            activity_ids=tuple(a.id for a in own),
            cofunding_cash=cash, cofunding_in_kind=in_kind, cofunding_total=cash + in_kind,
            cofunding_surplus=sum((a.cofunding_surplus for a in own), ZERO),
            raised=sum((a.raised for a in own), ZERO),
            cofunding_by_priority=_cofunding_by_priority(own),
        ))
    return out


def _groupings(priorities: Sequence[tuple[Priority, Cents]], open_years: Iterable[Mapping[int, Cents]]) -> Groupings:
    """Each priority's open figures shared among its targets, taxa, regions, instrument and rank; open work by year.

    Sharing the priorities' totals (not every item's) keeps the cents exact and
    costs one split per priority instead of one per activity.
    """
    targets: list[tuple[str, Cents]] = []
    taxa: list[tuple[str, Cents]] = []
    regions: list[tuple[str, Cents]] = []
    instruments: list[tuple[str, Cents]] = []
    ranks: list[tuple[str, Cents]] = []
    for p, c in priorities:
        targets += equal_shares([str(t) for t in p.strategic_plan_targets], c, UNASSIGNED)
        taxa += equal_shares(list(p.taxa), c, CROSS_CUTTING)
        regions += equal_shares(list(p.regions), c, "Global")
        instruments.append((p.instrument or UNASSIGNED, c))
        ranks.append((p.rank or "unranked", c))
    by_year = GroupTotals()
    for years in open_years:
        by_year.add_all((str(year), cents) for year, cents in years.items())
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
            if not line.part_of_offer:  # the offer's own money: shown with the offer, not as a pledge
                add(line.source, line.source_type, line.status, line.amount)
        for cost in item.budget_lines:
            if cost.in_kind:
                add(cost.in_kind_source or implementer, "in_kind", cost.in_kind, cost.amount)
    ordered = sorted(totals.items(), key=lambda kv: (-kv[1][0], kv[0]))
    return [SourceTotal(source, kind, v[0], v[1], v[2], v[3]) for (source, kind), v in ordered]


def budget_programme(programme: Programme) -> BudgetedProgramme:
    """Figures for every activity, task, priority, partner and grouping, and the totals."""
    with collector.paused():  # ~45 % of the stage's CPU was the collector rescanning the heap
        return _budget_programme(programme)


def _budget_programme(programme: Programme) -> BudgetedProgramme:
    activities, activity_money = _budget_activities(programme)
    tasks, task_money = _budget_tasks(programme)
    ranked = _priorities(programme, activities, activity_money, tasks, task_money)
    priorities = [p for p, _ in ranked]
    partners = _partners(programme, activities, activity_money)
    settings = programme.settings
    everything = timed([*activity_money, *task_money])
    all_cents = sum_cents(m.cents for m in (*activity_money, *task_money))
    totals = Totals(
        figures=everything.figures,
        activities=timed(activity_money).figures,
        tasks=timed(task_money).figures,
        past=everything.past,
        suspended=everything.suspended,
        all=group_figures(all_cents),
        tasks_past=timed(task_money).past,
        activities_all=group_figures(sum_cents(m.cents for m in activity_money)),
        tasks_all=group_figures(sum_cents(m.cents for m in task_money)),
        cofunding_cash=sum((p.cofunding_cash for p in partners), ZERO),
        cofunding_in_kind=sum((p.cofunding_in_kind for p in partners), ZERO),
        cofunding_surplus=sum((p.cofunding_surplus for p in partners), ZERO),
        priority_count=len(priorities), partner_count=len(partners),
        activity_count=len(activities), task_count=len(tasks),
    )
    works = (*programme.activities, *programme.tasks)
    return BudgetedProgramme(
        totals=totals,
        priorities=tuple(priorities),
        partners=tuple(partners),
        activities=tuple(activities),
        tasks=tuple(tasks),
        languishing=tuple(languishing(priorities, settings)),
        groupings=_groupings(ranked, (m.years for m in (*activity_money, *task_money) if m.timing == OPEN)),
        funding_sources=tuple(_funding_sources(activities, tasks)),
        double_counting=tuple(double_counting(programme, activities, tasks)),
        contributions=contributions(activities, tasks, programme.donors, settings.as_at),
        warnings=(*year_clip_warnings(works, settings), *status_warnings(programme.activities, settings.as_at),
                  *expired_offer_warnings(programme.activities, settings.as_at),
                  *line_year_warnings(works, _period_years(settings))),
    )


def work_items(budgeted: BudgetedProgramme) -> Iterable[Activity | SecretariatTask]:
    """Every costed activity, then every Secretariat task."""
    return (*budgeted.activities, *budgeted.tasks)

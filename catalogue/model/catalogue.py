"""The catalogue model: one object that the PDF, the workbook and catalogue.json all render.

No renderer computes a figure of its own; everything a reader sees is here,
already converted to the reporting currency and rounded.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from catalogue.model.contributions import Contributions
from catalogue.model.reasons import Reason  # the model's findings are codes (model/reasons.py), worded when shown

STATUSES = ("unfunded", "partly_funded", "fully_funded", "over_committed")


@dataclass(frozen=True)
class Figures:
    """The money of one activity, task or grouping, in the reporting currency.

    `secured` is confirmed money counted towards the requirement: it is capped
    at each activity's own requirement, and anything above is `surplus`, shown
    but never netted against another activity's gap. So at every level
    gap = max(required - secured, 0) and a grouping's figures are the sums of
    its members'.
    """

    required: Decimal
    secured: Decimal
    pledged: Decimal
    requested: Decimal
    surplus: Decimal
    gap: Decimal
    gap_if_pledged: Decimal
    coverage: Decimal | None  # secured / required, 4 decimals; None when nothing is required
    status: str


@dataclass(frozen=True)
class CostLine:
    line: int
    kind: str  # cash | staff_time | meetings
    description: str
    currency: str
    original_amount: Decimal  # in `currency`, exact, computed from factors for in-kind kinds
    formula: str  # e.g. "4 staff x 4 meetings x 6 days x USD 365"
    rate: Decimal
    amount: Decimal  # reporting currency, rounded once
    in_kind: str | None  # confirmed | pledged | None
    in_kind_source: str | None
    year: int | None = None  # the year the line names; None: spread over the work's days (model/years.py)
    donor_id: str | None = None  # who gives an in-kind line (the register's id; inputs/donor_register.py), if known


@dataclass(frozen=True)
class FundingLine:
    line: int
    source: str
    source_type: str
    status: str  # confirmed | pledged | requested
    currency: str
    original_amount: Decimal
    rate: Decimal
    amount: Decimal
    grant_ref: str | None
    year: int | None = None  # the year the line names; None: spread over the work's days (model/years.py)
    part_of_offer: bool = False  # a pledged or requested `match` line: the match offer's own money, counted once there
    donor_id: str | None = None  # the register's id (inputs/donor_register.py); None: a source no register entry names
    stage: str = "committed"  # requested | pledged | committed | paid (the pipeline; `status` is its old name)
    paid: Decimal | None = None  # reporting currency: received so far (the whole amount at stage paid)
    original_paid: Decimal | None = None  # the same in the line's currency, as typed
    pledged_on: date | None = None
    signed_on: date | None = None
    expected_by: date | None = None
    paid_on: date | None = None
    instrument: str = "grant"  # grant | loan | in_kind | guarantee | equity
    earmarking: str = "earmarked"  # unearmarked | softly_earmarked | earmarked | tightly_earmarked


@dataclass(frozen=True)
class MatchOffer:
    """The partner adds `ratio` of its own money per unit a donor gives, up to `up_to`, until `expires`.

    What it unlocks now is capped at the activity's open gap (model/leverage.py): `donor_to_unlock` + `match`
    never exceed it; both are zero when the offer does not count (`standing`: not-open, expired, no-gap).
    """

    currency: str
    original_up_to: Decimal
    up_to: Decimal  # reporting currency: the ceiling the partner offers
    ratio: Decimal  # partner money per unit of donor money
    expires: date | None
    donor_to_unlock: Decimal  # donor money that unlocks `match`, capped
    match: Decimal  # the partner's money it unlocks, capped
    standing: str  # counted | not-open | expired | no-gap
    note: str


@dataclass(frozen=True)
class MatchSummary:
    """What donor money unlocks on one priority, over its activities' match offers."""

    offers: int  # offers that count (open work, not expired, a gap left)
    match_available: Decimal  # partner money those offers unlock, capped at each activity's open gap
    donor_to_unlock: Decimal  # donor money that unlocks all of it
    leverage: Decimal | None  # (donor + match) / donor, two decimals


@dataclass(frozen=True)
class YearFigures:
    """One calendar year's share of an item's or a grouping's figures (model/years.py: the years add up)."""

    year: int
    figures: Figures


@dataclass(frozen=True)
class Group:
    """A grouping's figures: the shares of every priority (or, for years, every activity and task) in it."""

    key: str
    figures: Figures
    members: int  # priorities sharing in it; for years, activities and tasks


@dataclass(frozen=True)
class Groupings:
    strategic_plan_target: tuple[Group, ...]
    taxon_group: tuple[Group, ...]
    region: tuple[Group, ...]
    instrument: tuple[Group, ...]
    rank: tuple[Group, ...]
    year: tuple[Group, ...]


@dataclass(frozen=True)
class SourceTotal:
    """Money from one source, as committed (before capping at each item's requirement)."""

    source: str
    source_type: str  # core_budget | voluntary_contribution | partner_own_funds | match | other | in_kind
    confirmed: Decimal
    pledged: Decimal
    requested: Decimal
    lines: int


@dataclass(frozen=True)
class DoubleCount:
    """The same money claimed in two places: why (a code: grant-ref-shared, partner-counted-twice) and where."""

    reason: Reason
    grant_ref: str | None
    places: tuple[str, ...]  # "ALPHA-001 funding line 2"


@dataclass(frozen=True)
class PriorityCofunding:
    priority_id: str
    cash: Decimal
    in_kind: Decimal


@dataclass(frozen=True)
class Activity:
    id: str
    partner_id: str
    partner_name: str
    priority_ids: tuple[str, ...]
    lead_priority_id: str
    title: str
    description: str
    countries: tuple[str, ...]
    start: date
    end: date
    implementation_status: str
    timing: str  # open | past | suspended (model/timing.py): only open work is offered to donors
    figures: Figures
    years: tuple[YearFigures, ...]
    cofunding_cash: Decimal  # the partner's own confirmed cash, on the capped basis of `secured`
    cofunding_in_kind: Decimal  # its own confirmed in-kind, capped likewise
    cofunding_surplus: Decimal  # its own money above the activity's requirement (part of the surplus)
    raised: Decimal  # money from third parties on the activity, on the capped basis: what the partner mobilised
    budget_lines: tuple[CostLine, ...]
    funding_lines: tuple[FundingLine, ...]
    match_offer: MatchOffer | None
    source: str  # file and row it came from


@dataclass(frozen=True)
class SecretariatTask:
    id: str
    priority_ids: tuple[str, ...]
    lead_priority_id: str
    title: str
    description: str
    unit: str
    start: date
    end: date
    timing: str  # open | past (a task is open until it ends)
    figures: Figures
    years: tuple[YearFigures, ...]
    budget_lines: tuple[CostLine, ...]
    funding_lines: tuple[FundingLine, ...]
    source: str


@dataclass(frozen=True)
class Priority:
    id: str
    kind: str
    title: str
    cop: int
    addressed_to: tuple[str, ...]
    strategic_plan_targets: tuple[int, ...]
    taxa: tuple[str, ...]
    regions: tuple[str, ...]
    instrument: str
    rank: str | None
    adopted: date | None  # the date of the CoP that adopted it (settings' cop_dates), if known
    cops_ago: int | None  # how many CoPs have met since (0: the latest CoP), if known
    figures: Figures  # its open work: what a donor can still fund
    past: Figures  # its delivered work (completed, or ended by the as-at date): the gap is what was absorbed
    suspended: Figures
    years: tuple[YearFigures, ...]  # its open work by year
    activity_ids: tuple[str, ...]  # activities that lead on this priority (their money counts here), all timings
    task_ids: tuple[str, ...]
    contributing_activity_ids: tuple[str, ...]  # activities that also serve it, counted under their lead priority
    partner_ids: tuple[str, ...]
    match: MatchSummary


@dataclass(frozen=True)
class Partner:
    id: str
    name: str
    short_name: str
    taxa: tuple[str, ...]
    themes: tuple[str, ...]
    regions: tuple[str, ...]
    countries: tuple[str, ...]
    non_party_countries: tuple[str, ...]
    contact_name: str
    contact_role: str
    contact_email: str
    expertise: tuple[str, ...]
    languages: tuple[str, ...]
    agreement_date: date | None
    figures: Figures  # its open work
    past: Figures
    suspended: Figures
    all: Figures  # all its work, every timing (its statement's basis)
    years: tuple[YearFigures, ...]  # its open work by year
    activity_ids: tuple[str, ...]
    cofunding_cash: Decimal  # own confirmed money on all its work, on the capped basis of `secured`
    cofunding_in_kind: Decimal
    cofunding_total: Decimal
    cofunding_surplus: Decimal  # own money above its activities' requirements
    raised: Decimal  # third parties' secured money on its activities (capped basis): co-financing it mobilised
    cofunding_by_priority: tuple[PriorityCofunding, ...]


@dataclass(frozen=True)
class LanguishingPriority:
    id: str
    title: str
    reasons: tuple[Reason, ...]  # codes: no-work, only-contributing, no-open-work, no-confirmed-funding, coverage-below-threshold
    cop: int | None = None  # the CoP that adopted it
    adopted: date | None = None  # when that CoP met (settings' cop_dates)
    cops_ago: int | None = None  # how many CoPs have met since


@dataclass(frozen=True)
class FxRate:
    currency: str
    rate: Decimal
    date: date
    source: str


@dataclass(frozen=True)
class InputFileRecord:
    name: str
    kind: str
    sha256: str
    size: int


@dataclass(frozen=True)
class Provenance:
    inputs: tuple[InputFileRecord, ...]
    schema_versions: dict[str, str]
    build_time: str
    tool_version: str


@dataclass(frozen=True)
class Totals:
    figures: Figures  # the programme's open work (partner activities and Secretariat tasks): the headline
    activities: Figures  # open partner activities only
    tasks: Figures  # open Secretariat tasks only
    past: Figures  # delivered work: completed, or ended by the as-at date
    suspended: Figures
    all: Figures  # open + past + suspended: every figure of every item, reconciled to the cent
    tasks_past: Figures  # the Secretariat's delivered tasks (the partners' are in each Partner.past)
    activities_all: Figures  # every partner activity, every timing (the workbook's Activities sheet lists them all)
    tasks_all: Figures  # every Secretariat task, every timing
    cofunding_cash: Decimal  # partners' own confirmed money on all their work, capped basis
    cofunding_in_kind: Decimal
    cofunding_surplus: Decimal
    priority_count: int
    partner_count: int
    activity_count: int
    task_count: int


@dataclass(frozen=True)
class Catalogue:
    title: str
    edition: str
    as_at: date
    reporting_currency: str
    locale: str
    period_start: date
    period_end: date
    totals: Totals
    priorities: tuple[Priority, ...]  # by gap, largest first, ties by id
    partners: tuple[Partner, ...]  # by id
    activities: tuple[Activity, ...]  # by id
    secretariat_tasks: tuple[SecretariatTask, ...]  # by id
    languishing_priorities: tuple[LanguishingPriority, ...]
    groupings: Groupings
    funding_sources: tuple[SourceTotal, ...]
    double_counting: tuple[DoubleCount, ...]
    contributions: Contributions
    fx_rates: tuple[FxRate, ...]
    warnings: tuple[dict[str, Any], ...]
    methodology: dict[str, str]
    provenance: Provenance
    # Who publishes, and the title, per language as the settings give them ({"en": ..., "fr": ...}): each document
    # and page reads its own language's (render/i18n.Formatter.organisation), never a name written in the code.
    organisation: dict[str, str] = field(default_factory=dict)
    titles: dict[str, str] = field(default_factory=dict)
    iati_organisation_identifier: str | None = None  # the publisher's IATI id: names every activity in iati/
    contact: dict[str, str] = field(default_factory=dict)  # name, email, url: how donors reach the publisher
    logo: str | None = None  # the logo's file name, when the inputs hold a usable one (provenance has its hash)

    def priority(self, priority_id: str) -> Priority:
        """The priority with this id (StopIteration if there is none)."""
        return next(p for p in self.priorities if p.id == priority_id)

    def activities_for(self, priority: Priority) -> list[Activity]:
        """The activities that lead on this priority, every timing, by id; not those that only contribute."""
        wanted = set(priority.activity_ids)
        return [a for a in self.activities if a.id in wanted]

    def delivered_work(self) -> list[Activity | SecretariatTask]:
        """Past and suspended activities, then tasks, each by id: the work no donor is offered."""
        return [*(a for a in self.activities if a.timing != "open"), *(t for t in self.secretariat_tasks if t.timing != "open")]

    def tasks_for(self, priority: Priority) -> list[SecretariatTask]:
        """The Secretariat tasks that lead on this priority, every timing, by id."""
        wanted = set(priority.task_ids)
        return [t for t in self.secretariat_tasks if t.id in wanted]

"""Donor matching: which gaps of the catalogue fit one donor's profile, why, and what the donor's money would do.

Pure: a Catalogue and a donor profile (the validated record's data) in, a
DonorPack out. The pack holds every figure its PDF and XLSX show, so the
renderers only format.

Scoring (integers, so ties are exact; each point has a reason a reader sees):
- taxon: +3 when the priority covers one of the donor's taxon groups;
- region: +2 for a shared region, +1 when the priority is Global (it includes the donor's regions);
- country: +2 when an activity works in one of the donor's countries (activities only);
- Strategic Plan target: +1 per shared target;
- instrument: +2 when the priority belongs to one of the donor's instruments;
- keyword: +2 per donor keyword found in the title (priority) or title and description (activity, task);
- match offer: +1 when the donor match-funds and partners offer match money;
- ticket size: +2 when the gap is within the donor's smallest..largest grant, +1 when it is above
  (the donor can part-fund it); a gap below the smallest grant is not shown.
A priority is shown when it scores on a theme (taxon, target, instrument or
keyword) and, if the donor names regions or countries, on geography too; an
activity or task under it is shown when its gap is above zero and fits the
ticket size. Excluded priorities, keywords and countries are listed with why.

Money: the donor's ticket sizes are in the donor's currency. They are
converted to the reporting currency at the catalogue's rate and rounded once,
half-even, to the cent; every scenario figure is computed from those and the
model's own cents. Coverage keeps four decimals, like the model's.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from catalogue.config import LANGUAGES
from catalogue.issues import N_
from catalogue.model.catalogue import (
    Activity,
    Catalogue,
    Figures,
    MatchOffer,
    MatchSummary,
    Priority,
    SecretariatTask,
    YearFigures,
)
from catalogue.model.leverage import COUNTED
from catalogue.model.reasons import Reason
from catalogue.model.timing import OPEN
from catalogue.views.donor_portfolio import Portfolio, portfolio
from catalogue.views.donor_since import NO_DATE, SinceWeMet
from catalogue.views.scoring import (
    PLACES,
    THEMES,
    WEIGHTS,
    ZERO,
    MatchReason,
    Profile,
    Scenario,
    excluded_by,
    interests,
    keyword_hits,
    money_value,
    priority_reasons,
    scenario,
    ticket_fit,
    ticket_reason,
)

MAX_PRIORITIES = 8  # a pack is read in a meeting: the best few, not the whole catalogue
MAX_ITEMS_PER_PRIORITY = 4


class UnknownDonorCurrency(ValueError):
    """The donor's currency has no rate in the catalogue, so its ticket sizes cannot be compared with gaps."""


@dataclass(frozen=True)
class MatchedItem:
    """A partner activity or Secretariat task with a gap, under a matched priority."""

    kind: str  # activity | task
    id: str
    title: str
    partner_id: str | None
    partner_name: str  # the partner, or the Secretariat unit for a task
    countries: tuple[str, ...]
    figures: Figures
    match_offer: MatchOffer | None
    score: int
    reasons: tuple[MatchReason, ...]
    scenario: Scenario

    @property
    def own_reasons(self) -> tuple[MatchReason, ...]:
        """The reasons of its own (countries, words, match, ticket), beside those it shares with its priority."""
        return tuple(r for r in self.reasons if r.kind in ("country", "keyword", "match", "ticket"))


@dataclass(frozen=True)
class MatchedPriority:
    id: str
    kind: str
    title: str
    instrument: str
    taxa: tuple[str, ...]
    regions: tuple[str, ...]
    strategic_plan_targets: tuple[int, ...]
    figures: Figures
    match: MatchSummary
    score: int
    reasons: tuple[MatchReason, ...]
    scenario: Scenario
    items: tuple[MatchedItem, ...]
    years: tuple[YearFigures, ...] = ()  # the priority's open work by year (the model's)


@dataclass(frozen=True)
class Exclusion:
    id: str
    title: str
    reason: Reason  # excluded-priority, excluded-keyword (values), excluded-country (values)


@dataclass(frozen=True)
class PackPartner:
    id: str
    name: str
    contact_name: str
    contact_role: str
    contact_email: str
    item_ids: tuple[str, ...]  # the pack's activities this partner runs


@dataclass(frozen=True)
class DonorPack:
    donor_id: str
    donor_name: str
    donor_kind: str
    language: str  # the pack's language: the donor's, when the catalogue's labels exist in it
    donor_currency: str
    reporting_currency: str
    locale: str
    rate: Decimal  # reporting currency per unit of the donor's currency
    ticket_min: Decimal | None  # reporting currency
    ticket_max: Decimal | None
    ticket_min_original: Decimal | None  # donor's currency, as typed
    ticket_max_original: Decimal | None
    match_funding: bool
    interests: tuple[MatchReason, ...]  # the donor's profile as the reader sees it (points 0)
    catalogue_title: str
    catalogue_edition: str
    as_at: date
    priorities: tuple[MatchedPriority, ...]
    considered: int  # priorities with a gap that were scored
    matched_gap: Decimal  # the shown priorities' gaps, summed
    matched_contribution: Decimal  # the contributions of the shown priorities' scenarios, summed
    excluded: tuple[Exclusion, ...]
    too_small: int  # activities and tasks left out because their gap is below the smallest grant
    partners: tuple[PackPartner, ...]
    methodology: tuple[str, ...]
    since_we_met: SinceWeMet = SinceWeMet(NO_DATE)  # the matched gaps since the donor's `last_met` (issue 16)
    edition_id: str = ""  # the catalogue edition the pack was made from (publishing/editions.edition_id_of)
    portfolio: Portfolio | None = None  # what the donor already funds, when its profile names its register id
    organisation: dict[str, str] = field(default_factory=dict)  # who publishes, per language (settings)


def pack_summary(pack: DonorPack) -> dict[str, Any]:
    """What the donor's private page says of its pack before the files are opened: who it is for, its language,
    the edition, and the matched gaps (amounts as exact decimal strings, in the reporting currency)."""
    return {"donor_id": pack.donor_id, "donor_name": pack.donor_name, "language": pack.language,
            "edition_id": pack.edition_id, "as_at": pack.as_at.isoformat(), "currency": pack.reporting_currency,
            "considered": pack.considered, "matched_gap": str(pack.matched_gap),
            "priorities": [{"id": p.id, "title": p.title, "gap": str(p.figures.gap), "score": p.score}
                           for p in pack.priorities]}


# --------------------------------------------------------------------------- helpers


def donor_rate(catalogue: Catalogue, currency: str) -> Decimal:
    """Units of the reporting currency per unit of `currency`, from the catalogue's own rates."""
    if currency == catalogue.reporting_currency:
        return Decimal(1)
    for fx in catalogue.fx_rates:
        if fx.currency == currency:
            return fx.rate
    raise UnknownDonorCurrency(f"No exchange rate for {currency} in fx_rates: add one so that this donor's "
                               "ticket sizes can be compared with the gaps.")


def _counted_offer(work: Activity | SecretariatTask) -> MatchOffer | None:
    """The activity's match offer when it counts now (model/leverage.py); tasks have none."""
    offer = work.match_offer if isinstance(work, Activity) else None
    return offer if offer is not None and offer.standing == COUNTED else None


def _item(kind: str, work: Activity | SecretariatTask, base: list[MatchReason], profile: Profile,
          exclusions: list[Exclusion]) -> tuple[MatchedItem | None, bool]:
    """An activity or task scored on its own words and countries, on top of its priority's themes; (item, too small)."""
    countries = work.countries if isinstance(work, Activity) else ()
    why_not = excluded_by(profile, work.title, work.description, countries)
    if why_not:
        exclusions.append(Exclusion(work.id, work.title, why_not))
        return None, False
    fit = ticket_fit(work.figures.gap, profile.ticket_min, profile.ticket_max)
    if fit == "below":
        return None, True
    reasons = [r for r in base if r.kind in ("taxon", "region", "target", "instrument")]
    places = tuple(c for c in countries if c in profile.countries)
    if places:
        reasons.append(MatchReason("country", places, WEIGHTS["country"]))
    keywords = keyword_hits(profile.keywords, work.title, work.description)
    if keywords:
        reasons.append(MatchReason("keyword", keywords, WEIGHTS["keyword"] * len(keywords)))
    offer = _counted_offer(work)
    if profile.match_funding and offer is not None:
        reasons.append(MatchReason("match", (), WEIGHTS["match"]))
    reasons += ticket_reason(fit)
    if isinstance(work, Activity):
        partner_id, partner_name = work.partner_id, work.partner_name
    else:
        partner_id, partner_name = None, work.unit
    item = MatchedItem(kind, work.id, work.title, partner_id, partner_name, countries, work.figures, offer,
                       sum(r.points for r in reasons), tuple(reasons),
                       scenario(work.figures, profile.ticket_max, offer, profile.match_funding))
    return item, False


def _order(score: int, gap: Decimal, ident: str) -> tuple[int, Decimal, str]:
    return (-score, -gap, ident)


# English msgids, shown in the pack's language (templates/i18n/<lang>/LC_MESSAGES/catalogue.po).
METHODOLOGY = (
    N_("Each priority with a gap is scored against the donor's profile: taxon group +3; shared region +2 "
       "(a Global priority +1); Strategic Plan target +1 each; instrument +2; keyword in the title +2 each; "
       "partner match offers +1 for a match-funding donor; gap within the donor's grant sizes +2, above them +1. "
       "Activities and tasks are scored the same way on their own title, description and countries (+2 for a donor country)."),
    N_("A priority is shown when it matches on a theme (taxon, target, instrument or keyword) and, where the donor names "
       "regions or countries, on geography; gaps below the donor's smallest grant and anything the donor excludes are left out. "
       "Order: score, then gap (largest first), then id."),
    N_("If you fund this: the contribution is the gap or the donor's largest grant, whichever is smaller. Grant sizes are "
       "converted from the donor's currency at the catalogue's rate and rounded once, half-even, to the cent."),
    N_("Only open work is offered: planned or ongoing work that ends after the 'as at' date. Completed work, work that "
       "has ended and suspended work are left out."),
    N_("Match offers: a partner adds its ratio of every unit of donor money, up to its ceiling and until the offer "
       "expires; donor money and the match it unlocks never exceed the activity's open gap, in the catalogue as in "
       "this pack. The donor money that closes a gap with the match is gap / (1 + ratio), or gap minus the ceiling "
       "once the ceiling is reached."),
)


def _excluded_priority(p: Priority, profile: Profile) -> Reason | None:
    """Why the donor excludes a whole priority (by id or by a word in its title), or None."""
    if p.id in profile.exclude_priority_ids:
        return Reason("excluded-priority")
    return excluded_by(profile, p.title)


def _items(p: Priority, work_by_id: dict[str, Activity | SecretariatTask], base: list[MatchReason], profile: Profile,
           exclusions: list[Exclusion]) -> tuple[list[MatchedItem], int]:
    """The priority's activities and tasks with a gap that fit the donor, best first; and how many were too small."""
    items: list[MatchedItem] = []
    too_small = 0
    for ident in (*p.activity_ids, *p.task_ids):
        work = work_by_id[ident]
        if work.figures.gap <= 0 or work.timing != OPEN:
            continue  # nothing to fund, or work that can no longer be funded (past, suspended)
        item, small = _item("activity" if isinstance(work, Activity) else "task", work, base, profile, exclusions)
        too_small += small
        if item is not None:
            items.append(item)
    items.sort(key=lambda i: _order(i.score, i.figures.gap, i.id))
    return items, too_small


def _countries_matched(items: list[MatchedItem]) -> list[str]:
    """The donor's countries that the priority's activities work in."""
    return sorted({c for i in items if i.kind == "activity" for r in i.reasons if r.kind == "country" for c in r.values})


def _themed_and_placed(kinds: set[str], profile: Profile) -> bool:
    """A theme matches, and a place too when the donor names regions or countries."""
    placed = bool(kinds & set(PLACES)) or not (profile.regions or profile.countries)
    return bool(kinds & set(THEMES)) and placed


def _matched_priority(p: Priority, items: list[MatchedItem], base: list[MatchReason],
                      profile: Profile) -> MatchedPriority | None:
    """The priority as the pack shows it, or None when it does not fit (theme, place, ticket size, fundable items)."""
    places = _countries_matched(items)
    kinds = {r.kind for r in base} | ({"country"} if places else set())
    fit = ticket_fit(p.figures.gap, profile.ticket_min, profile.ticket_max)
    if not _themed_and_placed(kinds, profile) or fit == "below" or not items:
        return None  # nothing here the donor could fund
    if places and "country" not in {r.kind for r in base}:
        base = [*base, MatchReason("country", tuple(places), WEIGHTS["country"])]
    reasons = base + ticket_reason(fit)
    return MatchedPriority(
        p.id, p.kind, p.title, p.instrument, p.taxa, p.regions, p.strategic_plan_targets, p.figures, p.match,
        sum(r.points for r in reasons), tuple(reasons),
        scenario(p.figures, profile.ticket_max), tuple(items[:MAX_ITEMS_PER_PRIORITY]), p.years)


def match_gaps(catalogue: Catalogue, donor: dict[str, Any]) -> DonorPack:
    """The donor's pack: the priorities (and their activities and tasks) that fit the profile, best first, with scenarios."""
    currency = donor["currency"]
    rate = donor_rate(catalogue, currency)
    profile = Profile.of(donor, rate)
    work_by_id: dict[str, Activity | SecretariatTask] = {a.id: a for a in catalogue.activities}
    work_by_id.update((t.id, t) for t in catalogue.secretariat_tasks)
    exclusions: list[Exclusion] = []
    chosen: list[MatchedPriority] = []
    with_gap = [p for p in catalogue.priorities if p.figures.gap > 0]
    too_small = 0
    for p in with_gap:
        why_not = _excluded_priority(p, profile)
        if why_not is not None:
            exclusions.append(Exclusion(p.id, p.title, why_not))
            continue
        base = priority_reasons(p, profile)
        items, small = _items(p, work_by_id, base, profile, exclusions)
        too_small += small
        matched = _matched_priority(p, items, base, profile)
        if matched is not None:
            chosen.append(matched)
    chosen.sort(key=lambda m: _order(m.score, m.figures.gap, m.id))
    shown = tuple(chosen[:MAX_PRIORITIES])
    language = donor.get("language", "en")
    return DonorPack(
        donor_id=donor["id"], donor_name=donor["name"], donor_kind=donor.get("kind", ""),
        language=language if language in LANGUAGES else "en",
        donor_currency=currency, reporting_currency=catalogue.reporting_currency, locale=catalogue.locale, rate=rate,
        ticket_min=profile.ticket_min, ticket_max=profile.ticket_max,
        ticket_min_original=money_value(donor.get("ticket_min")), ticket_max_original=money_value(donor.get("ticket_max")),
        match_funding=profile.match_funding, interests=interests(donor),
        catalogue_title=catalogue.titles.get(language) or catalogue.title, catalogue_edition=catalogue.edition,
        as_at=catalogue.as_at, organisation=dict(catalogue.organisation),
        priorities=shown, considered=len(with_gap),
        matched_gap=sum((m.figures.gap for m in shown), ZERO),
        matched_contribution=sum((m.scenario.contribution for m in shown), ZERO),
        excluded=tuple(sorted(exclusions, key=lambda e: e.id)), too_small=too_small,
        partners=_partners(catalogue, shown), methodology=METHODOLOGY,
        portfolio=portfolio(catalogue, donor.get("donor")))


def _partners(catalogue: Catalogue, shown: tuple[MatchedPriority, ...]) -> tuple[PackPartner, ...]:
    """The partners running the pack's activities, by id, with their contacts."""
    runs: dict[str, list[str]] = {}
    for m in shown:
        for item in m.items:
            if item.partner_id is not None:
                runs.setdefault(item.partner_id, []).append(item.id)
    return tuple(PackPartner(p.id, p.name, p.contact_name, p.contact_role, p.contact_email, tuple(sorted(runs[p.id])))
                 for p in sorted(catalogue.partners, key=lambda p: p.id) if p.id in runs)

"""Scoring a donor's profile against the catalogue: the reasons an item matches, and what the donor's money would do.

The rules (points, themes, places, ticket sizes, match offers) are written in
views/donor_pack.py's docstring; this module holds them as small pure functions.
Money: the donor's ticket sizes are converted to the reporting currency once,
half-even, to the cent (costing.convert); coverage keeps four decimals like the model's.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from catalogue.model.catalogue import Figures, MatchOffer, Priority
from catalogue.model.leverage import COUNTED, donor_to_close, match_for_gift
from catalogue.model.reasons import Reason
from catalogue.money import convert, coverage

ZERO = Decimal("0")
WEIGHTS = {"taxon": 3, "region": 2, "region_global": 1, "country": 2, "target": 1, "instrument": 2,
           "keyword": 2, "match": 1, "ticket_within": 2, "ticket_above": 1}
THEMES = ("taxon", "target", "instrument", "keyword")
PLACES = ("region", "country")


@dataclass(frozen=True)
class MatchReason:
    """One reason an item was chosen: a kind (a code: taxon, region, keyword...) and the values that matched.

    The renderers word it (catalogue/render/pdf/pack_pdf.py): "taxon: birds", "fits ticket size".
    """

    kind: str  # taxon | region | country | target | instrument | keyword | match | ticket
    values: tuple[str, ...]  # e.g. ("birds",); for ticket: ("within",) or ("above",)
    points: int


@dataclass(frozen=True)
class Scenario:
    """If the donor funds this item: their contribution and what it leaves, in the reporting currency."""

    contribution: Decimal  # min(gap, largest grant)
    gap_after: Decimal
    coverage_after: Decimal | None
    match_unlocked: Decimal  # partner money the contribution releases (activities with a match offer, match-funding donors)
    gap_after_match: Decimal
    coverage_after_match: Decimal | None
    donor_to_close_with_match: Decimal | None  # the donor money that, with the match, closes the gap


def money_value(value: Any) -> Decimal | None:
    """A profile amount as an exact Decimal (via its text, never a float); None when it is missing or empty."""
    return None if value is None or value == "" else Decimal(str(value))


def keyword_hits(keywords: Iterable[str], *texts: str) -> tuple[str, ...]:
    """Donor keywords found in the texts, case-insensitively, at the start of a word ("flyway" finds "Flyways")."""
    haystack = " ".join(texts).casefold()
    return tuple(k for k in keywords if re.search(r"(?<!\w)" + re.escape(k.casefold()), haystack))


def ticket_fit(gap: Decimal, ticket_min: Decimal | None, ticket_max: Decimal | None) -> str:
    """below | within | above: where a gap sits against the donor's grant sizes."""
    if ticket_min is not None and gap < ticket_min:
        return "below"
    if ticket_max is not None and gap > ticket_max:
        return "above"
    return "within"


def scenario(figures: Figures, ticket_max: Decimal | None, offer: MatchOffer | None = None,
             match_funding: bool = False) -> Scenario:
    """What happens to an item's gap if the donor gives min(gap, largest grant), and what match that unlocks.

    The match follows model/leverage.py, the catalogue's own rule: only an offer that counts (open work, not
    expired), and never past the gap the gift leaves.
    """
    gap, required = figures.gap, figures.required
    secured = required - gap  # the model's capped secured money: gap = required - secured wherever gap > 0
    contribution = gap if ticket_max is None else min(gap, ticket_max)
    gap_after = gap - contribution
    unlocked, close = ZERO, None
    if match_funding and offer is not None and offer.standing == COUNTED:
        unlocked = match_for_gift(contribution, offer.up_to, offer.ratio, gap)
        close = donor_to_close(offer.up_to, offer.ratio, gap)
    gap_after_match = gap_after - unlocked
    return Scenario(contribution, gap_after, coverage(secured + contribution, required), unlocked, gap_after_match,
                    coverage(secured + contribution + unlocked, required), close)


# --------------------------------------------------------------------------- scoring


@dataclass(frozen=True)
class Profile:
    taxa: frozenset[str]
    regions: frozenset[str]
    countries: frozenset[str]
    targets: frozenset[int]
    instruments: frozenset[str]
    keywords: tuple[str, ...]
    exclude_priority_ids: frozenset[str]
    exclude_countries: frozenset[str]
    exclude_keywords: tuple[str, ...]
    match_funding: bool
    ticket_min: Decimal | None
    ticket_max: Decimal | None

    @classmethod
    def of(cls, donor: dict[str, Any], rate: Decimal) -> Profile:
        """A donor profile read for scoring: instruments case-folded, ticket sizes converted at `rate` into the
        reporting currency once, half-even, to the cent."""
        def ticket(key: str) -> Decimal | None:
            amount = money_value(donor.get(key))
            return None if amount is None else convert(amount, rate)
        return cls(
            taxa=frozenset(donor.get("taxa") or ()), regions=frozenset(donor.get("regions") or ()),
            countries=frozenset(donor.get("countries") or ()),
            targets=frozenset(int(t) for t in donor.get("strategic_plan_targets") or ()),
            instruments=frozenset(i.casefold() for i in donor.get("instruments") or ()),
            keywords=tuple(donor.get("keywords") or ()),
            exclude_priority_ids=frozenset(donor.get("exclude_priority_ids") or ()),
            exclude_countries=frozenset(donor.get("exclude_countries") or ()),
            exclude_keywords=tuple(donor.get("exclude_keywords") or ()),
            match_funding=bool(donor.get("match_funding", False)),
            ticket_min=ticket("ticket_min"), ticket_max=ticket("ticket_max"))


def _region_reason(p: Priority, profile: Profile) -> list[MatchReason]:
    """A shared region (+2), or a Global priority that includes the donor's regions (+1)."""
    if not profile.regions:
        return []
    regions = tuple(r for r in p.regions if r in profile.regions)
    if regions:
        return [MatchReason("region", regions, WEIGHTS["region"])]
    if "Global" in p.regions:
        return [MatchReason("region", ("Global",), WEIGHTS["region_global"])]
    return []


def priority_reasons(p: Priority, profile: Profile) -> list[MatchReason]:
    """Why a priority fits the donor, with points: taxa, regions, targets, instrument, title keywords, match offers.

    Ticket size is not among them: the caller adds it (ticket_reason) once it knows the gap's fit.
    """
    reasons: list[MatchReason] = []
    taxa = tuple(t for t in p.taxa if t in profile.taxa)
    if taxa:
        reasons.append(MatchReason("taxon", taxa, WEIGHTS["taxon"]))
    reasons += _region_reason(p, profile)
    targets = tuple(str(t) for t in p.strategic_plan_targets if t in profile.targets)
    if targets:
        reasons.append(MatchReason("target", targets, WEIGHTS["target"] * len(targets)))
    if p.instrument.casefold() in profile.instruments:
        reasons.append(MatchReason("instrument", (p.instrument,), WEIGHTS["instrument"]))
    keywords = keyword_hits(profile.keywords, p.title)
    if keywords:
        reasons.append(MatchReason("keyword", keywords, WEIGHTS["keyword"] * len(keywords)))
    if profile.match_funding and p.match.offers:
        reasons.append(MatchReason("match", (), WEIGHTS["match"]))
    return reasons


def ticket_reason(fit: str) -> list[MatchReason]:
    """The ticket-size reason for a gap that fits: +2 within the donor's grant sizes, +1 above (below: not shown)."""
    return [MatchReason("ticket", (fit,), WEIGHTS["ticket_within" if fit == "within" else "ticket_above"])]


def excluded_by(profile: Profile, title: str, description: str = "", countries: Iterable[str] = ()) -> Reason | None:
    """Why the donor excludes an item: an excluded keyword in its words, else an excluded country; None if neither."""
    words = keyword_hits(profile.exclude_keywords, title, description)
    if words:
        return Reason("excluded-keyword", (("values", ", ".join(words)),))
    places = sorted(set(countries) & profile.exclude_countries)
    if places:
        return Reason("excluded-country", (("values", ", ".join(places)),))
    return None


def interests(donor: dict[str, Any]) -> tuple[MatchReason, ...]:
    """The donor's profile as the pack shows it: each kind of interest it names, with its values and no points."""
    shown = [("taxon", donor.get("taxa")), ("region", donor.get("regions")), ("country", donor.get("countries")),
             ("target", [str(t) for t in donor.get("strategic_plan_targets") or ()]),
             ("instrument", donor.get("instruments")), ("keyword", donor.get("keywords"))]
    return tuple(MatchReason(kind, tuple(values), 0) for kind, values in shown if values)

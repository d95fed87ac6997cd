"""Honest leverage: what a donor's money unlocks through a partner's match offer, never more than the work needs.

One rule for the catalogue, the donor packs and the donor site:
- an offer counts only on open work, and only while it has not expired (an offer whose `expires` is on or
  before the as-at date is not counted, and a warning names it);
- donor money + the match it unlocks never exceed the activity's open gap: when the whole offer (the ceiling
  and the donor money it needs, ceiling / ratio) would pass the gap, the donor money is cut to
  gap / (1 + ratio), rounded down to the cent, and the match to ratio x that (half-even, never above the
  ceiling, and never past the gap);
- a pledged or requested funding line of type `match` on an activity with an offer is the offer's own money:
  it is shown with the offer and not counted again as pledged or requested.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_FLOOR, ROUND_HALF_EVEN, Decimal

from catalogue.issues import N_, DataIssue, issue
from catalogue.model.merge import Work
from catalogue.money import CENT

COUNTED = "counted"
NOT_OPEN = "not-open"  # the work is past or suspended: nothing is offered
EXPIRED = "expired"
NO_GAP = "no-gap"  # the work is fully funded: there is nothing left to unlock


@dataclass(frozen=True)
class Unlocked:
    """What an offer unlocks now: donor money, the match it brings, and whether (and why not) it counts."""

    donor: Decimal
    match: Decimal
    standing: str  # counted | not-open | expired | no-gap


def offer_expired(expires: date | None, as_at: date) -> bool:
    """An offer without an end date stands; one ending on or before the as-at date has lapsed."""
    return expires is not None and expires <= as_at


def unlocked(up_to: Decimal, ratio: Decimal, open_gap: Decimal, *, is_open: bool = True,
             expires: date | None = None, as_at: date | None = None) -> Unlocked:
    """The donor money an offer needs and the match it unlocks, capped at the open gap (the module's rule)."""
    zero = Decimal("0.00")
    if not is_open:
        return Unlocked(zero, zero, NOT_OPEN)
    if as_at is not None and offer_expired(expires, as_at):
        return Unlocked(zero, zero, EXPIRED)
    if open_gap <= 0:
        return Unlocked(zero, zero, NO_GAP)
    full_donor = (up_to / ratio).quantize(CENT, rounding=ROUND_HALF_EVEN)
    if full_donor + up_to <= open_gap:
        return Unlocked(full_donor, up_to, COUNTED)
    donor = (open_gap / (1 + ratio)).quantize(CENT, rounding=ROUND_FLOOR)
    match = min(up_to, (donor * ratio).quantize(CENT, rounding=ROUND_HALF_EVEN), open_gap - donor)
    return Unlocked(donor, match, COUNTED)


def match_for_gift(gift: Decimal, up_to: Decimal, ratio: Decimal, open_gap: Decimal) -> Decimal:
    """The match a donor's `gift` brings to one activity: ratio x gift, up to the ceiling, and never past the
    gap the gift leaves (so gift + match <= the open gap)."""
    room = max(open_gap - gift, Decimal("0.00"))
    return min((gift * ratio).quantize(CENT, rounding=ROUND_HALF_EVEN), up_to, room)


def donor_to_close(up_to: Decimal, ratio: Decimal, open_gap: Decimal) -> Decimal:
    """The donor money that, with the match it brings, closes the open gap: gap / (1 + ratio) while the ceiling
    is not reached (the capped offer of `unlocked`), else the gap less the whole ceiling."""
    capped = unlocked(up_to, ratio, open_gap)
    if capped.donor + capped.match >= open_gap:
        return capped.donor
    return open_gap - up_to


def leverage(donor: Decimal, match: Decimal) -> Decimal | None:
    """(donor + match) / donor to two decimals; None when no donor money is asked."""
    if not donor:
        return None
    return ((donor + match) / donor).quantize(CENT, rounding=ROUND_HALF_EVEN)


def expired_offer_warnings(works: Iterable[Work], as_at: date) -> list[DataIssue]:
    """An offer whose `expires` is on or before the as-at date: named, and not counted (the rule above)."""
    found: list[DataIssue] = []
    for work in works:
        offer = work.data.get("match_offer") or {}
        expires = offer.get("expires")
        if expires and offer_expired(date.fromisoformat(expires), as_at):
            found.append(issue(
                "match-offer-expired", work.locate("match_offer", "expires"),
                N_("%(id)s's match offer expired on %(expires)s, on or before the 'as at' date %(as_at)s: it is not "
                   "counted in what donor money unlocks."),
                N_("If the partner renews the offer, type its new end date; otherwise remove the offer."),
                params={"id": work.id, "expires": expires, "as_at": as_at},
                value=str(expires), field="match_offer/expires", record_id=work.id))
    return found

"""What a donor already funds: its money in the programme (with its ministries and agencies), the flows of it to
partners and priorities, and its open pledges. The first page of its pack, from the model's contributions."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from catalogue.model.catalogue import Catalogue
from catalogue.model.contributions import Flow, PledgeToChase

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class Portfolio:
    """A donor's money in the programme: committed (secured), paid and pledged, by flow; its open pledges."""

    donor_id: str
    donor_name: str
    committed: Decimal
    paid: Decimal
    pledged: Decimal
    flows: tuple[Flow, ...]  # by implementer, then priority
    pledges: tuple[PledgeToChase, ...]  # overdue first

    @property
    def funds_anything(self) -> bool:
        """Whether the donor has any money committed or pledged (paid money is part of committed)."""
        return bool(self.committed or self.pledged)


def family(catalogue: Catalogue, donor_id: str) -> set[str]:
    """The donor and every registered donor below it."""
    parents = {d.id: d.parent for d in catalogue.contributions.donors if d.id}
    members = {donor_id}
    grew = True
    while grew:
        grew = False
        for child, parent in parents.items():
            if parent in members and child not in members:
                members.add(child)
                grew = True
    return members


def portfolio(catalogue: Catalogue, donor_id: str | None) -> Portfolio | None:
    """What the register's donor `donor_id` already funds, or None when the profile names no register entry."""
    if not donor_id:
        return None
    entry = next((d for d in catalogue.contributions.donors if d.id == donor_id), None)
    members = family(catalogue, donor_id)
    flows = tuple(sorted((f for f in catalogue.contributions.flows if f.donor_id in members),
                         key=lambda f: (f.implementer_name, f.priority_id, f.donor_name)))
    pledges = tuple(p for p in catalogue.contributions.pledges if p.donor_id in members)
    if entry is None:
        return Portfolio(donor_id, donor_id, ZERO, ZERO, ZERO, flows, pledges)
    return Portfolio(donor_id, entry.name, entry.family_committed, entry.family_paid, entry.family_pledged, flows, pledges)

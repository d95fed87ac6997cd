"""Who gives what, and when: the donors of the programme, the flows of their money, the pledges to chase.

The figures are the funding lines' as committed (before capping at each item's requirement), in the reporting
currency; model/contribution_totals.py sums them, inputs/donor_register.py holds the register and the pipeline's rules.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal


@dataclass(frozen=True)
class DonorTotal:
    """One donor's money in the programme, as committed (before capping at each item's requirement).

    A registered donor has its register id; a source no register entry names has id "" and its own text as name.
    The `family_` figures add every donor below it (a government's ministries and agencies).
    """

    id: str
    name: str
    kind: str  # the register's kind, or "unregistered"
    parent: str | None
    committed: Decimal  # committed and paid: what counts as secured
    paid: Decimal
    pledged: Decimal
    requested: Decimal
    lines: int
    family_committed: Decimal
    family_paid: Decimal
    family_pledged: Decimal
    family_requested: Decimal
    implementers: tuple[str, ...]  # partner ids (and "secretariat") its money goes to


@dataclass(frozen=True)
class Flow:
    """Money from one donor to one implementer for one priority (FTS's source -> destination), as committed."""

    donor_id: str
    donor_name: str
    implementer: str  # a partner id, or "secretariat"
    implementer_name: str
    priority_id: str
    committed: Decimal
    paid: Decimal
    pledged: Decimal


@dataclass(frozen=True)
class PledgeToChase:
    """A pledged or requested funding line: who, how much, expected when; overdue once `expected_by` has passed."""

    donor_id: str
    donor_name: str
    item_id: str
    implementer: str
    line: int
    stage: str  # pledged | requested
    currency: str
    original_amount: Decimal
    amount: Decimal  # reporting currency
    pledged_on: date | None
    expected_by: date | None
    overdue: bool


@dataclass(frozen=True)
class Contributions:
    """Who gives what and when: donors, flows, the pledges to chase, and money by instrument and earmarking."""

    donors: tuple[DonorTotal, ...]  # by committed family money, largest first (then by name)
    flows: tuple[Flow, ...]  # by donor, implementer, priority
    pledges: tuple[PledgeToChase, ...]  # overdue first, then by expected date, donor and item
    by_instrument: tuple[tuple[str, Decimal], ...]  # committed money per instrument
    by_earmarking: tuple[tuple[str, Decimal], ...]  # committed money per earmarking level

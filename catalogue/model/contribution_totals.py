"""The contributions of a budgeted programme: money by donor (with families), flows, pledges to chase, instruments.

Every figure is a sum of funding lines as committed (before capping at each item's requirement, like "Money by
source"), in the reporting currency, in whole cents. A line at stage committed or paid counts in `committed`
(it is secured); `paid` is what was received (the whole amount at stage paid, or `paid` so far); pledged and
requested money is shown apart. In-kind lines count too: confirmed in kind as committed, pledged as pledged.
The part of a match offer pledged as a funding line is the offer's, not a pledge (model/leverage.py).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from catalogue.inputs.donor_register import DonorDirectory
from catalogue.model.catalogue import Activity, SecretariatTask
from catalogue.model.contributions import Contributions, DonorTotal, Flow, PledgeToChase
from catalogue.money import from_cents, to_cents

SECRETARIAT = "secretariat"
UNREGISTERED = "unregistered"
_COLUMNS = ("committed", "paid", "pledged", "requested")


class _Sums:
    """Running sums in cents per key: committed, paid, pledged, requested, and the number of lines."""

    def __init__(self) -> None:
        self.cents: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0, 0])

    def add(self, key: str, committed: int = 0, paid: int = 0, pledged: int = 0, requested: int = 0) -> None:
        row = self.cents[key]
        for index, value in enumerate((committed, paid, pledged, requested, 1)):
            row[index] += value


def _money(item: Activity | SecretariatTask) -> Iterable[tuple[str, str, int, int, int, int]]:
    """(donor key, display name, committed, paid, pledged, requested) for each of an item's lines, in cents."""
    implementer_name = item.partner_name if isinstance(item, Activity) else "CMS Secretariat"
    for line in item.funding_lines:
        if line.part_of_offer:
            continue
        cents = to_cents(line.amount)
        key = line.donor_id or f"~{line.source}"
        committed = cents if line.status == "confirmed" else 0
        paid = to_cents(line.paid) if line.paid is not None else 0
        yield key, line.source, committed, paid, cents if line.stage == "pledged" else 0, cents if line.stage == "requested" else 0
    for cost in item.budget_lines:
        if cost.in_kind:
            cents = to_cents(cost.amount)
            name = cost.in_kind_source or implementer_name
            key = cost.donor_id or f"~{name}"
            yield key, name, cents if cost.in_kind == "confirmed" else 0, 0, cents if cost.in_kind == "pledged" else 0, 0


def _implementer(item: Activity | SecretariatTask) -> tuple[str, str]:
    return (item.partner_id, item.partner_name) if isinstance(item, Activity) else (SECRETARIAT, "CMS Secretariat")


def _donor_totals(items: list[Activity | SecretariatTask], directory: DonorDirectory, lang: str) -> list[DonorTotal]:
    own = _Sums()
    names: dict[str, str] = {}
    implementers: dict[str, set[str]] = defaultdict(set)
    for item in items:
        implementer = _implementer(item)[0]
        for key, name, committed, paid, pledged, requested in _money(item):
            own.add(key, committed, paid, pledged, requested)
            names.setdefault(key, name)
            implementers[key].add(implementer)
    family = _Sums()
    # Each donor with money, under itself and every donor above it: one walk up per donor, so a register of
    # thousands of donors is not searched once per donor (it was, and that was most of this stage at 20,000).
    members: dict[str, list[str]] = defaultdict(list)
    for key, row in list(own.cents.items()):
        for member in (key, *directory.ancestors(key)):
            family.add(member, *row[:4])
            members[member].append(key)
    out: list[DonorTotal] = []
    for key in sorted(set(own.cents) | set(family.cents)):
        donor = directory.donors.get(key)
        mine, whole = own.cents.get(key, [0] * 5), family.cents[key]
        name = donor.name_in(lang) if donor else names[key]
        reach: set[str] = set()
        for member in members[key]:  # the donor and every donor with money below it
            reach |= implementers.get(member, set())
        out.append(DonorTotal(
            id=key if donor else "", name=name, kind=donor.kind if donor else UNREGISTERED,
            parent=donor.parent if donor else None, committed=from_cents(mine[0]), paid=from_cents(mine[1]),
            pledged=from_cents(mine[2]), requested=from_cents(mine[3]), lines=mine[4],
            family_committed=from_cents(whole[0]), family_paid=from_cents(whole[1]), family_pledged=from_cents(whole[2]),
            family_requested=from_cents(whole[3]), implementers=tuple(sorted(reach))))
    out.sort(key=lambda d: (-d.family_committed, -d.family_pledged, d.name))
    return out


def _flows(items: list[Activity | SecretariatTask]) -> list[Flow]:
    sums = _Sums()
    names: dict[str, tuple[str, str, str, str, str]] = {}
    for item in items:
        implementer, implementer_name = _implementer(item)
        for key, name, committed, paid, pledged, _ in _money(item):
            if not (committed or pledged):
                continue
            flow_key = f"{key}\0{implementer}\0{item.lead_priority_id}"
            sums.add(flow_key, committed, paid, pledged)
            names.setdefault(flow_key, (key, name, implementer, implementer_name, item.lead_priority_id))
    flows = []
    for flow_key, row in sums.cents.items():
        key, name, implementer, implementer_name, priority = names[flow_key]
        flows.append(Flow("" if key.startswith("~") else key, name, implementer, implementer_name, priority,
                          from_cents(row[0]), from_cents(row[1]), from_cents(row[2])))
    flows.sort(key=lambda f: (f.donor_name, f.implementer, f.priority_id))
    return flows


def _pledges(items: list[Activity | SecretariatTask], as_at: date) -> list[PledgeToChase]:
    found = []
    for item in items:
        implementer = _implementer(item)[0]
        for line in item.funding_lines:
            if line.part_of_offer or line.stage not in ("pledged", "requested"):
                continue
            overdue = line.expected_by is not None and line.expected_by < as_at
            found.append(PledgeToChase(line.donor_id or "", line.source, item.id, implementer, line.line, line.stage,
                                       line.currency, line.original_amount, line.amount, line.pledged_on,
                                       line.expected_by, overdue))
    found.sort(key=lambda p: (not p.overdue, p.expected_by or date.max, p.donor_name, p.item_id, p.line))
    return found


def _by(items: list[Activity | SecretariatTask], attribute: str) -> tuple[tuple[str, Decimal], ...]:
    sums: dict[str, int] = defaultdict(int)
    for item in items:
        for line in item.funding_lines:
            if line.status == "confirmed":
                sums[getattr(line, attribute)] += to_cents(line.amount)
        if attribute == "instrument":
            sums["in_kind"] += sum(to_cents(c.amount) for c in item.budget_lines if c.in_kind == "confirmed")
    return tuple((key, from_cents(value)) for key, value in sorted(sums.items()) if value)


def contributions(activities: Iterable[Activity], tasks: Iterable[SecretariatTask], directory: DonorDirectory,
                  as_at: date, lang: str = "en") -> Contributions:
    """Who gives what and when, from every activity's and task's lines (open or past: money given is money given)."""
    items: list[Activity | SecretariatTask] = [*activities, *tasks]
    return Contributions(tuple(_donor_totals(items, directory, lang)), tuple(_flows(items)),
                         tuple(_pledges(items, as_at)), _by(items, "instrument"), _by(items, "earmarking"))

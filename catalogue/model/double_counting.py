"""Money that may be claimed twice: flagged with a code (grant-ref-shared, partner-counted-twice), never corrected."""

from __future__ import annotations

import re
from collections import defaultdict

from catalogue.model.catalogue import Activity, DoubleCount, Reason, SecretariatTask
from catalogue.model.merge import Programme


def double_counting(programme: Programme, activities: list[Activity], tasks: list[SecretariatTask]) -> list[DoubleCount]:
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

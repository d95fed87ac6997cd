"""Money that may be claimed twice: flagged with a code (grant-ref-shared, partner-counted-twice), never corrected."""

from __future__ import annotations

import re
from collections import defaultdict

from catalogue.issues import N_
from catalogue.model.catalogue import Activity, DoubleCount, SecretariatTask
from catalogue.model.merge import Programme
from catalogue.model.reasons import Reason

FUNDING_LINE_AT = N_("%(id)s funding line %(line)s")  # a place in DoubleCount.places, as stored (English)
_PLACE = re.compile(r"^(?P<id>.+) funding line (?P<line>\S+)$")


def place_parts(place: str) -> dict[str, str]:
    """A stored place (`ALPHA-001 funding line 2`) as its id and line, for saying it in another language."""
    found = _PLACE.match(place)
    return found.groupdict() if found else {"id": place, "line": ""}


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
                by_ref[line.grant_ref.strip().upper()].append(FUNDING_LINE_AT % {"id": item.id, "line": line.line})
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
                    own_funds[(a.partner_id, pid)].append(FUNDING_LINE_AT % {"id": a.id, "line": line.line})
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
                                         line.grant_ref, (FUNDING_LINE_AT % {"id": t.id, "line": line.line}, *claims)))
    return found

"""The pledges to chase, from a published catalogue.json: pledged and requested money by donor, overdue first.

Read from catalogue.json (not the inputs), so the list is the published catalogue's and comes back in a blink:
the CLI (`catalogue pledges`) and the Secretariat's desk both call `pledges_to_chase`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

Document = Mapping[str, Any]


def family_of(document: Document, donor_id: str) -> set[str]:
    """The donor and every registered donor below it (a government's ministries and their programmes)."""
    parents = {d["id"]: d.get("parent") for d in (document.get("contributions") or {}).get("donors", []) if d.get("id")}
    family = {donor_id}
    changed = True
    while changed:
        changed = False
        for child, parent in parents.items():
            if parent in family and child not in family:
                family.add(child)
                changed = True
    return family


def known_donors(document: Document) -> list[str]:
    """The register ids of the donors in the published catalogue's contributions, sorted (unregistered: no id)."""
    return sorted(d["id"] for d in (document.get("contributions") or {}).get("donors", []) if d.get("id"))


def pledges_to_chase(document: Document, donor: str | None = None, overdue_only: bool = False) -> list[dict[str, Any]]:
    """The catalogue's pledges to chase (overdue first, then by expected date), for one donor's family if asked."""
    pledges = list((document.get("contributions") or {}).get("pledges", []))
    if donor is not None:
        family = family_of(document, donor)
        pledges = [p for p in pledges if p.get("donor_id") in family]
    if overdue_only:
        pledges = [p for p in pledges if p.get("overdue")]
    return pledges

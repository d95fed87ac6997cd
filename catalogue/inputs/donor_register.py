"""The donor register: who gives, under which names, and the contribution pipeline's rules.

A funding line names its donor by id (`donor`), or, in a sheet from before the register, by the free text of its
`source`, which is matched to a donor's name or one of its aliases (case, accents, spaces and punctuation
ignored). An in-kind line's `in_kind_source` is matched the same way. A line no donor matches stays under its
own text (and the checks warn, naming the closest register entries).

The pipeline (OCHA FTS's): requested -> pledged (announced, not signed) -> committed (signed) -> paid
(received). Committed and paid money is secured; pledged and requested money is shown, never counted. A sheet's
old `status` maps onto it: confirmed is committed, pledged and requested stay.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

STAGES = ("requested", "pledged", "committed", "paid")
SECURED_STAGES = ("committed", "paid")
_STATUS_STAGE = {"confirmed": "committed", "pledged": "pledged", "requested": "requested"}
DEFAULT_INSTRUMENT = "grant"
DEFAULT_EARMARKING = "earmarked"  # money given for one activity or task is earmarked to it


def stage_of(line: Mapping[str, Any]) -> str:
    """A funding line's pipeline stage: its `stage`, or its old `status` mapped (confirmed -> committed)."""
    stage = line.get("stage")
    if stage in STAGES:
        return str(stage)
    return _STATUS_STAGE.get(str(line.get("status")), "requested")


def status_of_stage(stage: str) -> str:
    """The money's standing as the budget counts it: confirmed (committed or paid), pledged or requested."""
    return "confirmed" if stage in SECURED_STAGES else stage


def name_key(text: str) -> str:
    """A name as matching sees it: no accents, no case, no punctuation, single spaces."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").casefold()
    return " ".join(re.sub(r"[^a-z0-9]+", " ", plain).split())


@dataclass(frozen=True)
class Donor:
    """One register entry."""

    id: str
    name: str
    kind: str
    country: str | None = None
    parent: str | None = None
    partner_id: str | None = None
    names: tuple[tuple[str, str], ...] = ()  # (language, name) for fr and es, when given

    def name_in(self, lang: str) -> str:
        """The donor's name in `lang` (French or Spanish, when given), else its register name."""
        return dict(self.names).get(lang) or self.name


class DonorDirectory:
    """The register, indexed by id and by every name and alias it knows."""

    def __init__(self, rows: Iterable[Mapping[str, Any]]) -> None:
        self.donors: dict[str, Donor] = {}
        self._by_name: dict[str, str] = {}
        self._matched: dict[str, str | None] = {}  # source text -> donor id: the same few names recur on every line
        for row in rows:
            donor_id = str(row["id"])
            if donor_id in self.donors:
                continue  # a duplicate id is an error of its own (checks/ids.py)
            names = tuple((lang, str(row[f"name_{lang}"])) for lang in ("fr", "es") if row.get(f"name_{lang}"))
            self.donors[donor_id] = Donor(donor_id, str(row["name"]), str(row["kind"]), row.get("country"),
                                          row.get("parent"), row.get("partner_id"), names)
            for name in (donor_id, row["name"], *(n for _, n in names), *(row.get("aliases") or ())):
                self._by_name.setdefault(name_key(str(name)), donor_id)

    def __bool__(self) -> bool:
        return bool(self.donors)

    def match(self, text: str | None) -> str | None:
        """The id of the donor this name or alias is, or None."""
        if not text:
            return None
        try:
            return self._matched[text]
        except KeyError:
            found = self._matched[text] = self._by_name.get(name_key(text))
            return found

    def resolve(self, donor: str | None, source: str | None) -> str | None:
        """A line's donor: its `donor` id if registered, else the donor its source text names, else None."""
        if donor and donor in self.donors:
            return donor
        return self.match(source)

    def closest(self, text: str, count: int = 3) -> list[str]:
        """Register entries whose names come closest to `text`, as "id (name)", best first."""
        keys = difflib.get_close_matches(name_key(text), list(self._by_name), n=count * 3, cutoff=0.4)
        found: list[str] = []
        for key in keys:
            donor = self.donors[self._by_name[key]]
            label = f"{donor.id} ({donor.name})"
            if label not in found:
                found.append(label)
        return found[:count]

    def own_funds_of(self, partner_id: str) -> str | None:
        """The register entry for a partner's own funds (kind partner_own_funds naming it), if any."""
        return next((d.id for d in self.donors.values() if d.partner_id == partner_id and d.kind == "partner_own_funds"),
                    None)

    def ancestors(self, donor_id: str) -> list[str]:
        """The donor's parent, its parent's parent...: a ministry rolls up to its government (loops stop)."""
        chain: list[str] = []
        current = self.donors.get(donor_id)
        while current is not None and current.parent and current.parent not in chain and current.parent != donor_id:
            chain.append(current.parent)
            current = self.donors.get(current.parent)
        return chain

    def root_of(self, donor_id: str) -> str:
        """The top of the donor's family: the government of a ministry, the donor itself otherwise."""
        chain = self.ancestors(donor_id)
        return chain[-1] if chain else donor_id

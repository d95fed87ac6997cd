"""Join priorities, partners, Secretariat tasks, partner activities and rates into one programme."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from catalogue.inputs.donor_register import DonorDirectory
from catalogue.inputs.records import Record
from catalogue.inputs.settings import CatalogueSettings
from catalogue.issues import Location
from catalogue.model.catalogue import FxRate


@dataclass(frozen=True)
class Work:
    """An activity or a task: its validated data and the place it came from."""

    data: dict[str, Any]
    source: str
    record: Record | None = None  # the loader's record, to locate a finding at its cell (None when built in memory)

    @property
    def id(self) -> str:
        """The activity's or task's id, as typed."""
        return str(self.data["id"])

    @property
    def lead_priority_id(self) -> str:
        """The first-listed priority: the one this work's money counts against."""
        # Money counts once, against the first-listed priority, so that groupings sum to the totals.
        return str(self.data["priority_ids"][0])

    def locate(self, *path: str | int) -> Location:
        """Where one of the record's fields was typed, e.g. ("end",) or ("match_offer", "expires") (the file alone
        when the record is not known)."""
        return self.record.locate(tuple(path)) if self.record is not None else Location(self.source)


@dataclass(frozen=True)
class Programme:
    settings: CatalogueSettings
    rates: dict[str, FxRate]
    priorities: dict[str, dict[str, Any]]  # by id, sorted
    partners: dict[str, dict[str, Any]]  # by id, sorted
    activities: tuple[Work, ...]  # by id
    tasks: tuple[Work, ...]  # by id
    donors: DonorDirectory = field(default_factory=lambda: DonorDirectory(()))  # the register (inputs/donors.csv)

    def rate_values(self) -> dict[str, Decimal]:
        """Each currency's exact rate (units of reporting currency per unit), without its date and source."""
        return {c: r.rate for c, r in self.rates.items()}


def _first_by(records: list[Record], key: str) -> dict[str, Record]:
    """Index by key; a duplicate is an error reported by checks, so only the first is kept here."""
    out: dict[str, Record] = {}
    for record in records:
        out.setdefault(record.data[key], record)
    return dict(sorted(out.items()))


def merge_programme(records: dict[str, list[Record]], settings: CatalogueSettings) -> Programme:
    """One programme from schema-valid, cross-checked records."""
    rates = {
        currency: FxRate(currency, Decimal(str(r.data["rate"])), date.fromisoformat(r.data["date"]), r.data["source"])
        for currency, r in _first_by(records["fx_rate"], "currency").items()
    }
    if settings.reporting_currency not in rates:
        rates[settings.reporting_currency] = FxRate(settings.reporting_currency, Decimal(1), settings.as_at, "Reporting currency")
    rates = dict(sorted(rates.items()))
    return Programme(
        settings=settings,
        rates=rates,
        priorities={k: r.data for k, r in _first_by(records["priority"], "id").items()},
        partners={k: r.data for k, r in _first_by(records["partner"], "id").items()},
        activities=tuple(Work(r.data, r.origin.describe(), r) for r in _first_by(records["workplan_activity"], "id").values()),
        tasks=tuple(Work(r.data, r.origin.describe(), r) for r in _first_by(records["secretariat_task"], "id").values()),
        donors=DonorDirectory(r.data for r in records.get("donor_register", [])),
    )

"""inputs/settings.json as the edition-wide settings a catalogue is built with (checked against settings.schema.json)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any


@dataclass(frozen=True)
class CatalogueSettings:
    """Edition-wide choices, from inputs/settings.json (validated against settings.schema.json)."""

    reporting_currency: str
    period_start: date
    period_end: date
    as_at: date
    locale: str = "en"
    title: str = "CMS Programme Catalogue"
    edition: str = ""
    languishing_coverage_threshold: Decimal = Decimal("0.25")

    @classmethod
    def from_record(cls, data: dict[str, Any]) -> CatalogueSettings:
        return cls(
            reporting_currency=data.get("reporting_currency", "USD"),
            period_start=date.fromisoformat(data["period"]["start"]),
            period_end=date.fromisoformat(data["period"]["end"]),
            as_at=date.fromisoformat(data["as_at"]),
            locale=data.get("locale", "en"),
            title=data.get("title", "CMS Programme Catalogue"),
            edition=data.get("edition", ""),
            languishing_coverage_threshold=Decimal(str(data.get("languishing_coverage_threshold", "0.25"))),
        )

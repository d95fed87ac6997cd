"""inputs/settings.json as the edition-wide settings a catalogue is built with (checked against settings.schema.json)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from catalogue.issues import N_

DEFAULT_ORGANISATION = N_("CMS Secretariat")  # a msgid too: read in the document's language when settings name none


def per_language(value: Any) -> tuple[tuple[str, str], ...]:
    """A text given once (`"CMS Secretariat"`, read as English) or per language (`{"en": ..., "fr": ...}`)."""
    if isinstance(value, dict):
        return tuple((str(lang), str(text)) for lang, text in value.items() if str(text).strip())
    return (("en", str(value)),) if value else ()


def in_language(texts: tuple[tuple[str, str], ...], lang: str) -> str:
    """The text in `lang`, else in English, else the first given (a title is never empty)."""
    given = dict(texts)
    return given.get(lang) or given.get("en") or next(iter(given.values()), "")


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
    languishing_min_cops_ago: int = 0  # a priority languishes only when adopted at least this many CoPs ago
    cops: tuple[tuple[int, date], ...] = ()  # (CoP number, the date it opened), from `cop_dates`
    titles: tuple[tuple[str, str], ...] = ()  # (language, title) where settings give the title per language
    organisation: tuple[tuple[str, str], ...] = (("en", DEFAULT_ORGANISATION),)  # (language, name) of who publishes
    iati_organisation_identifier: str | None = None  # who publishes, as IATI knows it: the IATI files need it
    contact: tuple[tuple[str, str], ...] = ()  # (name|email|url, value): how donors reach the publisher
    logo: str | None = None  # a PNG or JPEG in the inputs folder (inputs/logo.py checks it), on the donor site

    @property
    def cop_dates(self) -> dict[int, date]:
        """CoP number -> the date it opened (the adoption date of what it adopted)."""
        return dict(self.cops)

    @classmethod
    def from_record(cls, data: dict[str, Any]) -> CatalogueSettings:
        """The settings from settings.json's data (already valid against its schema), defaults filled in."""
        return cls(
            reporting_currency=data.get("reporting_currency", "USD"),
            period_start=date.fromisoformat(data["period"]["start"]),
            period_end=date.fromisoformat(data["period"]["end"]),
            as_at=date.fromisoformat(data["as_at"]),
            locale=data.get("locale", "en"),
            title=in_language(per_language(data.get("title", "CMS Programme Catalogue")), data.get("locale", "en")),
            titles=per_language(data.get("title", "")),
            organisation=per_language(data.get("organisation", DEFAULT_ORGANISATION)),
            iati_organisation_identifier=data.get("iati_organisation_identifier"),
            contact=tuple((key, str(value)) for key, value in (data.get("contact") or {}).items()),
            logo=data.get("logo"),
            edition=data.get("edition", ""),
            languishing_coverage_threshold=Decimal(str(data.get("languishing_coverage_threshold", "0.25"))),
            languishing_min_cops_ago=int(data.get("languishing_min_cops_ago", 0)),
            cops=tuple(sorted((int(number), date.fromisoformat(opened))
                              for number, opened in (data.get("cop_dates") or {}).items())),
        )

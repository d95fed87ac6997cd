"""One partner's co-funding then and now: its entry of the published catalogue.json's `changes` object.

The statement does not compare editions itself: the build already did, into
catalogue.json's `changes` (catalogue/model/editions/compare.py). This module selects
the partner's entry and copies its figures, so the statement, the catalogue's
"Since the last edition" section and `catalogue changes` agree to the cent.
Nothing is recomputed: then, now, change and rate effect are the object's.

What the statement can say (PartnerChanges.code):
- "nothing-to-compare": no published catalogue.json, or a first edition;
- "currency-changed": the reporting currency changed, so amounts do not compare;
- "other-edition": the published catalogue is not the edition the statement
  shows (the inputs changed since it was built), so its changes would not fit;
- "unchanged": compared, and none of the partner's figures moved;
- "compared": the partner's figures then and now (it may be new: `added`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from catalogue.issues import N_

NOTHING_TO_COMPARE = "nothing-to-compare"
CURRENCY_CHANGED = "currency-changed"
OTHER_EDITION = "other-edition"
UNCHANGED = "unchanged"
COMPARED = "compared"

# The partner's figures a statement shows then and now, in order, with their labels (catalogue.json names).
MEASURES: tuple[tuple[str, str], ...] = (
    ("cofunding_cash", N_("Co-funding, cash, confirmed")),
    ("cofunding_in_kind", N_("Co-funding, in kind, confirmed")),
    ("cofunding_total", N_("Co-funding, total, confirmed")),
    ("pledged", N_("Pledged to these activities (all sources)")),
)
MEASURE_LABELS = dict(MEASURES)
SINCE_TEXT = {
    NOTHING_TO_COMPARE: N_("There is no earlier edition to compare with: this is the first edition of the catalogue."),
    CURRENCY_CHANGED: N_("The reporting currency changed since the last edition, so amounts cannot be compared."),
    OTHER_EDITION: N_("The published catalogue is not this edition, so there is nothing to compare with here."),
    UNCHANGED: N_("None of the partner's figures has changed since the edition %(edition)s (as at %(date)s)."),
    COMPARED: N_("Compared with the edition %(edition)s (figures as at %(date)s)."),
}
ADDED_TEXT = N_("The partner was not in the edition %(edition)s: every figure is new.")
RATE_NOTE = N_("Part of a change comes from exchange rates: the rate effect column shows how much; the rest is real money.")


@dataclass(frozen=True)
class FigureThenNow:
    """One of the partner's figures in the compared edition and in this one (copied from `changes`)."""

    measure: str
    then: Decimal
    now: Decimal
    change: Decimal
    rate_effect: Decimal
    money_effect: Decimal


@dataclass(frozen=True)
class PartnerChanges:
    """What a partner's statement says under "Since the last edition"."""

    code: str
    then_edition: str = ""
    then_as_at: str = ""  # ISO date of the compared edition's figures
    added: bool = False  # the partner is new in this edition
    figures: tuple[FigureThenNow, ...] = ()

    @property
    def has_rate_effect(self) -> bool:
        """Whether exchange rates moved any figure (a non-zero rate effect), so the rate note is shown."""
        return any(f.rate_effect for f in self.figures)

    @property
    def then_date(self) -> date | None:
        """The "as at" date of the compared edition's figures; None when nothing was compared."""
        return date.fromisoformat(self.then_as_at) if self.then_as_at else None

    @property
    def message(self) -> str:
        """The sentence (a msgid with %(edition)s and %(date)s where it names the edition) that heads the table."""
        return SINCE_TEXT[self.code]

    def label(self, measure: str) -> str:
        """A measure's row label (a msgid, translated by the renderer)."""
        return MEASURE_LABELS[measure]


def _figure(measure: str, figure: Mapping[str, str]) -> FigureThenNow:
    return FigureThenNow(measure, Decimal(figure["then"]), Decimal(figure["now"]), Decimal(figure["change"]),
                         Decimal(figure["rate_effect"]), Decimal(figure["money_effect"]))


def _same_edition(changes: Mapping[str, Any], edition: str, as_at: str) -> bool:
    now = changes.get("now") or {}
    return bool(now.get("edition", "") == edition and now.get("as_at", "") == as_at)


def partner_changes(changes: Mapping[str, Any] | None, partner_id: str, *, edition: str, as_at: str,
                    confirmed_now: tuple[Decimal, Decimal] | None = None) -> PartnerChanges:
    """The partner's figures then and now from catalogue.json's `changes` (None: no catalogue.json published).

    `edition` and `as_at` (ISO date) are the statement's own: when the published
    catalogue is of another edition its changes are not shown. `confirmed_now`,
    the statement's own confirmed (cash, in kind), guards the same mismatch for
    a changed partner: the object's "now" must be the statement's figures.
    """
    if not changes or changes.get("code") == "first-edition":
        return PartnerChanges(NOTHING_TO_COMPARE)
    if changes.get("code") != "compared":
        return PartnerChanges(CURRENCY_CHANGED)
    if not _same_edition(changes, edition, as_at):
        return PartnerChanges(OTHER_EDITION)
    then = changes.get("then") or {}
    entry = next((p for p in changes.get("items", {}).get("partners", []) if p["id"] == partner_id), None)
    name, date_text = str(then.get("edition", "")), str(then.get("as_at", ""))
    if entry is None:
        return PartnerChanges(UNCHANGED, name, date_text)
    figures = tuple(_figure(m, entry["figures"][m]) for m, _ in MEASURES if m in entry["figures"])
    now = {f.measure: f.now for f in figures}
    if confirmed_now is not None and (now.get("cofunding_cash"), now.get("cofunding_in_kind")) != confirmed_now:
        return PartnerChanges(OTHER_EDITION)
    return PartnerChanges(COMPARED, name, date_text, entry["change"] == "added", figures)

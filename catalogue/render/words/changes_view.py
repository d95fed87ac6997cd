"""Words and drawings for catalogue.json's `changes` object: the one place its codes become text.

The PDF section (templates/changes.html.j2), the workbook's Changes sheet
(xlsx/changes_sheet.py) and `catalogue changes` all word the same object here, so
they say the same thing; French and Spanish come from the catalogue's .po
files. Nothing is computed: every figure is printed as the model wrote it.
"""

from __future__ import annotations

import gettext as gettext_module
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from catalogue.issues import N_
from catalogue.render.words import formatting

Gettext = Callable[[str], str]
NO_TRANSLATION = gettext_module.NullTranslations().gettext

MONEY_HEADLINES = {
    "gap-changed": N_("Gap: %(then)s then, %(now)s now (%(change)s: %(money_effect)s from money, %(rate_effect)s from exchange rates)."),
    "secured-changed": N_("Secured: %(then)s then, %(now)s now (%(change)s: %(money_effect)s from money, %(rate_effect)s from exchange rates)."),
    "required-changed": N_("Required: %(then)s then, %(now)s now (%(change)s: %(money_effect)s from money, %(rate_effect)s from exchange rates)."),
    "pledged-changed": N_("Pledged: %(then)s then, %(now)s now (%(change)s: %(money_effect)s from money, %(rate_effect)s from exchange rates)."),
}
HEADLINES = {
    "first-edition": N_("This is the first edition: there is nothing to compare it with."),
    "no-change": N_("No figure has changed since the last edition."),
    "reporting-currency-changed": N_("The reporting currency changed from %(then)s to %(now)s, so amounts cannot be compared."),
    "rates-changed": N_("Exchange rates changed for %(currencies)s; each change below is split into the effect of rates and the effect of money."),
    "rate-not-redated": N_("Warning: the rate of %(currencies)s changed but its date did not; check fx_rates.csv and date the new rate."),
    "status-moves": N_("Funding status moved for %(count)s priorities, activities or tasks."),
    "pledges-confirmed": N_("Pledges confirmed: %(count)s, worth %(amount)s."),
    "match-taken-up": N_("Match offers taken up: %(count)s, unlocking %(amount)s of partners' match money."),
    "languishing-became": N_("Priorities that became languishing: %(count)s."),
    "languishing-stopped": N_("Priorities no longer languishing: %(count)s."),
}
ITEMS_HEADLINES = {
    ("added", "priority"): N_("Priorities added: %(count)s."),
    ("added", "activity"): N_("Partner activities added: %(count)s."),
    ("added", "task"): N_("Secretariat tasks added: %(count)s."),
    ("added", "partner"): N_("Partners added: %(count)s."),
    ("added", "funding_source"): N_("Funding sources added: %(count)s."),
    ("added", "donor"): N_("Donors added: %(count)s."),
    ("removed", "priority"): N_("Priorities removed: %(count)s."),
    ("removed", "activity"): N_("Partner activities removed: %(count)s."),
    ("removed", "task"): N_("Secretariat tasks removed: %(count)s."),
    ("removed", "partner"): N_("Partners removed: %(count)s."),
    ("removed", "funding_source"): N_("Funding sources removed: %(count)s."),
    ("removed", "donor"): N_("Donors removed: %(count)s."),
}
KIND_TEXT = {"programme": N_("Whole programme"), "priorities": N_("Priority"), "activities": N_("Activity"),
             "secretariat_tasks": N_("Secretariat task"), "partners": N_("Partner"),
             "funding_sources": N_("Funding source"), "donors": N_("Donor")}
CHANGE_TEXT = {"added": N_("added"), "removed": N_("removed"), "changed": N_("changed"), "unchanged": N_("unchanged")}
MEASURE_TEXT = {"required": N_("Required"), "secured": N_("Secured"), "pledged": N_("Pledged"), "gap": N_("Gap"),
                "gap_if_pledged": N_("Gap if pledges are honoured"), "cofunding_cash": N_("Co-funding, cash"),
                "cofunding_in_kind": N_("Co-funding, in kind"), "cofunding_total": N_("Co-funding, total"),
                "confirmed": N_("Confirmed"), "requested": N_("Requested"), "committed": N_("Committed"),
                "paid": N_("Paid")}
COMPARED_WITH = N_("Compared with the edition %(edition)s (figures as at %(date)s, id %(id)s).")
# Two editions with one name (settings.json's "edition" not changed between builds): named by when each was built.
COMPARED_WITH_SAME_NAME = N_("Compared with the edition of %(built)s (figures as at %(date)s, id %(id)s): both "
                             "editions are named \"%(edition)s\".")
LANGUISHED_FOR = N_("languishing for %(count)s editions in a row")
LANGUISHED_AT_LEAST = N_("languishing for at least %(count)s editions in a row")


@dataclass(frozen=True)
class Wording:
    """Formatting bound to one locale, currency and language (the catalogue's Formatter carries the same three)."""

    locale: str
    currency: str
    gettext: Gettext = NO_TRANSLATION

    def money(self, value: str | Decimal, *, signed: bool = False) -> str:
        """`value` as money to the cent with its currency code; `signed` puts "+" before a rise."""
        amount = Decimal(value)
        text = formatting.money(amount, self.currency, self.locale, cents=True)
        return f"+{text}" if signed and amount > 0 else text

    def amount(self, value: str | Decimal, *, signed: bool = False) -> str:
        """For table cells whose header names the currency: cents, no currency code."""
        amount = Decimal(value)
        text = formatting.amount(amount, self.locale, cents=True)
        return f"+{text}" if signed and amount > 0 else text

    def date(self, value: str) -> str:
        """An ISO date as the locale writes it in full, or "—" when empty."""
        from datetime import date

        return formatting.date_text(date.fromisoformat(value), self.locale) if value else formatting.NO_VALUE

    def words(self, table: Mapping[Any, str], key: Any) -> str:
        """`key` in the reader's words from `table` (msgids by code); a key not in it shown as it is."""
        return self.gettext(table[key]) if key in table else str(key)


def headline_text(headline: Mapping[str, Any], wording: Wording) -> str:
    """One headline of `changes.headlines` as a sentence in the wording's language."""
    code, params = headline["code"], dict(headline.get("params", {}))
    _ = wording.gettext
    if code in MONEY_HEADLINES:
        shown = {k: wording.money(v, signed=k != "then" and k != "now") for k, v in params.items()}
        return _(MONEY_HEADLINES[code]) % shown
    if code.startswith("items-"):
        key = (code.removeprefix("items-"), params["kind"])
        return _(ITEMS_HEADLINES[key]) % {"count": params["count"]} if key in ITEMS_HEADLINES else code
    if "amount" in params:
        params["amount"] = wording.money(params["amount"])
    return _(HEADLINES[code]) % params if code in HEADLINES else code


def headline_lines(changes: Mapping[str, Any], wording: Wording) -> list[str]:
    """Every headline of `changes.headlines` as a sentence, in order."""
    return [headline_text(h, wording) for h in changes.get("headlines", [])]


def compared_with(changes: Mapping[str, Any], wording: Wording) -> str:
    """Which edition this one is compared with, or "" for a first edition."""
    then = changes.get("then")
    if not then:
        return ""
    params = {"edition": then.get("edition") or "—", "date": wording.date(then["as_at"]), "id": then.get("id") or "—"}
    now = changes.get("now") or {}
    if then.get("edition") and then.get("edition") == now.get("edition") and then.get("build_time"):
        return wording.gettext(COMPARED_WITH_SAME_NAME) % {**params, "built": wording.date(then["build_time"][:10])}
    return wording.gettext(COMPARED_WITH) % params


def languished_text(entry: Mapping[str, Any], wording: Wording) -> str:
    """How long a priority has languished ("for 3 editions in a row"; "at least" when the run may be longer)."""
    message = LANGUISHED_FOR if entry.get("complete", True) else LANGUISHED_AT_LEAST
    return wording.gettext(message) % {"count": entry["editions"]}


def item_rows(changes: Mapping[str, Any]) -> list[tuple[str, Mapping[str, Any]]]:
    """(kind list name, item) for the programme and every changed item, in the object's order."""
    rows: list[tuple[str, Mapping[str, Any]]] = []
    if changes.get("programme"):
        rows.append(("programme", changes["programme"]))
    for kind, items in changes.get("items", {}).items():
        rows += [(kind, item) for item in items]
    return rows


# --------------------------------------------------------------------------- the PDF section's chart
# Then and now bars for the largest gaps, as inline SVG geometry (layout only; the printed values are the model's).

CHART_WIDTH = 504.0
LABEL_WIDTH = 150.0
VALUE_WIDTH = 150.0
ROW_PITCH = 22.0
BAR_HEIGHT = 8.0


@dataclass(frozen=True)
class ThenNowRow:
    label: str
    then_y: str
    now_y: str
    then_width: str
    now_width: str
    text_y: str
    value_text: str


@dataclass(frozen=True)
class ThenNowChart:
    width: str
    height: str
    plot_x: str
    value_x: str
    bar_height: str
    rows: tuple[ThenNowRow, ...]


def then_now_chart(changes: Mapping[str, Any], wording: Wording) -> ThenNowChart | None:
    """Two bars per priority in `changes.largest_gaps`: the gap then (light) and now (dark), on one scale."""
    gaps = [(item["id"], item["figures"]["gap"]) for item in changes.get("largest_gaps", [])]
    if not gaps:
        return None
    scale = max(max(Decimal(g["then"]), Decimal(g["now"])) for _, g in gaps) or Decimal(1)
    plot_width = CHART_WIDTH - LABEL_WIDTH - VALUE_WIDTH
    rows = []
    for i, (priority_id, gap) in enumerate(gaps):
        top = 2.0 + i * ROW_PITCH
        width = {k: float(max(Decimal(gap[k]), Decimal(0)) / scale) * plot_width for k in ("then", "now")}
        rows.append(ThenNowRow(priority_id, f"{top:.1f}", f"{top + BAR_HEIGHT + 1:.1f}", f"{width['then']:.1f}",
                               f"{width['now']:.1f}", f"{top + BAR_HEIGHT + 3:.1f}",
                               f"{wording.money(gap['then'])} → {wording.money(gap['now'])}"))
    return ThenNowChart(f"{CHART_WIDTH:.1f}", f"{4.0 + len(rows) * ROW_PITCH:.1f}", f"{LABEL_WIDTH:.1f}",
                        f"{LABEL_WIDTH + plot_width + 6:.1f}", f"{BAR_HEIGHT:.1f}", tuple(rows))


@dataclass(frozen=True)
class ChangesView:
    """Everything templates/changes.html.j2 prints, worded; `changes` is the object itself, for its figures."""

    changes: Mapping[str, Any]
    compared_with: str
    headlines: tuple[str, ...]
    chart: ThenNowChart | None
    wording: Wording
    gap_changes: tuple[Mapping[str, Any], ...]  # priorities whose gap moved, largest move first

    @property
    def first_edition(self) -> bool:
        """Whether there is nothing to compare: a first edition, or a change of reporting currency."""
        return self.changes.get("code") != "compared"

    def measure(self, name: str) -> str:
        """A figure's name (`required`, `gap`...) as a row heading, in the reader's words."""
        return self.wording.words(MEASURE_TEXT, name)

    def languished(self, entry: Mapping[str, Any]) -> str:
        """How long `entry` (one of `changes.languishing`) has languished, in the reader's words."""
        return languished_text(entry, self.wording)


GAP_CHANGES_SHOWN = 15


def gap_changes(changes: Mapping[str, Any], count: int = GAP_CHANGES_SHOWN) -> tuple[Mapping[str, Any], ...]:
    """The changed priorities whose gap moved: real money first (largest money effect), then rates alone, ties by id."""
    moved = [p for p in changes.get("items", {}).get("priorities", []) if Decimal(p["figures"]["gap"]["change"])]
    moved.sort(key=lambda p: (-abs(Decimal(p["figures"]["gap"]["money_effect"])),
                              -abs(Decimal(p["figures"]["gap"]["change"])), p["id"]))
    return tuple(moved[:count])


def changes_view(changes: Mapping[str, Any], locale: str, currency: str, gettext: Gettext = NO_TRANSLATION) -> ChangesView:
    """The PDF section's view of `changes` (pass the catalogue Formatter's locale, currency and gettext)."""
    wording = Wording(locale, currency, gettext)
    return ChangesView(changes, compared_with(changes, wording), tuple(headline_lines(changes, wording)),
                       then_now_chart(changes, wording), wording, gap_changes(changes))

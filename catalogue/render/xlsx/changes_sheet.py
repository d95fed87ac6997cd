"""The workbook's "Changes" sheet: catalogue.json's `changes` object as rows a fundraiser can filter.

One row per figure of the programme and of every changed item: then, now,
change, money effect and rate effect, as numbers with the cents the object
holds (so the sheet reconciles with catalogue.json to the cent). Below them:
priorities that became or stopped being languishing, pledges confirmed, match
offers taken up and the exchange rates that moved. Titles are written as
strings only (the workbook is opened with strings_to_formulas off).
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from catalogue.issues import N_
from catalogue.render.words.changes_view import (
    CHANGE_TEXT,
    KIND_TEXT,
    MEASURE_TEXT,
    NO_TRANSLATION,
    Gettext,
    Wording,
    compared_with,
    headline_lines,
    item_rows,
    languished_text,
)
from catalogue.render.words.vocabulary import STATUS_TEXT

SHEET_NAME = N_("Changes")
COLUMNS = (N_("Kind"), N_("Id"), N_("Title"), N_("Change"), N_("Status then"), N_("Status now"), N_("Figure"),
           N_("Then"), N_("Now"), N_("Change (%(cur)s)"), N_("Money effect"), N_("Rate effect"))
WIDTHS = (16, 16, 44, 10, 14, 14, 22, 16, 16, 16, 16, 16)
MONEY_FROM = 7  # columns from here on are amounts


def _formats(book: Any, currency: str, formats: Mapping[str, Any] | None) -> dict[str, Any]:
    """The workbook's own formats when given (catalogue_xlsx's), else plain equivalents made here."""
    own = dict(formats or {})
    money = f'"{currency}" #,##0.00;-"{currency}" #,##0.00;"{currency}" 0.00'
    defaults = {"text": {"valign": "top"}, "wrap": {"valign": "top", "text_wrap": True},
                "money": {"valign": "top", "num_format": money}, "title": {"bold": True, "font_size": 16},
                "heading": {"bold": True, "font_size": 12, "font_color": "#1F4E78"}, "label": {"bold": True, "valign": "top"},
                "note": {"italic": True, "font_color": "#595959", "valign": "top"}}
    for name, spec in defaults.items():
        if name not in own:
            own[name] = book.add_format(spec)
    return own


def _figure_rows(changes: Mapping[str, Any], wording: Wording) -> list[list[Any]]:
    _ = wording.gettext
    rows = []
    for kind, item in item_rows(changes):
        status = [_(STATUS_TEXT[s]) if s in STATUS_TEXT else "" for s in (item["status_then"], item["status_now"])]
        for measure, f in item["figures"].items():
            rows.append([wording.words(KIND_TEXT, kind), item["id"] if kind != "programme" else "", item["title"]
                         if kind != "programme" else "", wording.words(CHANGE_TEXT, item["change"]), *status,
                         wording.words(MEASURE_TEXT, measure),
                         *(Decimal(f[k]) for k in ("then", "now", "change", "money_effect", "rate_effect"))])
    return rows


def _write_row(ws: Any, row: int, values: list[Any], fmt: Mapping[str, Any], money_from: int | None = None) -> None:
    for col, value in enumerate(values):
        if isinstance(value, Decimal) and (money_from is None or col >= money_from):
            ws.write_number(row, col, value, fmt["money"])
        elif isinstance(value, int) and not isinstance(value, bool):
            ws.write_number(row, col, value, fmt["text"])
        else:
            ws.write_string(row, col, "" if value is None else str(value), fmt["text"])


def _block(ws: Any, row: int, title: str, headers: list[str], rows: list[list[Any]], fmt: Mapping[str, Any]) -> int:
    """A titled block of rows; returns the next free row."""
    if not rows:
        return row
    ws.write_string(row, 0, title, fmt["heading"])
    for col, header in enumerate(headers):
        ws.write_string(row + 1, col, header, fmt["label"])
    for offset, values in enumerate(rows, start=row + 2):
        _write_row(ws, offset, values, fmt)
    return row + 3 + len(rows)


def _extra_blocks(ws: Any, row: int, changes: Mapping[str, Any], wording: Wording, fmt: Mapping[str, Any]) -> int:
    _ = wording.gettext
    languishing = changes.get("languishing", {})
    for key, title in (("became", N_("Newly languishing priorities")), ("stopped", N_("Priorities no longer languishing"))):
        row = _block(ws, row, _(title), [_("Priority"), _("Title"), _("Editions")],
                     [[e["id"], e["title"], languished_text(e, wording)] for e in languishing.get(key, [])], fmt)
    row = _block(ws, row, _("Pledges confirmed"), [_("Id"), _("Line"), _("Source"), _("Then"), _("Now")],
                 [[p["item_id"], p["line"], p["source"], Decimal(p["then"]), Decimal(p["now"])]
                  for p in changes.get("pledges_confirmed", [])], fmt)
    row = _block(ws, row, _("Match offers taken up"), [_("Activity"), _("Partner"), _("Then"), _("Now"), _("Match up to")],
                 [[m["activity_id"], m["partner_id"], Decimal(m["confirmed_then"]), Decimal(m["confirmed_now"]),
                   Decimal(m["up_to"])] for m in changes.get("match_taken_up", [])], fmt)
    return _block(ws, row, _("Exchange rates (%(cur)s per unit)") % {"cur": wording.currency},
                  [_("Currency"), _("Then"), _("Now")],
                  [[r["currency"], r["then"] or "—", r["now"] or "—"] for r in changes.get("rates", [])], fmt)


def write_changes_sheet(book: Any, changes: Mapping[str, Any], currency: str, *, locale: str = "en",
                        gettext: Gettext = NO_TRANSLATION, formats: Mapping[str, Any] | None = None) -> Any:
    """Add the Changes sheet to an open xlsxwriter workbook; `formats`: the writer's format helper (name -> Format)."""
    wording = Wording(locale, currency, gettext)
    _ = gettext
    fmt = _formats(book, currency, formats)
    ws = book.add_worksheet(_(SHEET_NAME)[:31])
    ws.write_string(0, 0, _("Since the last edition"), fmt["title"])
    row = 1
    for line in [compared_with(changes, wording), *headline_lines(changes, wording)]:
        if line:
            ws.write_string(row, 0, line, fmt["text"])
            row += 1
    rows = _figure_rows(changes, wording)
    if rows:
        row += 1
        for col, (header, width) in enumerate(zip(COLUMNS, WIDTHS, strict=True)):
            ws.write_string(row, col, _(header) % {"cur": currency} if "%(cur)s" in header else _(header), fmt["label"])
            ws.set_column(col, col, width)
        for offset, values in enumerate(rows, start=row + 1):
            _write_row(ws, offset, values, fmt, MONEY_FROM)
        ws.autofilter(row, 0, row + len(rows), len(COLUMNS) - 1)
        ws.freeze_panes(row + 1, 0)
        row += len(rows) + 2
    _extra_blocks(ws, row, changes, wording, fmt)
    return ws

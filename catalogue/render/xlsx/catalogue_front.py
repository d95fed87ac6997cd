"""The first two sheets of catalogue.xlsx: About (what this is, method, provenance) and Summary (headline and charts).

Every label is a msgid translated by the TableWriter's formatter; the figures are the model's.
"""

from __future__ import annotations

from typing import Any

from catalogue.issues import N_
from catalogue.model.catalogue import Catalogue, SourceTotal
from catalogue.render.xlsx.sheet_tables import Column, TableWriter, join

TOP_GAPS = 15
TOP_SOURCES = 10
SHEETS = (N_("Summary"), N_("Priorities"), N_("Activities"), N_("Secretariat tasks"), N_("Gaps"), N_("Delivered work"),
          N_("By year"), N_("Match offers"), N_("Funding lines"), N_("Funding sources"), N_("Donors"), N_("Flows"),
          N_("Pledges to chase"), N_("Partners"), N_("Groupings"), N_("Languishing"), N_("Issues"), N_("FX rates"))


def sources_by_confirmed(c: Catalogue) -> list[SourceTotal]:
    """The funding sources, largest confirmed first, then largest pledged, ties by source."""
    return sorted(c.funding_sources, key=lambda s: (-s.confirmed, -s.pledged, s.source))


def _period(w: TableWriter, c: Catalogue) -> str:
    return w.label("%(start)s to %(end)s") % {"start": c.period_start.isoformat(), "end": c.period_end.isoformat()}


def _about_facts(w: TableWriter, c: Catalogue) -> list[tuple[str, str, Any]]:
    _ = w.label
    return [
        (_("What this is"), "wrap", _(
            "The CMS donor programme catalogue as tables: CoP priorities, the Partner activities and Secretariat tasks "
            "that address them, what they need, what is secured and what is still open.")),
        (_("Figures as at"), "date", c.as_at),
        (_("Period"), "text", _period(w, c)),
        (_("Reporting currency"), "text", _(
            "%(cur)s: every amount with a (%(cur)s) heading is converted at the rates on the FX rates sheet.")),
        (_("How to read it"), "wrap", _(
            "Each sheet is an Excel table: filter and sort from the header row. Gap, coverage and funding status are "
            "formulas, so they update if you change a secured amount. Total rows use SUBTOTAL and add up the visible "
            "rows only. Summary has the headline figures and charts: they are the open work, what a donor can still "
            "fund. Gaps lists the open work still to fund, largest gap first; Delivered work lists work completed or "
            "ended by the 'as at' date; By year shows the open work year by year.")),
        (_("Sheets"), "wrap", " · ".join(w.label(s) for s in SHEETS)),
        (_("Same figures everywhere"), "wrap", _(
            "This workbook, catalogue.pdf and catalogue.json are renderings of one model; their figures agree to the "
            "cent.")),
    ]


def _title_and_facts(w: TableWriter, ws: Any, c: Catalogue, widths: tuple[float, float, float],
                     facts: list[tuple[str, str, Any]]) -> int:
    """The catalogue's title and edition, then (label, kind, value) rows from row 4; a row without a label is a gap.

    Returns the row after the last fact. Columns A, B and C:D get `widths`.
    """
    ws.set_column(0, 0, widths[0])
    ws.set_column(1, 1, widths[1])
    ws.set_column(2, 3, widths[2])
    ws.write_string(0, 0, w.fmt_text.title(c.titles, c.title), w.fmt["title"])
    ws.write_string(1, 0, c.edition)
    row = 3
    for text, kind, value in facts:
        if text:
            ws.write_string(row, 0, text, w.fmt["label"])
            w.value(ws, row, 1, kind, value)
        row += 1
    return row


def write_about(w: TableWriter, c: Catalogue) -> None:
    """What the workbook is, how to read it, the method and where every figure came from."""
    _ = w.label
    ws = w.sheet(N_("About"))
    row = _title_and_facts(w, ws, c, (30, 100, 14), _about_facts(w, c))
    ws.write_string(row + 1, 0, _("Method"), w.fmt["heading"])
    row += 2
    for key, text in c.methodology.items():
        ws.write_string(row, 0, w.fmt_text.term(key), w.fmt["label"])
        w.text(ws, row, 1, w.fmt_text.gettext(text), w.fmt["wrap"])
        row += 1
    ws.write_string(row + 1, 0, _("Provenance"), w.fmt["heading"])
    row += 2
    p = c.provenance
    for text, value in ((_("Built"), p.build_time), (_("Tool version"), p.tool_version),
                        (_("Schema versions"), join(f"{k} {v}" for k, v in sorted(p.schema_versions.items())))):
        ws.write_string(row, 0, text, w.fmt["label"])
        w.text(ws, row, 1, value, w.fmt["wrap"])
        row += 1
    _inputs_table(w, ws, c, row + 1)


def _inputs_table(w: TableWriter, ws: Any, c: Catalogue, row: int) -> None:
    """The input files as a table on the About sheet (not frozen: the facts above come first)."""
    inputs = c.provenance.inputs
    columns = [Column(N_("Input file"), "text", 30, lambda f: f.name), Column("SHA-256", "text", 100, lambda f: f.sha256),
               Column(N_("Kind"), "text", 14, lambda f: f.kind), Column(N_("Bytes"), "int", 14, lambda f: f.size)]
    ws.add_table(row, 0, row + max(len(inputs), 1), 3, {
        "name": w.table_name("Provenance"), "style": "Table Style Light 9",
        "columns": [{"header": w.label(col.header)} for col in columns]})
    for r, item in enumerate(inputs, start=row + 1):
        for col, column in enumerate(columns):
            w.value(ws, r, col, column.kind, column.value(item))


def _headline(w: TableWriter, c: Catalogue) -> list[tuple[str, str, Any]]:
    _, t = w.label, c.totals
    return [
        (_("Figures as at"), "date", c.as_at), (_("Period"), "text", _period(w, c)),
        (_("Reporting currency"), "text", c.reporting_currency), ("", "text", ""),
        (_("Open work: what a donor can still fund"), "text", ""),
        (_("Required (%(cur)s)"), "money", t.figures.required), (_("Secured (%(cur)s)"), "money", t.figures.secured),
        (_("Pledged (%(cur)s)"), "money", t.figures.pledged), (_("Gap (%(cur)s)"), "money", t.figures.gap),
        (_("Gap if pledges are honoured (%(cur)s)"), "money", t.figures.gap_if_pledged),
        (_("Surplus, not netted against gaps (%(cur)s)"), "money", t.figures.surplus),
        (_("Coverage (secured / required)"), "pct", t.figures.coverage),
        (_("Funding status"), "text", w.status_labels[t.figures.status]),
        (_("Delivered work, required (%(cur)s)"), "money", t.past.required),
        (_("Delivered work, unfunded: absorbed by its implementers (%(cur)s)"), "money", t.past.gap),
        (_("Suspended work, required (%(cur)s)"), "money", t.suspended.required),
        (_("All work, required (%(cur)s)"), "money", t.all.required),
        (_("Partner co-funding, cash (%(cur)s)"), "money", t.cofunding_cash),
        (_("Partner co-funding, in kind (%(cur)s)"), "money", t.cofunding_in_kind), ("", "text", ""),
        (_("Priorities"), "int", t.priority_count), (_("Partners"), "int", t.partner_count),
        (_("Partner activities"), "int", t.activity_count), (_("Secretariat tasks"), "int", t.task_count),
        (_("Languishing priorities"), "int", len(c.languishing_priorities)),
        (_("Data-quality warnings"), "int", len(c.warnings)), ("", "text", ""),
        (_("Built"), "text", c.provenance.build_time), (_("Tool version"), "text", c.provenance.tool_version),
    ]


def write_summary(w: TableWriter, ws: Any, c: Catalogue) -> None:
    """Headline figures in columns A:B (label, value), the charts' data below them, the charts to the right."""
    row = _title_and_facts(w, ws, c, (46, 20, 16), _headline(w, c))
    _charts(w, ws, c, row + 1)


def _charts(w: TableWriter, ws: Any, c: Catalogue, row: int) -> None:
    """Chart data, visible and plain, so each chart is self-explanatory and survives sorting elsewhere."""
    _, fmt = w.label, w.fmt_text
    gaps = [p for p in c.priorities if p.figures.gap > 0][:TOP_GAPS]
    gap_rows = _chart_block(w, ws, row, _("Largest gaps by priority (top %(count)s)") % {"count": TOP_GAPS},
                            [_("Priority"), _("Gap (%(cur)s)"), _("Title")], ["text", "money", "text"],
                            [(p.id, p.figures.gap, p.title) for p in gaps])
    target_rows = _chart_block(w, ws, gap_rows[1] + 2, _("Coverage by Strategic Plan target"),
                               [_("Target"), _("Coverage"), _("Required (%(cur)s)"), _("Secured (%(cur)s)")],
                               ["text", "pct", "money", "money"],
                               [(_("Target %(target)s") % {"target": g.key}, g.figures.coverage, g.figures.required,
                                 g.figures.secured) for g in c.groupings.strategic_plan_target])
    sources = [s for s in sources_by_confirmed(c) if s.confirmed > 0][:TOP_SOURCES]
    source_rows = _chart_block(w, ws, target_rows[1] + 2,
                               _("Confirmed money by source (top %(count)s)") % {"count": TOP_SOURCES},
                               [_("Source"), _("Confirmed (%(cur)s)"), _("Source type")],
                               ["text", "money", "text"],
                               [(s.source, s.confirmed, fmt.source_type(s.source_type)) for s in sources])
    money_axis = f'"{c.reporting_currency}" #,##0,"k"'
    ws.insert_chart(3, 5, _bar(w, ws.name, "bar", _("Gap by priority (%(cur)s), top %(count)s") % {"count": TOP_GAPS},
                               gap_rows, money_axis, "#C55A11"), {"x_scale": 1.5, "y_scale": 1.4})
    ws.insert_chart(25, 5, _bar(w, ws.name, "column", _("Coverage by Strategic Plan target"), target_rows, "0%",
                                "#2E75B6"), {"x_scale": 1.5, "y_scale": 1.1})
    ws.insert_chart(43, 5, _bar(w, ws.name, "bar", _("Confirmed money by source (%(cur)s), top %(count)s")
                                % {"count": TOP_SOURCES}, source_rows, money_axis, "#548235"),
                    {"x_scale": 1.5, "y_scale": 1.2})


def _bar(w: TableWriter, sheet: str, kind: str, title: str, rows: tuple[int, int], number_format: str,
         colour: str) -> Any:
    """A one-series bar or column chart over column B of a chart block (categories in column A)."""
    chart = w.book.add_chart({"type": kind})
    first, last = rows
    if last >= first:
        chart.add_series({"name": title, "categories": [sheet, first, 0, last, 0], "values": [sheet, first, 1, last, 1],
                          "fill": {"color": colour}, "gap": 60})
    chart.set_title({"name": title, "name_font": {"size": 12}})
    chart.set_legend({"none": True})
    value_axis = {"num_format": number_format, "major_gridlines": {"visible": True, "line": {"color": "#D9D9D9"}}}
    if kind == "bar":
        chart.set_y_axis({"reverse": True, "num_font": {"size": 8}})  # largest at the top
        chart.set_x_axis(value_axis)
    else:
        chart.set_x_axis({"num_font": {"size": 8}})
        chart.set_y_axis({**value_axis, "min": 0, "max": 1})
    return chart


def _chart_block(w: TableWriter, ws: Any, row: int, title: str, headers: list[str], kinds: list[str],
                 data: list[tuple[Any, ...]]) -> tuple[int, int]:
    """A small titled block of chart data; returns its first and last data rows (0-based)."""
    ws.write_string(row, 0, title, w.fmt["heading"])
    for col, header in enumerate(headers):
        ws.write_string(row + 1, col, header, w.fmt["label"])
    first = row + 2
    for r, values in enumerate(data, start=first):
        for col, (kind, value) in enumerate(zip(kinds, values, strict=True)):
            w.value(ws, r, col, kind, value)
    return first, first + len(data) - 1

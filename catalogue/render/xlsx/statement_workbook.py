"""A partner's co-funding statement as a workbook: summary, its work, the breakdowns, since the last edition.

Its PDF is pdf/statement_pdf.py; both render the same PartnerStatement in the statement's language and
compute nothing.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import xlsxwriter
from xlsxwriter.format import Format

from catalogue.issues import N_
from catalogue.render.words.i18n import Formatter
from catalogue.render.xlsx.workbook import (
    ListColumn,
    extract_styles,
    safe_workbook,
    sheet_name,
    write_facts,
    write_list_sheet,
)
from catalogue.views.partner_statement import PartnerStatement


def _c(fmt: Formatter, title: str, style: str, width: float) -> ListColumn:
    """A column whose translated title may name the reporting currency as %(cur)s."""
    return ListColumn(fmt.gettext(title).replace("%(cur)s", fmt.currency), style, width)


def _summary_facts(s: PartnerStatement, fmt: Formatter) -> list[tuple[str, Any, str]]:
    _, pt = fmt.gettext, s.partner

    def cur(label: str) -> str:
        return _(label).replace("%(cur)s", fmt.currency)

    return [
        (_("Partner"), pt.name, "text"), (_("Partner id"), pt.id, "text"), (_("Short name"), pt.short_name, "text"),
        (_("Contact"), pt.contact_name, "text"), (_("Contact role"), pt.contact_role, "text"),
        (_("Contact e-mail"), pt.contact_email, "text"),
        (_("Catalogue"), fmt.title(s.titles, s.catalogue_title), "text"), (_("Edition"), s.edition, "text"),
        (_("Edition id"), s.edition_id, "text"), (_("Figures as at"), s.as_at, "date"),
        (_("Reporting currency"), fmt.currency, "text"),
        (cur(N_("Co-funding, cash, confirmed (%(cur)s)")), s.cofunding_cash, "money"),
        (cur(N_("Co-funding, in kind, confirmed (%(cur)s)")), s.cofunding_in_kind, "money"),
        (cur(N_("Co-funding, total, confirmed (%(cur)s)")), s.cofunding_total, "money"),
        (cur(N_("Co-funding, cash, pledged (%(cur)s)")), s.pledged_cash, "money"),
        (cur(N_("Co-funding, in kind, pledged (%(cur)s)")), s.pledged_in_kind, "money"),
        (cur(N_("Co-funding, total, pledged (%(cur)s)")), s.pledged_total, "money"),
        (cur(N_("All Partner NGO co-funding, confirmed (%(cur)s)")), s.all_partner_cofunding, "money"),
        (_("Share of all Partner NGO co-funding"), s.share_of_partner_cofunding, "pct"),
        (cur(N_("Secured in the whole programme (%(cur)s)")), s.programme_secured, "money"),
        (_("Share of all secured money in the programme"), s.share_of_secured, "pct"),
        (_("Activities"), len(s.activities), "int"),
        (cur(N_("Required by these activities (%(cur)s)")), s.figures.required, "money"),
        (cur(N_("Secured (%(cur)s)")), s.figures.secured, "money"), (cur(N_("Pledged (%(cur)s)")), s.figures.pledged, "money"),
        (cur(N_("Gap (%(cur)s)")), s.figures.gap, "money"),
        (cur(N_("Gap if pledges are honoured (%(cur)s)")), s.figures.gap_if_pledged, "money"),
        (_("Coverage (secured / required)"), s.figures.coverage, "pct"),
        (_("CoP priorities only this partner works on"), "; ".join(p.id for p in s.sole_priorities), "text"),
        (_("Data-quality warnings on this partner's workbook"), len(s.warnings), "int"),
        (_("Since the last edition"), since_text(s, fmt), "text"),
    ]


def since_text(s: PartnerStatement, fmt: Formatter) -> str:
    """The sentence heading the partner's "Since the last edition" table, in the statement's language."""
    since = s.since_last_edition
    return fmt.gettext(since.message) % {"edition": since.then_edition or "—", "date": fmt.date(since.then_date)}


def _since_sheet(book: xlsxwriter.Workbook, s: PartnerStatement, fmt: Formatter, styles: dict[str, Format | None],
                 head: Format) -> None:
    """The partner's figures then and now, as the published `changes` object holds them (none: an empty table)."""
    _, since = fmt.gettext, s.since_last_edition
    write_list_sheet(book, _("Since the last edition"), [
        _c(fmt, N_("Figure"), "text", 44), _c(fmt, N_("Then"), "money", 16), _c(fmt, N_("Now"), "money", 16),
        _c(fmt, N_("Change (%(cur)s)"), "money", 16), _c(fmt, N_("Rate effect"), "money", 16),
        _c(fmt, N_("Money effect"), "money", 16),
    ], [(_(since.label(f.measure)), f.then, f.now, f.change, f.rate_effect, f.money_effect) for f in since.figures],
        styles, head)


def _work_sheets(book: xlsxwriter.Workbook, s: PartnerStatement, fmt: Formatter, styles: dict[str, Format | None],
                 head: Format) -> None:
    _ = fmt.gettext
    write_list_sheet(book, _("Activities"), [
        _c(fmt, N_("Activity"), "text", 13), _c(fmt, N_("Title"), "text", 40), _c(fmt, N_("Lead priority"), "text", 14),
        _c(fmt, N_("Lead priority title"), "text", 40), _c(fmt, N_("Also serves"), "text", 24), _c(fmt, N_("Countries"), "text", 14),
        _c(fmt, N_("Start"), "date", 11), _c(fmt, N_("End"), "date", 11), _c(fmt, N_("Status"), "text", 12),
        _c(fmt, N_("Required (%(cur)s)"), "money", 15), _c(fmt, N_("Secured (%(cur)s)"), "money", 15),
        _c(fmt, N_("Pledged (%(cur)s)"), "money", 15), _c(fmt, N_("Gap (%(cur)s)"), "money", 15), _c(fmt, N_("Coverage"), "pct", 10),
        _c(fmt, N_("Co-funding, cash (%(cur)s)"), "money", 15), _c(fmt, N_("Co-funding, in kind (%(cur)s)"), "money", 15),
    ], [(a.id, a.title, a.mandates[0].id, a.mandates[0].title, "; ".join(m.id for m in a.mandates[1:]),
         "; ".join(a.countries), a.start, a.end, fmt.implementation(a.implementation_status), a.figures.required,
         a.figures.secured, a.figures.pledged, a.figures.gap, a.figures.coverage, a.cofunding_cash, a.cofunding_in_kind)
        for a in s.activities], styles, head)
    write_list_sheet(book, _("Co-funding lines"), [
        _c(fmt, N_("Activity"), "text", 13), _c(fmt, N_("Lead priority"), "text", 14), _c(fmt, N_("Kind"), "text", 12),
        _c(fmt, N_("Source or description"), "text", 36), _c(fmt, N_("Formula"), "text", 36), _c(fmt, N_("Status"), "text", 11),
        _c(fmt, N_("Currency"), "text", 9), _c(fmt, N_("Amount as entered"), "original", 16), _c(fmt, N_("Amount (%(cur)s)"), "money", 16),
    ], [(line.activity_id, line.priority_id, fmt.line_kind(line.kind), line.description, line.formula,
         fmt.line_status(line.status), line.currency, line.original_amount, line.amount)
        for line in s.cofunding_lines], styles, head)


def _breakdown_sheets(book: xlsxwriter.Workbook, s: PartnerStatement, fmt: Formatter,
                      styles: dict[str, Format | None], head: Format) -> None:
    _ = fmt.gettext
    money = [_c(fmt, N_("Cash, confirmed (%(cur)s)"), "money", 16), _c(fmt, N_("In kind, confirmed (%(cur)s)"), "money", 16),
             _c(fmt, N_("Total, confirmed (%(cur)s)"), "money", 16), _c(fmt, N_("Pledged (%(cur)s)"), "money", 16)]
    write_list_sheet(book, _("By priority"), [
        _c(fmt, N_("Priority"), "text", 14), _c(fmt, N_("Title"), "text", 44), _c(fmt, N_("Strategic Plan targets"), "text", 14), *money,
    ], [(r.priority_id, r.title, "; ".join(str(t) for t in r.strategic_plan_targets), r.cash, r.in_kind, r.total,
         r.pledged) for r in s.by_priority], styles, head)
    write_list_sheet(book, _("By target"), [_c(fmt, N_("Strategic Plan target"), "text", 20), *money],
                     [(r.target if r.target != "unassigned" else _("unassigned"), r.cash, r.in_kind, r.total, r.pledged)
                      for r in s.by_target], styles, head)
    write_list_sheet(book, _("By currency"), [
        _c(fmt, N_("Currency"), "text", 10), _c(fmt, N_("Confirmed, as entered"), "original", 18),
        _c(fmt, N_("Pledged, as entered"), "original", 18), _c(fmt, N_("Confirmed (%(cur)s)"), "money", 16),
        _c(fmt, N_("Pledged (%(cur)s)"), "money", 16),
    ], [(r.currency, r.confirmed_original, r.pledged_original, r.confirmed, r.pledged) for r in s.by_currency],
        styles, head)


def _other_sheets(book: xlsxwriter.Workbook, s: PartnerStatement, fmt: Formatter, styles: dict[str, Format | None],
                  head: Format) -> None:
    _ = fmt.gettext
    write_list_sheet(book, _("Match offers"), [
        _c(fmt, N_("Activity"), "text", 13), _c(fmt, N_("Title"), "text", 40), _c(fmt, N_("Gap (%(cur)s)"), "money", 15),
        _c(fmt, N_("Offer currency"), "text", 10), _c(fmt, N_("Up to, as offered"), "original", 16),
        _c(fmt, N_("Up to (%(cur)s)"), "money", 15), _c(fmt, N_("Ratio (partner per donor unit)"), "original", 14),
        _c(fmt, N_("Donor money to unlock it all (%(cur)s)"), "money", 18), _c(fmt, N_("Note"), "text", 40),
    ], [(m.activity_id, m.title, m.gap, m.offer.currency, m.offer.original_up_to, m.offer.up_to, m.offer.ratio,
         m.offer.donor_to_unlock, m.offer.note) for m in s.match_offers], styles, head)
    write_list_sheet(book, _("Sole partner"), [
        _c(fmt, N_("Priority"), "text", 14), _c(fmt, N_("Title"), "text", 50), _c(fmt, N_("Kind"), "text", 16),
        _c(fmt, N_("CoP"), "int", 6), _c(fmt, N_("Gap (%(cur)s)"), "money", 16),
    ], [(p.id, p.title, fmt.kind(p.kind), p.cop, p.figures.gap) for p in s.sole_priorities], styles, head)
    write_list_sheet(book, _("Warnings"), [
        _c(fmt, N_("Code"), "text", 20), _c(fmt, N_("Where"), "text", 36), _c(fmt, N_("File"), "text", 24), _c(fmt, N_("Sheet"), "text", 12),
        _c(fmt, N_("Row"), "int", 6), _c(fmt, N_("Column"), "text", 16), _c(fmt, N_("Message"), "text", 60),
        _c(fmt, N_("What to do"), "text", 50),
    ], [(w.get("code", ""), fmt.finding_place(w), (w.get("location") or {}).get("file"),
         (w.get("location") or {}).get("sheet"), (w.get("location") or {}).get("row"),
         (w.get("location") or {}).get("column"), fmt.finding(w), fmt.finding_hint(w)) for w in s.warnings],
        styles, head)


def write_statement_xlsx(statement: PartnerStatement, path: Path, lang: str = "en") -> None:
    """Write the statement's figures and lists as an Excel extract in `lang`: one sheet per table of the PDF."""
    fmt = Formatter.for_document(statement, lang)
    book = safe_workbook(Path(path))
    book.set_properties({"title": f"{statement.partner.name}: {fmt.title(statement.titles, statement.catalogue_title)}",
                         "author": fmt.organisation(statement.organisation),
                         "subject": f"edition {statement.edition_id}, as at {statement.as_at.isoformat()}",
                         "keywords": f"edition {statement.edition_id}"})
    styles, head, label = extract_styles(book, statement.reporting_currency)
    summary = book.add_worksheet(sheet_name(fmt.gettext("Summary")))
    summary.set_column(0, 0, 52)
    summary.set_column(1, 1, 40)
    write_facts(summary, _summary_facts(statement, fmt), label, styles)
    _work_sheets(book, statement, fmt, styles, head)
    _breakdown_sheets(book, statement, fmt, styles, head)
    _other_sheets(book, statement, fmt, styles, head)
    _since_sheet(book, statement, fmt, styles, head)
    book.close()

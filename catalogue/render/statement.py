"""A partner's co-funding statement as PDF (templates/statement.html.j2) and as an XLSX extract.

Both render the same PartnerStatement and compute nothing: the figures are the
catalogue model's, or the few the statement adds (catalogue/views/partner_statement.py).
The PDF reuses the catalogue's Jinja environment, translations, safe URL
fetcher and stylesheet; the workbook writes partner text with write_string
only, with strings_to_formulas/urls off.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import xlsxwriter

from catalogue.render import formatting
from catalogue.render.catalogue_pdf import (
    AUTHOR,
    LANGUAGES,
    Formatter,
    _environment,
    css_page_counter,
    translations,
    write_pdf_from_html,
)
from catalogue.render.catalogue_xlsx import fit_cell_text
from catalogue.render.formatting import N_
from catalogue.views.partner_statement import PartnerStatement

TEMPLATE_NAME = "statement.html.j2"

# Closed vocabularies the statement prints (schema codes), as a reader's words: msgids, translated when rendered.
IMPLEMENTATION_TEXT = {
    "planned": N_("planned"),
    "ongoing": N_("ongoing"),
    "completed": N_("completed"),
    "suspended": N_("suspended"),
}
LINE_KIND_TEXT = {"cash": N_("cash"), "staff_time": N_("staff time"), "meetings": N_("meetings")}
LINE_STATUS_TEXT = {"confirmed": N_("confirmed"), "pledged": N_("pledged")}


@dataclass(frozen=True)
class StatementFormatter(Formatter):
    """The catalogue's formatter, plus amounts to the cent: a statement reconciles to catalogue.json line by line."""

    def cents(self, value: Decimal) -> str:
        return formatting.amount(value, self.locale, cents=True)

    def original(self, value: Decimal) -> str:
        """An amount as entered, in its own currency: to the cent, or with every further decimal it was given."""
        if -value.as_tuple().exponent <= 2:  # type: ignore[operator]
            return formatting.amount(value, self.locale, cents=True)
        return formatting.number(value, self.locale)

    def implementation(self, code: str | None) -> str:
        """An activity's implementation status (planned, ongoing...) in the statement's language."""
        return self._vocabulary(code, IMPLEMENTATION_TEXT)

    def line_kind(self, code: str | None) -> str:
        """A co-funding line's kind (cash, staff time, meetings) in the statement's language."""
        return self._vocabulary(code, LINE_KIND_TEXT)

    def line_status(self, code: str | None) -> str:
        """A co-funding line's status (confirmed, pledged) in the statement's language."""
        return self._vocabulary(code, LINE_STATUS_TEXT)


def statement_locale(statement: PartnerStatement, lang: str) -> str:
    """The catalogue's own locale (e.g. en_GB) when it is in `lang`, otherwise `lang` itself."""
    return statement.locale if statement.locale.split("_")[0].split("-")[0] == lang else lang


def default_language(locale: str) -> str:
    """The statement language for a catalogue locale: its language when we have labels in it, else English."""
    lang = locale.split("_")[0].split("-")[0].lower()
    return lang if lang in LANGUAGES else "en"


def render_statement_html(statement: PartnerStatement, lang: str = "en") -> str:
    env = _environment(lang)
    gettext = translations(lang).gettext
    fmt = StatementFormatter(statement_locale(statement, lang), statement.reporting_currency, gettext)
    return env.get_template(TEMPLATE_NAME).render(
        s=statement, lang=lang, author=AUTHOR, fmt=fmt,
        page_counter=css_page_counter(gettext("page %(page)s of %(pages)s")),
    )


def render_statement_pdf(statement: PartnerStatement, path: Path, lang: str = "en") -> None:
    """Write the statement as a tagged PDF to `path`, its fixed labels in `lang` (en, fr or es)."""
    write_pdf_from_html(render_statement_html(statement, lang), Path(path))


# --------------------------------------------------------------------------- workbook


class _Sheets:
    """Small helper over one xlsxwriter workbook: text via write_string, money as numbers with the currency format."""

    def __init__(self, path: Path, currency: str) -> None:
        self.book = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False, "strings_to_urls": False,
                                                    "strings_to_numbers": False})
        self.bold = self.book.add_format({"bold": True})
        self.head = self.book.add_format({"bold": True, "bg_color": "#E6EEF1", "bottom": 1, "text_wrap": True, "valign": "top"})
        self.money = self.book.add_format({"num_format": f'"{currency}" #,##0.00'})
        self.original = self.book.add_format({"num_format": "#,##0.00########"})
        self.ratio = self.book.add_format({"num_format": "0.00%"})
        self.date = self.book.add_format({"num_format": "yyyy-mm-dd"})
        self.wrap = self.book.add_format({"text_wrap": True, "valign": "top"})

    def cell(self, sheet: Any, row: int, col: int, value: Any, kind: str = "text") -> None:
        if value is None:
            sheet.write_blank(row, col, None)
        elif kind == "money":
            sheet.write_number(row, col, float(value), self.money)
        elif kind == "original":
            sheet.write_number(row, col, float(value), self.original)
        elif kind == "ratio":
            sheet.write_number(row, col, float(value), self.ratio)
        elif kind == "int":
            sheet.write_number(row, col, int(value))
        elif kind == "date":
            sheet.write_datetime(row, col, value, self.date)
        else:
            sheet.write_string(row, col, fit_cell_text(str(value))[0])

    def table(self, name: str, columns: Sequence[tuple[str, str, float]], rows: Sequence[Sequence[Any]]) -> None:
        """A sheet with a header row, one row per item, frozen header and an autofilter."""
        sheet = self.book.add_worksheet(name)
        for col, (header, _, width) in enumerate(columns):
            sheet.write_string(0, col, header, self.head)
            sheet.set_column(col, col, width)
        for r, values in enumerate(rows, start=1):
            for col, ((_, kind, _), value) in enumerate(zip(columns, values)):
                self.cell(sheet, r, col, value, kind)
        sheet.freeze_panes(1, 0)
        sheet.autofilter(0, 0, max(len(rows), 1), len(columns) - 1)

    def close(self) -> None:
        self.book.close()


def write_statement_xlsx(statement: PartnerStatement, path: Path) -> None:
    """Write the statement's figures and lists as an Excel extract: one sheet per table of the PDF."""
    s, pt, cur = statement, statement.partner, statement.reporting_currency
    book = _Sheets(Path(path), cur)
    summary = book.book.add_worksheet("Summary")
    summary.set_column(0, 0, 52)
    summary.set_column(1, 1, 40)
    rows: list[tuple[str, Any, str]] = [
        ("Partner", pt.name, "text"), ("Partner id", pt.id, "text"), ("Short name", pt.short_name, "text"),
        ("Contact", pt.contact_name, "text"), ("Contact role", pt.contact_role, "text"),
        ("Contact e-mail", pt.contact_email, "text"),
        ("Catalogue", s.catalogue_title, "text"), ("Edition", s.edition, "text"), ("Figures as at", s.as_at, "date"),
        ("Reporting currency", cur, "text"),
        (f"Co-funding, cash, confirmed ({cur})", s.cofunding_cash, "money"),
        (f"Co-funding, in kind, confirmed ({cur})", s.cofunding_in_kind, "money"),
        (f"Co-funding, total, confirmed ({cur})", s.cofunding_total, "money"),
        (f"Co-funding, cash, pledged ({cur})", s.pledged_cash, "money"),
        (f"Co-funding, in kind, pledged ({cur})", s.pledged_in_kind, "money"),
        (f"Co-funding, total, pledged ({cur})", s.pledged_total, "money"),
        (f"All Partner NGO co-funding, confirmed ({cur})", s.all_partner_cofunding, "money"),
        ("Share of all Partner NGO co-funding", s.share_of_partner_cofunding, "ratio"),
        (f"Secured in the whole programme ({cur})", s.programme_secured, "money"),
        ("Share of all secured money in the programme", s.share_of_secured, "ratio"),
        ("Activities", len(s.activities), "int"),
        (f"Required by these activities ({cur})", s.figures.required, "money"),
        (f"Secured ({cur})", s.figures.secured, "money"),
        (f"Pledged ({cur})", s.figures.pledged, "money"),
        (f"Gap ({cur})", s.figures.gap, "money"),
        (f"Gap if pledges are honoured ({cur})", s.figures.gap_if_pledged, "money"),
        ("Coverage (secured / required)", s.figures.coverage, "ratio"),
        ("CoP priorities only this partner works on", "; ".join(p.id for p in s.sole_priorities), "text"),
        ("Data-quality warnings on this partner's workbook", len(s.warnings), "int"),
    ]
    for r, (label, value, kind) in enumerate(rows):
        summary.write_string(r, 0, label, book.bold)
        book.cell(summary, r, 1, value, kind)

    book.table("Activities", [
        ("Activity", "text", 13), ("Title", "text", 40), ("Lead priority", "text", 14), ("Lead priority title", "text", 40),
        ("Also serves", "text", 24), ("Countries", "text", 14), ("Start", "date", 11), ("End", "date", 11),
        ("Status", "text", 12), (f"Required ({cur})", "money", 15), (f"Secured ({cur})", "money", 15),
        (f"Pledged ({cur})", "money", 15), (f"Gap ({cur})", "money", 15), ("Coverage", "ratio", 10),
        (f"Co-funding, cash ({cur})", "money", 15), (f"Co-funding, in kind ({cur})", "money", 15),
    ], [(a.id, a.title, a.mandates[0].id, a.mandates[0].title, "; ".join(m.id for m in a.mandates[1:]),
         "; ".join(a.countries), a.start, a.end, a.implementation_status, a.figures.required, a.figures.secured,
         a.figures.pledged, a.figures.gap, a.figures.coverage, a.cofunding_cash, a.cofunding_in_kind)
        for a in s.activities])

    book.table("Co-funding lines", [
        ("Activity", "text", 13), ("Lead priority", "text", 14), ("Kind", "text", 12), ("Source or description", "text", 36),
        ("Formula", "text", 36), ("Status", "text", 11), ("Currency", "text", 9), ("Amount as entered", "original", 16),
        (f"Amount ({cur})", "money", 16),
    ], [(l.activity_id, l.priority_id, l.kind, l.description, l.formula, l.status, l.currency, l.original_amount, l.amount)
        for l in s.cofunding_lines])

    book.table("By priority", [
        ("Priority", "text", 14), ("Title", "text", 44), ("Strategic Plan targets", "text", 14),
        (f"Cash, confirmed ({cur})", "money", 16), (f"In kind, confirmed ({cur})", "money", 16),
        (f"Total, confirmed ({cur})", "money", 16), (f"Pledged ({cur})", "money", 16),
    ], [(r.priority_id, r.title, "; ".join(str(t) for t in r.strategic_plan_targets), r.cash, r.in_kind, r.total, r.pledged)
        for r in s.by_priority])

    book.table("By target", [
        ("Strategic Plan target", "text", 20), (f"Cash, confirmed ({cur})", "money", 16),
        (f"In kind, confirmed ({cur})", "money", 16), (f"Total, confirmed ({cur})", "money", 16), (f"Pledged ({cur})", "money", 16),
    ], [(r.target, r.cash, r.in_kind, r.total, r.pledged) for r in s.by_target])

    book.table("By currency", [
        ("Currency", "text", 10), ("Confirmed, as entered", "original", 18), ("Pledged, as entered", "original", 18),
        (f"Confirmed ({cur})", "money", 16), (f"Pledged ({cur})", "money", 16),
    ], [(r.currency, r.confirmed_original, r.pledged_original, r.confirmed, r.pledged) for r in s.by_currency])

    book.table("Match offers", [
        ("Activity", "text", 13), ("Title", "text", 40), (f"Gap ({cur})", "money", 15), ("Offer currency", "text", 10),
        ("Up to, as offered", "original", 16), (f"Up to ({cur})", "money", 15), ("Ratio (partner per donor unit)", "original", 14),
        (f"Donor money to unlock it all ({cur})", "money", 18), ("Note", "text", 40),
    ], [(m.activity_id, m.title, m.gap, m.offer.currency, m.offer.original_up_to, m.offer.up_to, m.offer.ratio,
         m.offer.donor_to_unlock, m.offer.note) for m in s.match_offers])

    book.table("Sole partner", [
        ("Priority", "text", 14), ("Title", "text", 50), ("Kind", "text", 16), ("CoP", "int", 6), (f"Gap ({cur})", "money", 16),
    ], [(p.id, p.title, p.kind, p.cop, p.figures.gap) for p in s.sole_priorities])

    book.table("Warnings", [
        ("Code", "text", 20), ("Where", "text", 36), ("File", "text", 24), ("Sheet", "text", 12), ("Row", "int", 6),
        ("Column", "text", 16), ("Message", "text", 60), ("What to do", "text", 50),
    ], [(w.get("code", ""), w.get("where", ""), w.get("location", {}).get("file"), w.get("location", {}).get("sheet"),
         w.get("location", {}).get("row"), w.get("location", {}).get("column"), w.get("message", ""), w.get("hint", ""))
        for w in s.warnings])
    book.close()

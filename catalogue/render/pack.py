"""A donor pack as PDF (templates/pack.html.j2 with the catalogue's CSS) and as an XLSX extract.

Renders a DonorPack (catalogue/views/donor_pack.py): every figure is already in the
pack; this module only formats and places it. It reuses the catalogue's
Jinja2 environment (autoescape, gettext in the pack's language), formatter
and safe WeasyPrint fetcher, so a pack looks like the catalogue and partner
text stays data.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import xlsxwriter

from catalogue.render import formatting
from catalogue.render.catalogue_pdf import (
    AUTHOR,
    Formatter,
    _environment,
    css_page_counter,
    translations,
    write_pdf_from_html,
)
from catalogue.render.formatting import N_
from catalogue.views.donor_pack import DonorPack, MatchedItem, MatchedPriority, Reason, Scenario

TEMPLATE_NAME = "pack.html.j2"

# Reason kinds as a reader's words (msgids; the values beside them are schema codes or the donor's own words).
REASON_TEXT = {
    "taxon": N_("taxon"),
    "region": N_("region"),
    "country": N_("country"),
    "target": N_("Strategic Plan target"),
    "instrument": N_("instrument"),
    "keyword": N_("keyword"),
}
FIXED_REASONS = {
    ("ticket", ("within",)): N_("fits ticket size"),
    ("ticket", ("above",)): N_("gap above largest grant: can part-fund"),
    ("match", ()): N_("partner matches donor money"),
}
# "taxon: birds; keyword: bustard": a reason kind and its values, and what separates two reasons
# (French sets a no-break space before the colon and the semicolon).
REASON_PAIR = N_("%(kind)s: %(values)s")
REASON_SEPARATOR = N_("; ")
# Why an item was left out, as matching.py words it (English in the pack); translated when rendered.
EXCLUSION_TEXT = (
    N_("excluded priority"),
    N_("excluded keyword: %(values)s"),
    N_("excluded country: %(values)s"),
)
_EXCLUSION_PATTERNS = tuple((re.compile(re.escape(m).replace(re.escape("%(values)s"), "(?P<values>.+)") + r"\Z", re.S), m)
                            for m in EXCLUSION_TEXT)


def _locale_for(pack: DonorPack) -> str:
    """The catalogue's own locale (e.g. en_GB) when it is in the pack's language, otherwise the language itself."""
    return pack.locale if pack.locale.split("_")[0].split("-")[0] == pack.language else pack.language


def reason_text(reason: Reason, gettext: Callable[[str], str]) -> str:
    """One reason in the pack's language: "taxon: birds", "fits ticket size"."""
    fixed = FIXED_REASONS.get((reason.kind, reason.values))
    if fixed is not None:
        return gettext(fixed)
    return gettext(REASON_PAIR) % {"kind": gettext(REASON_TEXT.get(reason.kind, reason.kind)),
                                   "values": ", ".join(reason.values)}


def reasons_text(reasons: tuple[Reason, ...], gettext: Callable[[str], str]) -> str:
    return gettext(REASON_SEPARATOR).join(reason_text(r, gettext) for r in reasons)


class PackFormatter(Formatter):
    """The catalogue's formatter plus what a pack adds: the donor's currency and reasons."""

    def donor_money(self, amount: Decimal | None, currency: str) -> str:
        return formatting.NO_VALUE if amount is None else formatting.money(amount, currency, self.locale)

    def reasons(self, reasons: tuple[Reason, ...]) -> str:
        return reasons_text(reasons, self.gettext)

    def reason_label(self, kind: str) -> str:
        return self.gettext(REASON_TEXT.get(kind, kind))

    def exclusion(self, text: str) -> str:
        """Why an item was left out, in the pack's language; the keywords and countries in it stay as they are."""
        for pattern, msgid in _EXCLUSION_PATTERNS:
            found = pattern.match(text)
            if found:
                return self.gettext(msgid) % found.groupdict()
        return text  # unknown model text is shown as it is


def render_pack_html(pack: DonorPack) -> str:
    """The pack as one HTML document, in the pack's language, linking the catalogue's CSS."""
    lang = pack.language
    env = _environment(lang)
    gettext = translations(lang).gettext
    fmt = PackFormatter(_locale_for(pack), pack.reporting_currency, gettext)
    return env.get_template(TEMPLATE_NAME).render(
        p=pack, lang=lang, fmt=fmt, author=AUTHOR,
        page_counter=css_page_counter(gettext("page %(page)s of %(pages)s")),
        anchor={m.id: f"gap-{i}" for i, m in enumerate(pack.priorities, start=1)},
    )


def render_pack_pdf(pack: DonorPack, path: Path) -> None:
    """Write the pack as a tagged PDF to `path`."""
    write_pdf_from_html(render_pack_html(pack), Path(path))


# --------------------------------------------------------------------------- XLSX extract

_COLUMNS: tuple[tuple[str, str, int], ...] = (
    ("Level", "text", 9), ("Priority", "text", 14), ("Id", "text", 14), ("Title", "wrap", 46),
    ("Partner or unit", "wrap", 24), ("Countries", "text", 12), ("Score", "int", 7), ("Why it matches", "wrap", 60),
    ("Required ({cur})", "money", 15), ("Secured ({cur})", "money", 15), ("Gap ({cur})", "money", 15),
    ("Coverage", "pct", 10), ("Your contribution ({cur})", "money", 17), ("Gap after ({cur})", "money", 15),
    ("Coverage after", "pct", 11), ("Match unlocked ({cur})", "money", 16), ("Coverage after match", "pct", 11),
    ("Your money to close the gap with the match ({cur})", "money", 20),
)


def _row(level: str, priority_id: str, ident: str, title: str, who: str, countries: tuple[str, ...], score: int,
         why: str, item: MatchedPriority | MatchedItem, s: Scenario) -> list[Any]:
    f = item.figures
    return [level, priority_id, ident, title, who, "; ".join(countries), score, why, f.required, f.secured, f.gap,
            f.coverage, s.contribution, s.gap_after, s.coverage_after, s.match_unlocked, s.coverage_after_match,
            s.donor_to_close_with_match]


def write_pack_xlsx(pack: DonorPack, path: Path) -> None:
    """The pack's matched gaps, partners and exclusions as a workbook; text is written as text, never a formula."""
    gettext = translations(pack.language).gettext
    workbook = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False, "strings_to_urls": False,
                                               "strings_to_numbers": False})
    workbook.set_properties({"title": f"{pack.donor_name}: {pack.catalogue_title}", "author": AUTHOR,
                             "comments": f"Figures as at {pack.as_at.isoformat()}"})
    head = workbook.add_format({"bold": True, "bg_color": "#0F4C5C", "font_color": "#FFFFFF", "text_wrap": True,
                                "valign": "top"})
    styles = {
        "text": workbook.add_format({"valign": "top"}),
        "wrap": workbook.add_format({"valign": "top", "text_wrap": True}),
        "int": workbook.add_format({"valign": "top", "num_format": "0"}),
        "money": workbook.add_format({"valign": "top", "num_format": "#,##0.00"}),
        "pct": workbook.add_format({"valign": "top", "num_format": "0.00%"}),
    }
    bold = workbook.add_format({"bold": True})

    def put(ws: Any, row: int, col: int, value: Any, style: str) -> None:
        fmt = styles[style]
        if value is None:
            ws.write_blank(row, col, None, fmt)
        elif isinstance(value, str):
            ws.write_string(row, col, value, fmt)
        else:
            # Decimal to float only here, for the cell; the exact cents are in the pack and in catalogue.json.
            ws.write_number(row, col, float(value), fmt)

    cur = pack.reporting_currency
    about = workbook.add_worksheet("Pack")
    about.set_column(0, 0, 34)
    about.set_column(1, 1, 80)
    facts = [
        ("Donor", pack.donor_name), ("Donor id", pack.donor_id), ("Catalogue", pack.catalogue_title),
        ("Edition", pack.catalogue_edition), ("Figures as at", pack.as_at.isoformat()),
        ("Reporting currency", cur), ("Donor currency", pack.donor_currency),
        ("Rate (reporting currency per unit of donor currency)", str(pack.rate)),
        ("Smallest grant", "" if pack.ticket_min_original is None else f"{pack.donor_currency} {pack.ticket_min_original}"),
        ("Largest grant", "" if pack.ticket_max_original is None else f"{pack.donor_currency} {pack.ticket_max_original}"),
        ("Match-funds", "yes" if pack.match_funding else "no"), ("Language", pack.language),
        ("Interests", reasons_text(pack.interests, lambda s: s)),
        ("Priorities matched", str(len(pack.priorities))), ("Priorities with a gap considered", str(pack.considered)),
        (f"Matched gap ({cur})", str(pack.matched_gap)),
    ]
    for r, (label, value) in enumerate(facts):
        about.write_string(r, 0, label, bold)
        about.write_string(r, 1, value, styles["wrap"])
    for r, text in enumerate(pack.methodology, start=len(facts) + 1):
        about.write_string(r, 1, text, styles["wrap"])

    gaps = workbook.add_worksheet("Matched gaps")
    for c, (title, style, width) in enumerate(_COLUMNS):
        gaps.write_string(0, c, title.format(cur=cur), head)
        gaps.set_column(c, c, width)
    gaps.freeze_panes(1, 3)
    rows: list[list[Any]] = []
    for m in pack.priorities:
        rows.append(_row("priority", m.id, m.id, m.title, "", (), m.score, reasons_text(m.reasons, gettext), m, m.scenario))
        for i in m.items:
            rows.append(_row(i.kind, m.id, i.id, i.title, i.partner_name, i.countries, i.score,
                             reasons_text(i.reasons, gettext), i, i.scenario))
    for r, values in enumerate(rows, start=1):
        for c, value in enumerate(values):
            put(gaps, r, c, value, _COLUMNS[c][1])
    if rows:
        gaps.autofilter(0, 0, len(rows), len(_COLUMNS) - 1)

    people = workbook.add_worksheet("Partners")
    for c, (title, width) in enumerate((("Partner id", 16), ("Partner", 40), ("Contact", 26), ("Role", 30),
                                        ("E-mail", 36), ("Activities in this pack", 40))):
        people.write_string(0, c, title, head)
        people.set_column(c, c, width)
    for r, partner in enumerate(pack.partners, start=1):
        for c, value in enumerate((partner.id, partner.name, partner.contact_name, partner.contact_role,
                                   partner.contact_email, "; ".join(partner.item_ids))):
            put(people, r, c, value, "wrap")

    left_out = workbook.add_worksheet("Left out")
    for c, (title, width) in enumerate((("Id", 16), ("Title", 60), ("Why it is left out", 40))):
        left_out.write_string(0, c, title, head)
        left_out.set_column(c, c, width)
    for r, e in enumerate(pack.excluded, start=1):
        for c, value in enumerate((e.id, e.title, e.reason)):
            put(left_out, r, c, value, "wrap")
    workbook.close()

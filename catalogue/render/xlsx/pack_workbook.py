"""A donor pack's XLSX extract: the matched gaps, what the donor's money would do, and since we last met.

Its PDF is pdf/pack_pdf.py; both speak the pack's language through the same Formatter.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import xlsxwriter
from xlsxwriter.format import Format

from catalogue.render.words.i18n import Formatter
from catalogue.render.xlsx.workbook import (
    ListColumn,
    extract_styles,
    safe_workbook,
    sheet_name,
    write_facts,
    write_list_sheet,
)
from catalogue.views.donor_pack import DonorPack, MatchedItem, MatchedPriority
from catalogue.views.scoring import Scenario


def _gap_columns(fmt: Formatter) -> list[ListColumn]:
    _, cur = fmt.gettext, fmt.currency
    spec = (
        (_("Level"), "text", 9), (_("Priority"), "text", 14), (_("Id"), "text", 14), (_("Title"), "wrap", 46),
        (_("Partner or unit"), "wrap", 24), (_("Countries"), "text", 12), (_("Score"), "int", 7),
        (_("Why it matches"), "wrap", 60), (_("Required (%(cur)s)"), "money", 15), (_("Secured (%(cur)s)"), "money", 15),
        (_("Gap (%(cur)s)"), "money", 15), (_("Coverage"), "pct", 10), (_("Your contribution (%(cur)s)"), "money", 17),
        (_("Gap after (%(cur)s)"), "money", 15), (_("Coverage after"), "pct", 11),
        (_("Match unlocked (%(cur)s)"), "money", 16), (_("Coverage after match"), "pct", 11),
        (_("Your money to close the gap with the match (%(cur)s)"), "money", 20),
    )
    return [ListColumn(title.replace("%(cur)s", cur), style, width) for title, style, width in spec]


def _gap_row(level: str, priority_id: str, item: MatchedPriority | MatchedItem, who: str, fmt: Formatter) -> list[Any]:
    f, s = item.figures, item.scenario
    countries = item.countries if isinstance(item, MatchedItem) else ()
    return [level, priority_id, item.id, item.title, who, "; ".join(countries), item.score,
            fmt.match_reasons(item.reasons), f.required, f.secured, f.gap, f.coverage, *_scenario_cells(s)]


def _scenario_cells(s: Scenario) -> list[Any]:
    return [s.contribution, s.gap_after, s.coverage_after, s.match_unlocked, s.coverage_after_match,
            s.donor_to_close_with_match]


def _about_sheet(book: xlsxwriter.Workbook, pack: DonorPack, fmt: Formatter, styles: dict[str, Format | None],
                 label: Format) -> None:
    _, cur, dcur = fmt.gettext, pack.reporting_currency, pack.donor_currency
    ws = book.add_worksheet(sheet_name(_("Pack")))
    ws.set_column(0, 0, 34)
    ws.set_column(1, 1, 80)
    facts: list[tuple[str, Any, str]] = [
        (_("Donor"), pack.donor_name, "wrap"), (_("Donor id"), pack.donor_id, "wrap"),
        (_("Catalogue"), pack.catalogue_title, "wrap"), (_("Edition"), pack.catalogue_edition, "wrap"),
        (_("Edition id"), pack.edition_id, "wrap"), (_("Figures as at"), pack.as_at, "date"), (_("Reporting currency"), cur, "wrap"),
        (_("Donor currency"), dcur, "wrap"),
        (_("Rate (reporting currency per unit of donor currency)"), fmt.number(pack.rate), "wrap"),
        (_("Smallest grant"), fmt.donor_money(pack.ticket_min_original, dcur) if pack.ticket_min_original else "", "wrap"),
        (_("Largest grant"), fmt.donor_money(pack.ticket_max_original, dcur) if pack.ticket_max_original else "", "wrap"),
        (_("Match-funds"), _("yes") if pack.match_funding else _("no"), "wrap"), (_("Language"), pack.language, "wrap"),
        (_("Interests"), fmt.match_reasons(pack.interests), "wrap"),
        (_("Priorities matched"), len(pack.priorities), "int"),
        (_("Priorities with a gap considered"), pack.considered, "int"),
        (_("Matched gap (%(cur)s)").replace("%(cur)s", cur), pack.matched_gap, "money"),
    ]
    row = write_facts(ws, facts, label, styles)
    for r, text in enumerate(pack.methodology, start=row + 1):
        ws.write_string(r, 1, _(text), styles["wrap"])


def write_pack_xlsx(pack: DonorPack, path: Path) -> None:
    """The pack's matched gaps, partners and exclusions as a workbook in the pack's language; text stays text."""
    fmt = Formatter.for_document(pack, pack.language)
    _ = fmt.gettext
    book = safe_workbook(Path(path))
    book.set_properties({"title": f"{pack.donor_name}: {pack.catalogue_title}", "author": Formatter.for_document(pack, pack.language).organisation(pack.organisation),
                         "subject": f"edition {pack.edition_id}, as at {pack.as_at.isoformat()}",
                         "keywords": f"edition {pack.edition_id}",
                         "comments": _("Figures as at %(date)s") % {"date": pack.as_at.isoformat()}})
    styles, head, label = extract_styles(book, pack.reporting_currency)
    _about_sheet(book, pack, fmt, styles, label)
    levels = {"priority": _("priority"), "activity": _("activity"), "task": _("task")}
    rows: list[list[Any]] = []
    for m in pack.priorities:
        rows.append(_gap_row(levels["priority"], m.id, m, "", fmt))
        rows += [_gap_row(levels.get(i.kind, i.kind), m.id, i, i.partner_name, fmt) for i in m.items]
    write_list_sheet(book, _("Matched gaps"), _gap_columns(fmt), rows, styles, head, freeze_columns=3)
    write_list_sheet(book, _("Partners"), [
        ListColumn(_("Partner id"), "wrap", 16), ListColumn(_("Partner"), "wrap", 40), ListColumn(_("Contact"), "wrap", 26),
        ListColumn(_("Role"), "wrap", 30), ListColumn(_("E-mail"), "wrap", 36),
        ListColumn(_("Activities in this pack"), "wrap", 40),
    ], [(p.id, p.name, p.contact_name, p.contact_role, p.contact_email, "; ".join(p.item_ids)) for p in pack.partners],
        styles, head)
    write_list_sheet(book, _("Left out"), [
        ListColumn(_("Id"), "wrap", 16), ListColumn(_("Title"), "wrap", 60), ListColumn(_("Why it is left out"), "wrap", 40),
    ], [(e.id, e.title, fmt.reason(e.reason)) for e in pack.excluded], styles, head)
    if pack.since_we_met.last_met is not None:
        _since_sheet(book, pack, fmt, styles, head, levels)
    book.close()


def since_text(pack: DonorPack, fmt: Formatter) -> str:
    """The sentence heading the "Since we last met" page, in the pack's language."""
    since = pack.since_we_met
    return fmt.gettext(since.message) % {"date": fmt.date(since.last_met), "edition": since.then_edition or "—",
                                         "then_as_at": fmt.date(since.then_as_at)}


def _since_sheet(book: xlsxwriter.Workbook, pack: DonorPack, fmt: Formatter, styles: dict[str, Format | None],
                 head: Format, levels: dict[str, str]) -> None:
    """The matched gaps that moved since the donor's last meeting, as `changes` holds them; the sentence first."""
    _, cur = fmt.gettext, pack.reporting_currency
    ws = write_list_sheet(book, _("Since we last met"), [
        ListColumn(_("Kind"), "wrap", 12), ListColumn(_("Id"), "wrap", 16), ListColumn(_("Title"), "wrap", 50),
        ListColumn(_("Then"), "money", 16), ListColumn(_("Now"), "money", 16),
        ListColumn(_("Change (%(cur)s)").replace("%(cur)s", cur), "money", 16), ListColumn(_("Rate effect"), "money", 16),
    ], [(levels.get(g.kind, g.kind), g.id, g.title, g.then, g.now, g.difference, g.rate_effect)
        for g in pack.since_we_met.gaps], styles, head)
    ws.write_string(len(pack.since_we_met.gaps) + 2, 0, since_text(pack, fmt), styles["wrap"])

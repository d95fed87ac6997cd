"""What the reading stage should tell a person although nothing is wrong with any one value.

Data a partner can no longer see (a hidden sheet), a partner who sent no
workplan, an empty workplans folder: each would otherwise pass in silence.
"""

from __future__ import annotations

from pathlib import Path

from catalogue.inputs.files import AUXILIARY_SHEETS, WORKPLANS_DIR, partner_of, relative_name
from catalogue.inputs.records import Record
from catalogue.inputs.tables import Table
from catalogue.issues import N_, DataIssue, Location, issue


def _unread_sheet(name: str, title: str, table: Table) -> DataIssue | None:
    """A visible sheet holding data that nothing reads, unless it is one a template carries (help, lists)."""
    if table.hidden or not table.rows or title.strip().lower() in AUXILIARY_SHEETS:
        return None
    return issue("sheet-not-read", Location(name, title),
                 N_("The sheet '%(sheet)s' holds %(rows)s filled rows, which are not read."),
                 N_("Activities, budget and funding lines belong on the sheets the template names; "
                    "move them there, or delete the sheet if it is only notes."),
                 params={"sheet": title, "rows": len(table.rows)})


def sheet_warnings(name: str, tables: dict[str, Table], read: list[Table]) -> list[DataIssue]:
    """A sheet holding data that is hidden (read although the partner cannot see it, or not read), or not read at all."""
    found = []
    for title, table in tables.items():
        if not table.hidden and not any(table is used for used in read):
            unread = _unread_sheet(name, title, table)
            found.extend([unread] if unread is not None else [])
            continue
        if not table.hidden or not table.rows:
            continue
        if any(table is used for used in read):
            message = N_("The sheet '%(sheet)s' is hidden in the workbook, and its %(rows)s filled rows were read.")
            hint = N_("Unhide it (right-click a sheet tab > Unhide) and check that everything on it belongs in the catalogue.")
        else:
            message = N_("The hidden sheet '%(sheet)s' holds data, which is not read.")
            hint = N_("If it holds activities or lines, move them to the sheets the template names; otherwise ignore this.")
        found.append(issue("sheet-hidden", Location(name, title), message, hint,
                           params={"sheet": title, "rows": len(table.rows)}))
    return found


def workplan_folder_warnings(root: Path, records: dict[str, list[Record]], workplans: list[Path]) -> list[DataIssue]:
    """An empty workplans folder, and each partner in the partners list with no workplan file of its own."""
    if not workplans:
        return [issue("workplans-empty", Location(f"{WORKPLANS_DIR}/"), N_("No partner workplan was found in the workplans folder."),
                      N_("Put each partner's workbook in %(folder)s/, named after its partner id (e.g. P-WWF.xlsx)."),
                      params={"folder": WORKPLANS_DIR})]
    senders = {partner_of(relative_name(path, root)) for path in workplans}
    found = []
    for partner in records.get("partner", []):
        partner_id = partner.data.get("id")
        if isinstance(partner_id, str) and partner_id.strip().upper() not in senders:
            found.append(issue("partner-no-workplan", partner.locate(("id",)),
                               N_("Partner %(partner)s is in the partners list but has no workplan in %(folder)s/."),
                               N_("Add %(folder)s/%(partner)s.xlsx, or remove the partner from the list if it has no work "
                                  "in this catalogue."), params={"partner": partner_id, "folder": WORKPLANS_DIR},
                               record_id=partner_id))
    return found

"""What the reading stage should tell a person although nothing is wrong with any one value.

Data a partner can no longer see (a hidden sheet), a partner who sent no
workplan, an empty workplans folder: each would otherwise pass in silence.
"""

from __future__ import annotations

from pathlib import Path

from catalogue.inputs.files import AUXILIARY_SHEETS, WORKPLANS_DIR, partner_of, relative_name
from catalogue.inputs.records import Record
from catalogue.inputs.tables import Table
from catalogue.issues import DataIssue, Location, issue


def _unread_sheet(name: str, title: str, table: Table) -> DataIssue | None:
    """A visible sheet holding data that nothing reads, unless it is one a template carries (help, lists)."""
    if table.hidden or not table.rows or title.strip().lower() in AUXILIARY_SHEETS:
        return None
    return issue("sheet-not-read", Location(name, title),
                 f"The sheet '{title}' holds {len(table.rows)} filled rows, which are not read.",
                 "Activities, budget and funding lines belong on the sheets the template names; "
                 "move them there, or delete the sheet if it is only notes.")


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
            message = f"The sheet '{title}' is hidden in the workbook, and its {len(table.rows)} filled rows were read."
            hint = "Unhide it (right-click a sheet tab > Unhide) and check that everything on it belongs in the catalogue."
        else:
            message = f"The hidden sheet '{title}' holds data, which is not read."
            hint = "If it holds activities or lines, move them to the sheets the template names; otherwise ignore this."
        found.append(issue("sheet-hidden", Location(name, title), message, hint))
    return found


def workplan_folder_warnings(root: Path, records: dict[str, list[Record]], workplans: list[Path]) -> list[DataIssue]:
    """An empty workplans folder, and each partner in the partners list with no workplan file of its own."""
    if not workplans:
        return [issue("workplans-empty", Location(f"{WORKPLANS_DIR}/"), "No partner workplan was found in the workplans folder.",
                      f"Put each partner's workbook in {WORKPLANS_DIR}/, named after its partner id (e.g. P-WWF.xlsx).")]
    senders = {partner_of(relative_name(path, root)) for path in workplans}
    found = []
    for partner in records.get("partner", []):
        partner_id = partner.data.get("id")
        if isinstance(partner_id, str) and partner_id.strip().upper() not in senders:
            found.append(issue("partner-no-workplan", partner.locate(("id",)),
                               f"Partner {partner_id} is in the partners list but has no workplan in {WORKPLANS_DIR}/.",
                               f"Add {WORKPLANS_DIR}/{partner_id}.xlsx, or remove the partner from the list if it has no work "
                               "in this catalogue.", record_id=partner_id))
    return found

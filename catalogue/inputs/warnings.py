"""What the reading stage should tell a person although nothing is wrong with any one value.

Data a partner can no longer see (a hidden sheet), a partner who sent no
workplan, an empty workplans folder: each would otherwise pass in silence.
"""

from __future__ import annotations

from pathlib import Path

from catalogue.inputs.files import WORKPLANS_DIR, partner_of, relative_name
from catalogue.inputs.records import Record
from catalogue.inputs.tables import Table
from catalogue.issues import DataIssue, Location, issue


def hidden_sheet_warnings(name: str, tables: dict[str, Table], read: list[Table]) -> list[DataIssue]:
    """A hidden sheet holding data: read (and counted) although the partner cannot see it, or not read at all."""
    found = []
    for title, table in tables.items():
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

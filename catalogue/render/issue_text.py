"""Data-quality findings in the reader's language, for the catalogue's annex, Issues sheet and statements.

The checks word each finding in English (the data-quality report and the
terminal speak to the Secretariat in English). A French or Spanish document
shows instead what the registry knows of the finding in every language: its
code's translated title, the record and the value it names, and its place
(file, sheet, cell), so no English sentence is left in the body.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from catalogue.issues import CODES

Gettext = Callable[[str], str]


def finding_text(finding: Mapping[str, Any], gettext: Gettext, english: bool) -> str:
    """What was found: the English message, or the code's title in the reader's language with what it names."""
    if english:
        return str(finding.get("message", ""))
    code = str(finding.get("code", ""))
    parts = [gettext(CODES[code][1]) if code in CODES else code]
    parts += [str(finding[key]) for key in ("record_id", "value") if finding.get(key)]
    return " — ".join(parts)


def finding_hint(finding: Mapping[str, Any], english: bool) -> str:
    """What to do, in English documents (the hints are English sentences written by the checks)."""
    return str(finding.get("hint", "")) if english else ""


def finding_place(finding: Mapping[str, Any], gettext: Gettext, english: bool) -> str:
    """Where: `file: Sheet!D7`, or `file: Sheet row 9` with "row" in the reader's language."""
    if english:
        return str(finding.get("where", ""))
    location = finding.get("location") or {}
    sheet, row, column = location.get("sheet"), location.get("row"), location.get("column")
    if sheet and row is not None and column:
        inside = f"{sheet}!{column}{row}"
    elif row is not None:
        inside = " ".join(str(p) for p in (sheet, gettext("row"), row) if p)
    else:
        inside = str(location.get("path") or sheet or "")
    return ": ".join(p for p in (str(location.get("file", "")), inside) if p)

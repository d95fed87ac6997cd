"""Data-quality findings in the reader's language: the one place a finding's text is made.

A finding (catalogue/issues.DataIssue, or its dict in catalogue.json and the web's stored reports) holds its
code, its English templates and their parameters; here the templates are translated and filled, a parameter
naming a field's title (`...label`) translated too, every other parameter shown as found. The CLI, the HTML
report, the workbook's Issues sheet, the PDF's annex, the partner portal and the desk all call these.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from catalogue.issues import CODES, said, spoken_place

Gettext = Callable[[str], str]

def _param(name: str, value: Any, gettext: Gettext) -> str:
    if isinstance(value, Mapping | list):  # a place, a phrase or a list of them: said in the reader's language
        return said(value, gettext)
    return gettext(str(value)) if name.endswith("label") else str(value)


def _fill(template: str, params: Mapping[str, Any], gettext: Gettext, fallback: str) -> str:
    shown = {name: _param(name, value, gettext) for name, value in params.items()}
    text = gettext(template)
    if not params:
        return text
    try:
        return text % shown
    except (KeyError, ValueError, TypeError):  # a translation that lost a placeholder: the English text, never a crash
        return fallback


def finding_text(finding: Mapping[str, Any], gettext: Gettext) -> str:
    """What was found, in the reader's language."""
    template = str(finding.get("template") or finding.get("message", ""))
    return _fill(template, finding.get("params") or {}, gettext, str(finding.get("message", "")))


def finding_hint(finding: Mapping[str, Any], gettext: Gettext) -> str:
    """What to do about it, in the reader's language."""
    template = str(finding.get("hint_template") or finding.get("hint", ""))
    return _fill(template, finding.get("params") or {}, gettext, str(finding.get("hint", ""))) if template else ""


def finding_title(finding: Mapping[str, Any], gettext: Gettext) -> str:
    """The code's title, in the reader's language."""
    code = str(finding.get("code", ""))
    return gettext(CODES[code][1]) if code in CODES else str(finding.get("title") or code)


def finding_place(finding: Mapping[str, Any], gettext: Gettext, *, with_file: bool = True) -> str:
    """Where, as people say it: `workplans/P-BETA.xlsx, sheet Funding, cell F3 (Amount)`, in the reader's language."""
    return spoken_place(finding.get("location") or {}, gettext, with_file=with_file)

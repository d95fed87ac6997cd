"""outputs/validation/: the data-quality report as HTML (for people), JSON (for tools) and text."""

from __future__ import annotations

import json
from collections import OrderedDict
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape

from catalogue.config import TEMPLATES_DIR
from catalogue.issues import DataIssue, Report


def report_summary(report: Report) -> dict[str, Any]:
    return {"valid": report.valid, "errors": len(report.errors), "warnings": len(report.warnings)}


def issues_json_text(report: Report, context: dict[str, Any]) -> str:
    data = {**report_summary(report), **context, "issues": [i.to_dict() for i in report.sorted()]}
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def format_issue_line(item: DataIssue) -> str:
    """One finding as a line of terminal output: where, what, what to do."""
    # Messages about a cell already name it ("... in Funding!D7"); then the file alone is enough in front.
    cell = item.location.cell()
    where = item.location.file if cell and cell in item.message else item.location.describe()
    text = f"{item.severity.value.upper()} [{item.code}] {where}: {item.message}"
    return f"{text} {item.hint}".rstrip() if item.hint else text


def report_text(report: Report) -> str:
    lines = [format_issue_line(i) for i in report.sorted()]
    summary = report_summary(report)
    lines.append(f"{summary['errors']} error(s), {summary['warnings']} warning(s).")
    return "\n".join(lines) + "\n"


def _grouped(report: Report) -> OrderedDict[str, list[DataIssue]]:
    groups: OrderedDict[str, list[DataIssue]] = OrderedDict()
    # Files with errors first, then by name; inside a file, errors first, then by sheet and row.
    ordered = report.sorted()
    files_with_errors = {i.location.file for i in report.errors}
    for item in sorted(ordered, key=lambda i: (i.location.file not in files_with_errors, i.location.file)):
        key = item.location.file + (f" — sheet {item.location.sheet}" if item.location.sheet else "")
        groups.setdefault(key, []).append(item)
    return groups


def report_html(report: Report, context: dict[str, Any]) -> str:
    env = Environment(loader=FileSystemLoader(str(TEMPLATES_DIR)), autoescape=select_autoescape(["html", "j2"]))
    template = env.get_template("validation_report.html.j2")
    return template.render(summary=report_summary(report), groups=_grouped(report), context=context)


def write_validation_report(report: Report, folder: Path, context: dict[str, Any]) -> None:
    """Write report.html, issues.json and report.txt into `folder` (which must exist)."""
    (folder / "report.html").write_text(report_html(report, context), encoding="utf-8")
    (folder / "issues.json").write_text(issues_json_text(report, context), encoding="utf-8")
    (folder / "report.txt").write_text(report_text(report), encoding="utf-8")

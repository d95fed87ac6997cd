"""outputs/validation/: the data-quality report as HTML (for people), JSON (for tools) and text."""

from __future__ import annotations

import json
from collections import OrderedDict
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape

from catalogue.config import TEMPLATES_DIR
from catalogue.issues import N_, DataIssue, Report
from catalogue.render.words.i18n import translations
from catalogue.render.words.issue_text import Gettext
from catalogue.render.words.report_entries import ReportEntry, report_entries


def report_summary(report: Report) -> dict[str, Any]:
    """Whether the inputs passed (no errors), and how many errors and warnings were found."""
    return {"valid": report.valid, "errors": len(report.errors), "warnings": len(report.warnings)}


def issues_json_text(report: Report, context: dict[str, Any]) -> str:
    """issues.json: the summary, `context` and every finding in the order to fix them, as JSON."""
    data = {**report_summary(report), **context, "issues": [i.to_dict() for i in report.sorted()]}
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


SEVERITY_WORDS = {"error": N_("ERROR"), "warning": N_("WARNING")}
SUMMARY_LINE = N_("%(errors)s error(s), %(warnings)s warning(s).")
GROUP_LINE = N_("%(title)s, in %(count)s places: %(places)s")
SHOWN_PLACES = 12  # a grouped line names this many places, then says how many more


def _english(text: str) -> str:
    return text


def _places(entry: ReportEntry) -> str:
    shown = [f"{p.cell} '{p.value}'" if p.value else p.cell for p in entry.places[:SHOWN_PLACES]]
    more = entry.count - len(shown)
    return ", ".join(shown) + (f", … (+{more})" if more > 0 else "")


def format_entry_line(entry: ReportEntry, gettext: Gettext = _english) -> str:
    """One entry as a line of terminal output: severity, code, where, what, what to do.

    A cause repeated over many cells is one line naming its column and its cells (lib-cove's grouping).
    """
    head = f"{gettext(SEVERITY_WORDS.get(entry.severity) or entry.severity)} [{entry.code}]"
    if entry.grouped:
        what = gettext(GROUP_LINE) % {"title": entry.title, "count": entry.count, "places": _places(entry)}
        text = f"{head} {entry.group_label}: {what}. {entry.message}"
    else:
        text = f"{head} {entry.where}: {entry.message}" if entry.where else f"{head} {entry.message}"
    return f"{text} {entry.hint}".rstrip() if entry.hint else text


def format_issue_line(item: DataIssue, gettext: Gettext = _english) -> str:
    """One finding alone as a line of terminal output (the desk's run page lists the first few)."""
    return format_entry_line(report_entries([item.to_dict()], gettext)[0], gettext)


def report_lines(report: Report, gettext: Gettext = _english) -> list[tuple[str, str]]:
    """The report as terminal lines, grouped, in the reader's language: (severity, text) each."""
    return [(e.severity, format_entry_line(e, gettext)) for e in report_entries(_rows(report), gettext)]


def summary_line(report: Report, gettext: Gettext = _english) -> str:
    """The text report's last line ("3 error(s), 1 warning(s).") in the reader's language."""
    summary = report_summary(report)
    return gettext(SUMMARY_LINE) % {"errors": summary["errors"], "warnings": summary["warnings"]}


def report_text(report: Report, gettext: Gettext = _english) -> str:
    """report.txt: the report's lines, grouped, in the reader's language, then the summary line."""
    lines = [text for _severity, text in report_lines(report, gettext)]
    lines.append(summary_line(report, gettext))
    return "\n".join(lines) + "\n"


def _rows(report: Report) -> list[dict[str, Any]]:
    return [i.to_dict() for i in report.sorted()]


def _grouped(report: Report, gettext: Gettext) -> OrderedDict[str, list[ReportEntry]]:
    """The entries by file, files with errors first (the order a person fixes them in)."""
    files_with_errors = {i.location.file for i in report.errors}
    ordered = sorted(report.sorted(), key=lambda i: (i.location.file not in files_with_errors, i.location.file))
    by_file: OrderedDict[str, list[dict[str, Any]]] = OrderedDict()
    for item in ordered:
        by_file.setdefault(item.location.file, []).append(item.to_dict())
    return OrderedDict((file, report_entries(rows, gettext)) for file, rows in by_file.items())


def report_html(report: Report, context: dict[str, Any]) -> str:
    """report.html: the entries by file, files with errors first, in `context["lang"]` (English by default)."""
    lang = str(context.get("lang") or "en")
    gettext = translations(lang).gettext
    env = Environment(loader=FileSystemLoader(str(TEMPLATES_DIR)), autoescape=select_autoescape(["html", "j2"]))
    template = env.get_template("validation_report.html.j2")
    return template.render(summary=report_summary(report), groups=_grouped(report, gettext), context=context,
                           _=gettext, lang=lang, severity_word=lambda word: gettext(SEVERITY_WORDS.get(word) or word))


def write_validation_report(report: Report, folder: Path, context: dict[str, Any]) -> None:
    """Write report.html, issues.json and report.txt into `folder` (which must exist)."""
    (folder / "report.html").write_text(report_html(report, context), encoding="utf-8")
    (folder / "issues.json").write_text(issues_json_text(report, context), encoding="utf-8")
    (folder / "report.txt").write_text(report_text(report, translations(str(context.get("lang") or "en")).gettext),
                                       encoding="utf-8")

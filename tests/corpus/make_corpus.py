"""Write the input corpus: one folder per case, each the small fixture with one thing changed.

    python tests/corpus/make_corpus.py          # rewrite every case folder
    python tests/corpus/make_corpus.py CASE...  # rewrite only these

Each folder holds only the files that differ from tests/fixtures/small.py
(same relative paths as in an inputs folder) and `expected.json`:

    {"description": ..., "passes": bool,
     "errors":   [{"code": ..., "where": "<issue.location.describe()>"}],
     "warnings": [...],
     "remove":   ["files of the fixture to delete"],      (optional)
     "stage":    "build",                                  (optional: check build_model's report)
     "values":   [{"kind": ..., "id": ..., "path": [...], "equals": "...", "cell": "Sheet!A1"}]}  (optional)

`values` pin what a record holds after loading (literal text, converted
numbers and dates) and, with `cell`, where the loader says it came from.

Output is deterministic: workbooks get fixed document properties and zip
timestamps, so running this twice gives byte-identical files. Files that
LibreOffice writes (an .ods, an .xls, a workbook it saved, formulas it
recalculated) need `soffice` on the PATH; they are normalised the same way.
"""

from __future__ import annotations

import copy
import csv
import io
import json
import random
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, Callable
from xml.sax.saxutils import escape

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill

CORPUS = Path(__file__).resolve().parent
sys.path.insert(0, str(CORPUS.parents[1]))

from tests.fixtures.small import (  # noqa: E402
    ACTIVITY_HEAD, BUDGET_HEAD, FX_RATES, PARTNERS, PRIORITIES, TASKS, WORKPLANS,
)

FIXED_TIME = datetime(2025, 1, 1, 0, 0, 0)
ZIP_TIME = (2025, 1, 1, 0, 0, 0)
EXCEL_EPOCH = date(1899, 12, 30)

Sheets = dict[str, list[list[Any]]]


# --------------------------------------------------------------------------- writers


def serial(day: date) -> int:
    """The number Excel stores for a date."""
    return (day - EXCEL_EPOCH).days


class Text(str):
    """A cell to be stored as text even when it looks like a formula or a number (Excel's leading apostrophe)."""


def _normalise_zip(path: Path) -> None:
    """Fixed timestamps in the zip and in the document properties, entries in their original order."""
    with zipfile.ZipFile(path) as archive:
        entries = [(info.filename, archive.read(info.filename)) for info in archive.infolist()]
    stamp = re.compile(rb"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z?")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries:
            if name in ("docProps/core.xml", "docProps/app.xml", "meta.xml"):
                data = stamp.sub(b"2025-01-01T00:00:00Z", data)
                data = re.sub(rb"<meta:editing-duration>[^<]*<", b"<meta:editing-duration>PT0S<", data)
                data = re.sub(rb"<TotalTime>[^<]*<", b"<TotalTime>0<", data)
            info = zipfile.ZipInfo(name, ZIP_TIME)
            info.compress_type = zipfile.ZIP_STORED if name == "mimetype" else zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, data)


def _replace_in_zip(path: Path, member: str, old: bytes, new: bytes) -> None:
    with zipfile.ZipFile(path) as archive:
        entries = [(info.filename, archive.read(info.filename)) for info in archive.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries:
            if name == member:
                assert data.count(old) == 1, f"{old!r} not found once in {member}"
                data = data.replace(old, new)
            archive.writestr(zipfile.ZipInfo(name, ZIP_TIME), data, zipfile.ZIP_DEFLATED)


def new_workbook(sheets: Sheets) -> Workbook:
    workbook = Workbook()
    workbook.remove(workbook.active)
    for name, rows in sheets.items():
        sheet = workbook.create_sheet(name)
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row, start=1):
                if value is None:
                    continue
                cell = sheet.cell(row=r, column=c, value=value)
                if isinstance(value, Text):
                    cell.data_type = "s"
                    cell.quotePrefix = True
    return workbook


def save_workbook(workbook: Workbook, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook.properties.creator = "cms-catalogue corpus"
    workbook.properties.lastModifiedBy = "cms-catalogue corpus"
    workbook.properties.created = FIXED_TIME
    workbook.properties.modified = FIXED_TIME
    workbook.save(path)
    _normalise_zip(path)


def write_workbook(path: Path, sheets: Sheets, edit: Callable[[Workbook], None] | None = None) -> None:
    workbook = new_workbook(sheets)
    if edit is not None:
        edit(workbook)
    save_workbook(workbook, path)


def write_csv(path: Path, rows: list[list[Any]], encoding: str = "utf-8", delimiter: str = ",") -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.StringIO(newline="")
    csv.writer(buffer, delimiter=delimiter).writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding))


def write_ods(path: Path, sheets: Sheets) -> None:
    """A minimal OpenDocument spreadsheet (LibreOffice opens it); written by hand because LibreOffice's own .ods
    output orders its styles differently from run to run."""
    def cell(value: Any) -> str:
        if value is None:
            return "<table:table-cell/>"
        if isinstance(value, date):
            return f'<table:table-cell office:value-type="date" office:date-value="{value.isoformat()}"><text:p>{value.isoformat()}</text:p></table:table-cell>'
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return f'<table:table-cell office:value-type="float" office:value="{value}"><text:p>{value}</text:p></table:table-cell>'
        return f'<table:table-cell office:value-type="string"><text:p>{escape(str(value))}</text:p></table:table-cell>'
    tables = "".join(
        f'<table:table table:name="{escape(name)}">'
        + "".join("<table:table-row>" + "".join(cell(v) for v in row) + "</table:table-row>" for row in rows)
        + "</table:table>"
        for name, rows in sheets.items())
    ns = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
          'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
          'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"')
    content = (f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {ns} office:version="1.3">'
               f"<office:body><office:spreadsheet>{tables}</office:spreadsheet></office:body></office:document-content>")
    manifest = ('<?xml version="1.0" encoding="UTF-8"?>'
                '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.3">'
                '<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
                '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
                "</manifest:manifest>")
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype", ZIP_TIME), "application/vnd.oasis.opendocument.spreadsheet", zipfile.ZIP_STORED)
        archive.writestr(zipfile.ZipInfo("META-INF/manifest.xml", ZIP_TIME), manifest, zipfile.ZIP_DEFLATED)
        archive.writestr(zipfile.ZipInfo("content.xml", ZIP_TIME), content, zipfile.ZIP_DEFLATED)


def soffice_convert(source: Path, target: Path, filter_name: str) -> None:
    """Open `source` in LibreOffice headless and save it as `target` (it recalculates formulas on the way)."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise SystemExit("LibreOffice (soffice) is needed to write this case")
    with tempfile.TemporaryDirectory() as work:
        work_dir = Path(work)
        profile = work_dir / "profile"
        staged = work_dir / ("input" + source.suffix)
        shutil.copyfile(source, staged)
        subprocess.run([soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--calc",
                        "--convert-to", filter_name, "--outdir", str(work_dir / "out"), str(staged)],
                       check=True, capture_output=True, timeout=180)
        (produced,) = (work_dir / "out").iterdir()
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(produced, target)
    if target.suffix in (".xlsx", ".ods"):
        _normalise_zip(target)


# --------------------------------------------------------------------------- fixture data, changed


def plan(partner: str) -> Sheets:
    return copy.deepcopy(WORKPLANS[partner])


def tasks() -> Sheets:
    return copy.deepcopy(TASKS)


def rows_of(table: list[list[Any]]) -> list[list[Any]]:
    return copy.deepcopy(table)


A = {name: i for i, name in enumerate(ACTIVITY_HEAD)}
B = {name: i for i, name in enumerate(BUDGET_HEAD)}
F = {name: i for i, name in enumerate(["activity_id", "line", "source", "source_type", "status", "amount", "currency", "grant_ref"])}
P = {name: i for i, name in enumerate(PARTNERS[0])}
R = {name: i for i, name in enumerate(PRIORITIES[0])}


def put_workplan(partner: str, sheets: Sheets, edit: Callable[[Workbook], None] | None = None) -> Callable[[Path], None]:
    def write(d: Path) -> None:
        write_workbook(d / "workplans" / f"{partner}.xlsx", sheets, edit)
    return write


def put_csv(name: str, rows: list[list[Any]], encoding: str = "utf-8", delimiter: str = ",") -> Callable[[Path], None]:
    def write(d: Path) -> None:
        write_csv(d / name, rows, encoding, delimiter)
    return write


def put_bytes(name: str, content: bytes) -> Callable[[Path], None]:
    def write(d: Path) -> None:
        (d / name).parent.mkdir(parents=True, exist_ok=True)
        (d / name).write_bytes(content)
    return write


# --------------------------------------------------------------------------- cases


@dataclass
class Case:
    name: str
    description: str
    write: Callable[[Path], None]
    passes: bool
    errors: list[tuple[str, str]] = field(default_factory=list)
    warnings: list[tuple[str, str]] = field(default_factory=list)
    remove: list[str] = field(default_factory=list)
    stage: str | None = None
    values: list[dict[str, Any]] = field(default_factory=list)

    def expected(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "description": self.description,
            "passes": self.passes,
            "errors": [{"code": c, "where": w} for c, w in self.errors],
            "warnings": [{"code": c, "where": w} for c, w in self.warnings],
        }
        if self.remove:
            out["remove"] = self.remove
        if self.stage:
            out["stage"] = self.stage
        if self.values:
            out["values"] = self.values
        return out


CASES: list[Case] = []


def case(name: str, description: str, write: Callable[[Path], None], *, passes: bool | None = None,
         errors: list[tuple[str, str]] = (), warnings: list[tuple[str, str]] = (), **extra: Any) -> None:
    CASES.append(Case(name, description, write, passes if passes is not None else not errors,
                      list(errors), list(warnings), **extra))


def value(kind: str, record_id: str, path: list[Any], equals: str, cell: str | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {"kind": kind, "id": record_id, "path": path, "equals": equals}
    if cell:
        out["cell"] = cell
    return out


ALPHA = "workplans/P-ALPHA.xlsx"
BETA = "workplans/P-BETA.xlsx"


def _define_broken() -> None:
    # ---- schema, per record
    s = plan("P-BETA"); s["Funding"][2][F["amount"]] = "about ten thousand"
    case("value-not-a-number", "An amount typed in words.", put_workplan("P-BETA", s),
         errors=[("value-not-a-number", f"{BETA}: Funding!F3")])

    s = plan("P-ALPHA"); s["Budget"][1][B["amount"]] = -10000
    case("value-negative", "A negative budget amount.", put_workplan("P-ALPHA", s),
         errors=[("value-negative", f"{ALPHA}: Budget!F2")])

    s = plan("P-ALPHA"); s["Activities"][2][A["start"]] = "31/02/2024"
    case("value-not-a-date", "A start date that does not exist (31 February).", put_workplan("P-ALPHA", s),
         errors=[("value-not-a-date", f"{ALPHA}: Activities!G3")])

    s = plan("P-BETA"); s["Funding"][1][F["status"]] = "maybe"
    case("value-not-allowed", "A funding status not in the list.", put_workplan("P-BETA", s),
         errors=[("value-not-allowed", f"{BETA}: Funding!E2")])

    rows = rows_of(PARTNERS); rows[1][P["contact/email"]] = "ana at alpha.example.org"
    case("value-format-email", "A contact e-mail without an @.", put_csv("partners.csv", rows),
         errors=[("value-format", "partners.csv: row 2, column 'contact/email'")])

    s = plan("P-ALPHA"); s["Budget"][1][B["currency"]] = "US$"
    case("value-format-currency", "A currency typed as a symbol, not an ISO code.", put_workplan("P-ALPHA", s),
         errors=[("value-format", f"{ALPHA}: Budget!E2")])

    def huge_cell(d: Path) -> None:
        s = plan("P-BETA"); s["Activities"][2][A["description"]] = "HUGE-CELL-PLACEHOLDER"
        path = d / BETA
        write_workbook(path, s)
        # Excel and openpyxl stop at 32,767 characters a cell; a hostile or machine-made file need not.
        _replace_in_zip(path, "xl/worksheets/sheet1.xml", b"HUGE-CELL-PLACEHOLDER", _ten_megabytes().encode())
    case("value-too-long", "A 10 MB description in one cell (written into the sheet XML, as no spreadsheet program would); "
         "the workbook packs about 50 times, so it is under the zip-bomb ratio and is read, then refused by length.",
         huge_cell, errors=[("value-too-long", f"{BETA}: Activities!E3")])

    s = plan("P-ALPHA"); s["Activities"][1][A["title"]] = None
    case("required-missing-title", "An activity with an empty title.", put_workplan("P-ALPHA", s),
         errors=[("required-missing", f"{ALPHA}: Activities!D2")])

    s = plan("P-BETA"); s["Budget"] = [r for r in s["Budget"] if r[0] != "BETA-003"]
    case("required-missing-budget", "An activity with no budget lines.", put_workplan("P-BETA", s),
         errors=[("required-missing", f"{BETA}: Activities row 4")])

    s = plan("P-ALPHA"); s["Activities"][3][A["countries"]] = "IN; PK; IN"
    case("value-duplicate-item", "The same country listed twice in one cell.", put_workplan("P-ALPHA", s),
         errors=[("value-duplicate-item", f"{ALPHA}: Activities!F4")])

    rows = rows_of(PRIORITIES); rows[1][R["cop"]] = "99"
    case("value-out-of-range", "CoP 99 (there have been 14).", put_csv("priorities.csv", rows),
         errors=[("value-out-of-range", "priorities.csv: row 2, column 'cop'")])

    s = plan("P-BETA"); s["Activities"][1][A["title"]] = True
    case("value-type", "A TRUE (boolean) cell where the title should be.", put_workplan("P-BETA", s),
         errors=[("value-type", f"{BETA}: Activities!D2")])

    # ---- columns, sheets, files
    s = plan("P-ALPHA")
    i = BUDGET_HEAD.index("currency")
    s["Budget"] = [r[:i] + r[i + 1:] for r in s["Budget"]]
    case("column-missing", "The Budget sheet has no currency column.", put_workplan("P-ALPHA", s),
         errors=[("column-missing", f"{ALPHA}: Budget row 1")])

    s = plan("P-BETA")
    s["Funding"] = [r + [v] for r, v in zip(s["Funding"], ["Amount", 1, 2, 3, 4])]
    case("column-duplicate", "Two amount columns on the Funding sheet ('amount' and its title 'Amount').",
         put_workplan("P-BETA", s), errors=[("column-duplicate", f"{BETA}: Funding!I1")])

    rows = rows_of(PARTNERS)
    rows = [r + [v] for r, v in zip(rows, ["notes", "Met in Bonn", ""])]
    case("column-unknown", "partners.csv with a column not in the template: a warning, the data still loads.",
         put_csv("partners.csv", rows), warnings=[("column-unknown", "partners.csv: row 1")],
         values=[value("partner", "P-ALPHA", ["name"], "Alpha Wildlife Trust")])

    s = plan("P-ALPHA"); s["Funds"] = s.pop("Funding")
    case("sheet-missing", "The Funding sheet renamed 'Funds'.", put_workplan("P-ALPHA", s),
         errors=[("sheet-missing", f"{ALPHA}: Funding")])

    case("file-empty", "partners.csv is a 0-byte file.", put_bytes("partners.csv", b""),
         errors=[("file-empty", "partners.csv")])

    s = plan("P-BETA"); s["Activities"] = s["Activities"][:1]
    case("file-empty-sheet", "The Activities sheet has its header and no rows (so Budget and Funding rows are orphans).",
         put_workplan("P-BETA", s), errors=[("file-empty", f"{BETA}: Activities row 1"), ("row-orphan", f"{BETA}: Budget!A2")])

    def truncated(d: Path) -> None:
        whole = d / "whole.xlsx"
        write_workbook(whole, plan("P-BETA"))
        raw = whole.read_bytes()
        whole.unlink()
        put_bytes(BETA, raw[: len(raw) // 2])(d)
    case("file-unreadable", "A workbook cut off half way (an interrupted download or e-mail attachment).", truncated,
         errors=[("file-unreadable", BETA)])

    def as_ods(d: Path) -> None:
        write_ods(d / "workplans" / "P-BETA.ods", plan("P-BETA"))
    case("file-type-unsupported-ods", "P-BETA's workplan saved as OpenDocument (.ods, as LibreOffice does by default) instead of .xlsx.",
         as_ods, remove=[BETA], errors=[("file-type-unsupported", "workplans/P-BETA.ods")])

    def as_xls(d: Path) -> None:
        with tempfile.TemporaryDirectory() as work:
            source = Path(work) / "P-BETA.xlsx"
            write_workbook(source, plan("P-BETA"))
            soffice_convert(source, d / "workplans" / "P-BETA.xls", "xls:MS Excel 97")
    case("file-type-unsupported-xls", "P-BETA's workplan saved as Excel 97-2003 (.xls) instead of .xlsx.",
         as_xls, remove=[BETA], errors=[("file-type-unsupported", "workplans/P-BETA.xls")])

    content = ",".join(PRIORITIES[0]).encode() + b"\r\nRES-12.21,resolution,Clim\x81\x8d change,12\r\n"
    case("file-encoding", "priorities.csv with bytes (0x81 0x8d) that neither UTF-8 nor Windows-1252 defines.",
         put_bytes("priorities.csv", content), errors=[("file-encoding", "priorities.csv: row 2")])

    partners = [dict(zip(PARTNERS[0], row)) for row in PARTNERS[1:]]
    text = json.dumps({"partners": [{k: v for k, v in p.items() if "/" not in k and v} for p in partners]}, indent=2)
    text = text.replace('"name": "Beta Ocean Alliance",', '"name": "Beta Ocean Alliance"')  # a lost comma
    line = text.splitlines().index('      "name": "Beta Ocean Alliance"') + 2
    case("json-invalid", "partners.json (instead of partners.csv) with a missing comma.",
         put_bytes("partners.json", text.encode()), remove=["partners.csv"],
         errors=[("json-invalid", f"partners.json: row {line}")])

    # ---- across records
    s = plan("P-BETA"); s["Activities"][2][A["id"]] = "BETA-001"
    case("id-duplicate-activity", "Two activities with the id BETA-001.", put_workplan("P-BETA", s),
         errors=[("id-duplicate", f"{BETA}: Activities!A3")])

    rows = rows_of(PARTNERS); rows[2][P["id"]] = "P-ALPHA"
    case("id-duplicate-partner", "Two partners with the id P-ALPHA.", put_csv("partners.csv", rows),
         errors=[("id-duplicate", "partners.csv: row 3, column 'id'")])

    rows = rows_of(PRIORITIES); rows[3][R["id"]] = "CA-13.3"
    case("id-duplicate-priority", "Two priorities with the id CA-13.3.", put_csv("priorities.csv", rows),
         errors=[("id-duplicate", "priorities.csv: row 4, column 'id'")])

    s = plan("P-BETA"); s["Funding"][2][F["line"]] = 1
    case("line-duplicate", "Two funding lines numbered 1 for BETA-001.", put_workplan("P-BETA", s),
         errors=[("line-duplicate", f"{BETA}: Funding!B3")])

    s = plan("P-BETA"); s["Activities"][2][A["priority_ids"]] = "DEC-99.999"
    case("ref-dangling-priority", "An activity pointing at priority DEC-99.999, which does not exist.",
         put_workplan("P-BETA", s), errors=[("ref-dangling", f"{BETA}: Activities!C3")])

    s = plan("P-BETA"); s["Activities"][1][A["partner_id"]] = "P-GAMMA"
    case("ref-dangling-partner", "An activity naming partner P-GAMMA, who is not in partners.csv.",
         put_workplan("P-BETA", s), errors=[("ref-dangling", f"{BETA}: Activities!B2")],
         warnings=[("partner-file-mismatch", f"{BETA}: Activities!B2")])

    t = tasks(); t["Tasks"][1][1] = "RES-12.21; RES-99.1"
    case("ref-dangling-task-priority", "A Secretariat task pointing at priority RES-99.1, which does not exist.",
         lambda d: write_workbook(d / "secretariat_tasks.xlsx", t),
         errors=[("ref-dangling", "secretariat_tasks.xlsx: Tasks!B2")])

    s = plan("P-ALPHA"); s["Budget"].append(["ALPHA-999", 1, "cash", "Lost", "USD", 100])
    case("row-orphan", "A budget row for activity ALPHA-999, which is not on the Activities sheet.",
         put_workplan("P-ALPHA", s), errors=[("row-orphan", f"{ALPHA}: Budget!A6")])

    s = plan("P-BETA"); s["Funding"][1][F["currency"]] = "XYZ"
    case("currency-unknown", "A funding line in XYZ, which has no exchange rate.", put_workplan("P-BETA", s),
         errors=[("currency-unknown", f"{BETA}: Funding!G2")])

    rows = rows_of(FX_RATES); rows[1][1] = "1.5"
    case("fx-reporting-currency", "The reporting currency (USD) at a rate of 1.5.", put_csv("fx_rates.csv", rows),
         errors=[("fx-reporting-currency", "fx_rates.csv: row 2, column 'rate'")])

    s = plan("P-BETA"); s["Activities"][1][A["end"]] = date(2020, 1, 1)
    case("dates-reversed", "An activity that ends before it starts.", put_workplan("P-BETA", s),
         errors=[("dates-reversed", f"{BETA}: Activities!H2")])

    s = plan("P-ALPHA"); s["Activities"][1][A["start"]] = date(2023, 1, 1)
    case("dates-outside-period", "An activity starting before the catalogue period: a warning.",
         put_workplan("P-ALPHA", s), warnings=[("dates-outside-period", f"{ALPHA}: Activities!G2")])

    s = plan("P-BETA"); s["Activities"][1][A["end"]] = date(2250, 12, 31)
    case("year-clipped-to-period", "An activity 'ending' in 2250: its years after the period count in 2026, with a warning.",
         put_workplan("P-BETA", s), stage="build",
         warnings=[("dates-outside-period", f"{BETA}: Activities!H2"), ("year-clipped-to-period", f"{BETA}: Activities!H2")])

    s = plan("P-BETA"); s["Activities"][1][A["status"]] = "ongoing"
    case("status-contradicts-dates", "BETA-001 is marked ongoing but ended 2025-05-31, before the 'as at' date: counted as "
         "delivered work (not offered to donors), with a warning.", put_workplan("P-BETA", s), stage="build",
         warnings=[("status-contradicts-dates", f"{BETA}: Activities!I2")])

    s = plan("P-ALPHA")
    for index, row in enumerate(s["Activities"]):
        row.append("match_offer/expires" if index == 0 else (date(2025, 6, 30) if row[0] == "ALPHA-003" else None))
    case("match-offer-expired", "ALPHA-003's match offer expires on the 'as at' date: not counted, with a warning.",
         put_workplan("P-ALPHA", s), stage="build", warnings=[("match-offer-expired", f"{ALPHA}: Activities!N4")])

    s = plan("P-BETA")
    for index, row in enumerate(s["Budget"]):
        row.append("year" if index == 0 else (2024 if row[0] == "BETA-003" else None))
    case("line-year-outside-dates", "BETA-003 (2025) has a budget line for 2024: counted in 2025, with a warning.",
         put_workplan("P-BETA", s), stage="build", warnings=[("line-year-outside-dates", f"{BETA}: Budget!M4")])

    register = [["id", "name", "kind", "parent", "partner_id", "aliases"],
                ["TL", "Government of Testland", "government", "", "", "Testland"],
                ["CMS-TF", "CMS Trust Fund", "cms_trust_fund", "", "", "CMS core budget"],
                ["BUSTARD-FDN", "Bustard Foundation", "foundation", "", "", ""],
                ["POWER-CO", "Power Co", "private", "", "", ""],
                ["PRINT-FUND", "Print Fund", "foundation", "", "", ""],
                ["P-BETA", "Beta Ocean Alliance (own funds)", "partner_own_funds", "", "P-BETA", "Beta own funds"]]

    def register_and(workplan: Callable[[Path], None]) -> Callable[[Path], None]:
        def write(d: Path) -> None:
            put_csv("donors.csv", register)(d)
            workplan(d)
        return write

    s = plan("P-BETA")
    case("donor-unknown", "A funding source ('Sea Trust') that no entry of the donor register names: a warning that "
         "names the closest entries.", register_and(put_workplan("P-BETA", s)),
         warnings=[("donor-unknown", f"{BETA}: Funding!C2")])

    s = plan("P-ALPHA")
    for index, row in enumerate(s["Funding"]):
        row += (["stage", "paid"] if index == 0 else (["committed", 5000] if row[0] == "ALPHA-001" else ["committed", None]))
    case("paid-above-committed", "USD 5,000 recorded as paid on a USD 4,000 commitment: a warning.",
         register_and(put_workplan("P-ALPHA", s)), warnings=[("paid-above-committed", f"{ALPHA}: Funding!J2")])

    s = plan("P-ALPHA"); s["Activities"][3][A["partner_id"]] = "P-BETA"
    case("partner-file-mismatch", "An activity in P-ALPHA's workbook naming P-BETA (pasted from another sheet): a warning.",
         put_workplan("P-ALPHA", s), warnings=[("partner-file-mismatch", f"{ALPHA}: Activities!B4")])

    s = plan("P-ALPHA"); s["Budget"][2][B["day_rate"]] = 6000
    case("day-rate-implausible", "A monthly salary typed as a day rate (6000 a day): a warning.",
         put_workplan("P-ALPHA", s), warnings=[("day-rate-implausible", f"{ALPHA}: Budget!J3")])

    s = plan("P-BETA")
    s["Activities"].append(["BETA-004", "P-BETA", "RES-12.21", "Climate  Outreach leaflet.", "Leaflet again.", "ES",
                            date(2025, 1, 1), date(2025, 12, 31), "planned", None, None, None, None])
    s["Budget"].append(["BETA-004", 1, "cash", "Printing", "EUR", 500])
    case("activity-repeated", "The same activity submitted twice under two ids: a warning.", put_workplan("P-BETA", s),
         warnings=[("activity-repeated", f"{BETA}: Activities!D5")])

    rows = rows_of(PRIORITIES)
    rows.append(["RES-14.1", "resolution", "A new resolution", "14", "Parties", "1", "", "Global", "CMS", "medium"])
    case("priority-no-activity", "A priority no activity or task addresses: a warning.", put_csv("priorities.csv", rows),
         warnings=[("priority-no-activity", "priorities.csv: row 5, column 'id'"),
                   ("priority-no-activity", "priorities.csv: row 4, column 'id'")])

    s = plan("P-BETA")
    s["Funding"][4][F["status"]] = "confirmed"; s["Funding"][4][F["amount"]] = 5000
    case("over-committed", "BETA-003 has USD 5000 confirmed against a EUR 1000.15 budget: a warning at build.",
         put_workplan("P-BETA", s), stage="build",
         warnings=[("over-committed", f"{BETA}: Activities row 4"), ("over-committed", f"{ALPHA}: Activities row 3")])

    s = plan("P-BETA"); s["Funding"][3][F["grant_ref"]] = "TL-1"
    case("double-counted", "One grant reference (TL-1) claimed by ALPHA-001 and BETA-002: a warning at build.",
         put_workplan("P-BETA", s), stage="build", warnings=[("double-counted", f"{ALPHA}: Activities row 2")])


def _ten_megabytes() -> str:
    """10 MB of text that packs about 90 times, like long pasted text: a small file, under the zip-bomb ratio (200)."""
    rng = random.Random(20250101)
    words = ["bustard", "flyway", "survey", "wetland", "bycatch", "monitoring", "range", "state", "migratory",
             "species", "habitat", "corridor", "protected", "area", "capacity", "building", "workshop", "report"]
    block = " ".join(rng.choice(words) + str(rng.randrange(1000)) for _ in range(2000)) + ". "
    size, every = 10 * 1024 * 1024, 4000
    parts: list[str] = []
    length = position = 0
    while length < size:
        part = (block[position:] + block)[:every] + f" [{rng.randrange(10**6):06d}] "
        position = (position + every) % len(block)
        parts.append(part)
        length += len(part)
    return "".join(parts)[:size]


HOSTILE_HTML = "<script>alert(1)</script><img src=http://127.0.0.1/x>"
HOSTILE_HYPERLINK = '=HYPERLINK("http://x","y")'
HOSTILE_DDE = "+cmd|' /C calc'!A0"


def _define_hostile() -> None:
    s = plan("P-BETA"); s["Activities"][1][A["title"]] = Text(HOSTILE_HYPERLINK)
    case("hostile-formula-text", "A title that is a formula typed as text: loaded as the literal text, never evaluated.",
         put_workplan("P-BETA", s), passes=True,
         values=[value("workplan_activity", "BETA-001", ["title"], HOSTILE_HYPERLINK, "Activities!D2")])

    s = plan("P-ALPHA")
    s["Activities"][1][A["title"]] = HOSTILE_HTML
    s["Activities"][1][A["description"]] = '<a href="javascript:alert(1)">x</a><style>body{display:none}</style>'
    case("hostile-html", "HTML, script and a local URL in a title and a description: literal text.",
         put_workplan("P-ALPHA", s), passes=True,
         values=[value("workplan_activity", "ALPHA-001", ["title"], HOSTILE_HTML, "Activities!D2"),
                 value("workplan_activity", "ALPHA-001", ["description"],
                       '<a href="javascript:alert(1)">x</a><style>body{display:none}</style>')])

    rows = rows_of(PRIORITIES); rows[1][R["title"]] = HOSTILE_DDE
    case("hostile-dde", "A priority title that is a DDE command-injection payload, in a CSV: literal text.",
         put_csv("priorities.csv", rows), passes=True,
         values=[value("priority", "RES-12.21", ["title"], HOSTILE_DDE)])

    rows = rows_of(PARTNERS); rows[1][P["name"]] = "\t=1+1"; rows[2][P["contact/role"]] = "@SUM(1+1)*cmd|' /C calc'!A0"
    case("hostile-tab-formula", "A partner name '\\t=1+1' and a role '@SUM(...)': loaded as text (the tab is trimmed).",
         put_csv("partners.csv", rows), passes=True,
         values=[value("partner", "P-ALPHA", ["name"], "=1+1"),
                 value("partner", "P-BETA", ["contact", "role"], "@SUM(1+1)*cmd|' /C calc'!A0")])


def _define_realities() -> None:
    s = plan("P-ALPHA")
    s["Activities"].insert(0, ["Alpha Wildlife Trust: workplan 2024-2026"])

    def merge_title(workbook: Workbook) -> None:
        sheet = workbook["Activities"]
        sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(ACTIVITY_HEAD))
        sheet["A1"].font = Font(bold=True, size=14)
    case("reality-merged-title-row", "A title row merged across all columns above the header (header on row 2).",
         put_workplan("P-ALPHA", s, merge_title), passes=True,
         values=[value("workplan_activity", "ALPHA-002", ["title"], "Bustard nest guarding", "Activities!D4")])

    s = plan("P-BETA")
    s["Budget"] = [["Budget lines, one row per line"], ["Amounts in the line's currency; leave amount empty for staff time"], []] + s["Budget"]
    case("reality-header-not-row-1", "Two rows of instructions and a blank row above the Budget header (header on row 4).",
         put_workplan("P-BETA", s), passes=True,
         values=[value("workplan_activity", "BETA-001", ["budget_lines", 0, "amount"], "12345.67", "Budget!F5")])

    s = plan("P-ALPHA")
    s["Budget"] += [[None] * len(BUDGET_HEAD)] * 3 + [["  ", None, "", "\t"]] + [[None] * len(BUDGET_HEAD)] * 40

    def style_empty_rows(workbook: Workbook) -> None:
        sheet = workbook["Budget"]
        fill = PatternFill("solid", fgColor="FFFFCC")
        for row in range(6, 60):  # formatted but empty: the rows a partner prepared and never used
            for column in range(1, len(BUDGET_HEAD) + 1):
                sheet.cell(row=row, column=column).fill = fill
    case("reality-trailing-blank-rows", "Formatted empty rows and rows of spaces below the data.",
         put_workplan("P-ALPHA", s, style_empty_rows), passes=True,
         values=[value("workplan_activity", "ALPHA-003", ["budget_lines", 0, "days"], "6")])

    s = plan("P-BETA")
    for row in s["Budget"][1:] + s["Funding"][1:]:
        row[1] = Text(str(row[1]))
    s["Budget"][1][B["amount"]] = Text("12500")
    s["Funding"][1][F["amount"]] = Text("2000")
    case("reality-numbers-as-text", "Amounts and line numbers stored as text ('12500 with Excel's apostrophe).",
         put_workplan("P-BETA", s), passes=True,
         values=[value("workplan_activity", "BETA-001", ["budget_lines", 0, "amount"], "12500", "Budget!F2"),
                 value("workplan_activity", "BETA-001", ["funding_lines", 0, "line"], "1")])

    s = plan("P-ALPHA")
    s["Budget"][1][B["amount"]] = Text("12,500.50")
    s["Budget"][3][B["amount"]] = Text("12 500,50")
    s["Funding"][1][F["amount"]] = Text("4\u202f000")  # a narrow no-break space, as French locales write it
    case("reality-thousands-separators", "Amounts as text with thousands separators: 12,500.50, 12 500,50 and 4 000.",
         put_workplan("P-ALPHA", s), passes=True,
         values=[value("workplan_activity", "ALPHA-001", ["budget_lines", 0, "amount"], "12500.50"),
                 value("workplan_activity", "ALPHA-002", ["budget_lines", 0, "amount"], "12500.50"),
                 value("workplan_activity", "ALPHA-001", ["funding_lines", 0, "amount"], "4000")])

    s = plan("P-BETA")
    for row in s["Activities"][1:]:
        row[A["start"]], row[A["end"]] = serial(row[A["start"]]), serial(row[A["end"]])
    case("reality-dates-excel-serial", "Dates as Excel serial numbers in cells formatted General (45444 for 2024-06-01).",
         put_workplan("P-BETA", s), passes=True,
         values=[value("workplan_activity", "BETA-001", ["start"], "2024-06-01", "Activities!G2"),
                 value("workplan_activity", "BETA-001", ["end"], "2025-05-31")])

    s = plan("P-ALPHA")
    for row in s["Activities"][1:]:
        row[A["start"]], row[A["end"]] = (Text(d.strftime("%d/%m/%Y")) for d in (row[A["start"]], row[A["end"]]))
    case("reality-dates-ddmmyyyy", "Dates typed as dd/mm/yyyy text (01/03/2024 is 1 March).",
         put_workplan("P-ALPHA", s), passes=True,
         values=[value("workplan_activity", "ALPHA-002", ["start"], "2024-03-01"),
                 value("workplan_activity", "ALPHA-003", ["end"], "2026-06-30")])

    s = plan("P-BETA")
    s["Lists"] = [["status"], ["planned"], ["ongoing"], ["completed"], ["suspended"]]
    s["Old budget"] = [["activity_id", "line", "amount"], ["BETA-001", 1, 999999]]

    def hide(workbook: Workbook) -> None:
        workbook["Lists"].sheet_state = "hidden"
        workbook["Old budget"].sheet_state = "veryHidden"
        workbook["Activities"].row_dimensions[3].hidden = True
        workbook["Funding"].row_dimensions[2].hidden = True
    case("reality-hidden-sheet-and-rows", "A hidden and a very hidden sheet, and hidden data rows (still read: hiding is not deleting; "
         "data on the hidden sheets, which are not read, is named in a warning).",
         put_workplan("P-BETA", s, hide), passes=True,
         warnings=[("sheet-hidden", f"{BETA}: Lists"), ("sheet-hidden", f"{BETA}: Old budget")],
         values=[value("workplan_activity", "BETA-002", ["title"], "Bustard power-line marking", "Activities!D3"),
                 value("workplan_activity", "BETA-001", ["funding_lines", 0, "source"], "Sea Trust", "Funding!C2"),
                 value("workplan_activity", "BETA-001", ["budget_lines", 0, "amount"], "12345.67")])

    rows = rows_of(PARTNERS)
    rows[1][P["name"]] = "Alpha Wildlife Trust – Société d'Études"
    rows[1][P["contact/name"]] = "Ana Ålpha-Müller"
    case("reality-csv-utf8-bom", "partners.csv in UTF-8 with a byte order mark (Excel's 'CSV UTF-8'), accents and a dash.",
         put_csv("partners.csv", rows, encoding="utf-8-sig"), passes=True,
         values=[value("partner", "P-ALPHA", ["name"], "Alpha Wildlife Trust – Société d'Études", "row 2, column 'name'"),
                 value("partner", "P-ALPHA", ["contact", "name"], "Ana Ålpha-Müller")])

    rows = rows_of(PARTNERS)
    rows[2][P["name"]] = "Beta Ocean Alliance – Société Océane"
    rows[2][P["contact/name"]] = "Béa Bêta"
    case("reality-csv-windows-1252", "partners.csv saved by Excel on Windows (Windows-1252): read, with a warning.",
         put_csv("partners.csv", rows, encoding="cp1252"), passes=True,
         warnings=[("file-encoding-guessed", "partners.csv: row 3")],
         values=[value("partner", "P-BETA", ["name"], "Beta Ocean Alliance – Société Océane"),
                 value("partner", "P-BETA", ["contact", "name"], "Béa Bêta")])

    rows = rows_of(FX_RATES); rows[2][1] = "1,10"
    rows.append(["GBP", "1,2735", "30/06/2025", "Test rate"])
    case("reality-csv-semicolon-decimal-comma", "fx_rates.csv from a French or German Excel: ';' separators, decimal commas, dd/mm/yyyy.",
         put_csv("fx_rates.csv", rows, delimiter=";"), passes=True,
         values=[value("fx_rate", "EUR", ["rate"], "1.10", "row 3, column 'rate'"),
                 value("fx_rate", "GBP", ["rate"], "1.2735"), value("fx_rate", "GBP", ["date"], "2025-06-30")])

    rows = rows_of(PRIORITIES)
    rows[1][R["title"]] = "Climate Change and\nMigratory Species"
    rows[1][R["addressed_to"]] = "Parties\nSecretariat"
    case("reality-csv-quoted-newline", "priorities.csv with line breaks inside quoted cells (a title, and a list one item per line).",
         put_csv("priorities.csv", rows), passes=True,
         values=[value("priority", "RES-12.21", ["title"], "Climate Change and\nMigratory Species"),
                 value("priority", "CA-13.3", ["title"], "Great Indian Bustard"),
                 value("priority", "RES-12.21", ["addressed_to", 1], "Secretariat")])

    rows = rows_of(PRIORITIES)
    rows[1][R["title"]] = "Climate Change and\nMigratory Species"
    case("reality-csv-quoted-newline-rows", "Rows after a cell with a line break keep the row number a spreadsheet shows "
         "(CA-13.3 is row 3 in Excel, although it starts on line 4 of the file).",
         put_csv("priorities.csv", rows), passes=True,
         warnings=[("priority-no-activity", "priorities.csv: row 4, column 'id'")],
         values=[value("priority", "RES-12.21", ["title"], "Climate Change and\nMigratory Species", "row 2, column 'title'"),
                 value("priority", "CA-13.3", ["title"], "Great Indian Bustard", "row 3, column 'title'")])

    rows = rows_of(FX_RATES) + [["", "", "", ""], [], ["", "", "", ""]]
    content = "".join(",".join(r) + "\r" for r in rows).encode("utf-8")
    case("reality-csv-mac-line-endings", "fx_rates.csv with old-Mac CR line endings and trailing empty ',,,' lines.",
         put_bytes("fx_rates.csv", content), passes=True,
         values=[value("fx_rate", "EUR", ["rate"], "1.10", "row 3, column 'rate'")])

    rows = rows_of(PARTNERS)
    rows[0] = [" Partner id ", "NAME", "Short name", "Taxa", "Themes", "Regions", "Countries", "Non-Party range states",
               "Contact name", "Contact role", "Contact E-mail", "Expertise", "Languages", "Partnership agreement date"]
    case("reality-headers-as-titles", "partners.csv headed with the template's column titles (any case, stray spaces) "
         "instead of field names.", put_csv("partners.csv", rows), passes=True,
         values=[value("partner", "P-BETA", ["contact", "email"], "policy@beta.example.org", "row 3, column 'Contact E-mail'"),
                 value("partner", "P-ALPHA", ["agreement_date"], "2015-05-01")])

    s = plan("P-BETA")
    s["budget "] = s.pop("Budget")
    s["FUNDING"] = s.pop("Funding")
    case("reality-sheet-names-case", "Sheets named 'budget ' and 'FUNDING' (case and a trailing space).",
         put_workplan("P-BETA", s), passes=True,
         values=[value("workplan_activity", "BETA-002", ["funding_lines", 0, "amount"], "8000", "FUNDING!F4")])

    def two_row_header(merge_down: bool) -> Callable[[Path], None]:
        s = plan("P-ALPHA")
        groups: list[Any] = [None] * len(ACTIVITY_HEAD)
        groups[A["id"]], groups[A["start"]], groups[A["match_offer/up_to"]] = "Activity", "Dates", "Match offer (optional)"
        s["Activities"].insert(0, groups)

        def merge(workbook: Workbook) -> None:
            sheet = workbook["Activities"]
            for first, last in (("id", "countries"), ("start", "end"), ("match_offer/up_to", "match_offer/note")):
                sheet.merge_cells(start_row=1, start_column=A[first] + 1, end_row=1, end_column=A[last] + 1)
            if merge_down:  # the status header typed in row 1 and merged down over both header rows
                sheet.cell(row=1, column=A["status"] + 1).value = "status"
                sheet.merge_cells(start_row=1, start_column=A["status"] + 1, end_row=2, end_column=A["status"] + 1)
        return put_workplan("P-ALPHA", s, merge)

    case("reality-merged-group-headers", "A two-row header: group labels (Activity, Dates, Match offer) merged across "
         "columns above the field names.", two_row_header(False), passes=True,
         values=[value("workplan_activity", "ALPHA-003", ["match_offer", "up_to"], "10000", "Activities!J5"),
                 value("workplan_activity", "ALPHA-001", ["status"], "ongoing", "Activities!I3")])

    case("reality-merged-header-down", "A two-row header where one field name (status) is merged down over both "
         "header rows, as templates do for columns without a group.", two_row_header(True), passes=True,
         values=[value("workplan_activity", "ALPHA-001", ["status"], "ongoing", "Activities!I3")])

    rows = rows_of(PRIORITIES); rows[2][R["title"]] = "Grande Outarde indienne – Ардеотис – 大鸨"
    case("reality-csv-utf16-bom", "priorities.csv saved as UTF-16 with a byte order mark ('Unicode text').",
         put_csv("priorities.csv", rows, encoding="utf-16"), passes=True,
         values=[value("priority", "CA-13.3", ["title"], "Grande Outarde indienne – Ардеотис – 大鸨")])

    s = plan("P-ALPHA")
    extra = ["Internal notes", "Officer", None, "Budget code"]
    for row, notes in zip(s["Activities"], [extra, ["check", "AA", None, "X1"], ["", "AA", None, "X2"], ["ok", None, None, "X3"]]):
        row.extend(notes)
    case("reality-extra-columns", "Extra columns the partner added for its own use: a warning, the data still loads.",
         put_workplan("P-ALPHA", s), passes=True, warnings=[("column-unknown", f"{ALPHA}: Activities row 1")],
         values=[value("workplan_activity", "ALPHA-003", ["title"], "Range state meetings on bustards")])

    def comments(workbook: Workbook) -> None:
        workbook["Activities"]["D2"].comment = Comment("Title agreed with the Secretariat in March", "Bea Beta")
        workbook["Budget"]["F2"].comment = Comment("Quote from supplier attached", "Bea Beta")
        workbook["Funding"]["A1"].comment = Comment("One row per funding line", "Secretariat")
    case("reality-cell-comments", "Cell comments (notes) on a title, an amount and a header.",
         put_workplan("P-BETA", plan("P-BETA"), comments), passes=True,
         values=[value("workplan_activity", "BETA-001", ["title"], "Coastal refugia mapping")])

    def formulas(d: Path) -> None:
        s = plan("P-ALPHA")
        s["Budget"][1][B["amount"]] = "=4000+6000"  # 10000
        s["Budget"][3][B["amount"]] = "=ROUND(4545.4545*1.1,0)"  # 5000
        s["Funding"][1][F["amount"]] = "=Budget!F2*0.4"  # 4000
        s["Activities"][1][A["title"]] = '=CONCATENATE("Flyway climate"," vulnerability study")'
        s["Activities"][2][A["end"]] = "=DATE(2024,12,31)"
        with tempfile.TemporaryDirectory() as work:
            source = Path(work) / "P-ALPHA.xlsx"
            write_workbook(source, s)  # openpyxl writes formulas without cached values
            soffice_convert(source, d / ALPHA, "xlsx")  # LibreOffice calculates and stores them
    case("reality-formulas-cached", "Formulas (sums, a cross-sheet reference, text and a date) with cached values, as Excel saves them.",
         formulas, passes=True,
         values=[value("workplan_activity", "ALPHA-001", ["budget_lines", 0, "amount"], "10000", "Budget!F2"),
                 value("workplan_activity", "ALPHA-002", ["budget_lines", 0, "amount"], "5000"),
                 value("workplan_activity", "ALPHA-001", ["funding_lines", 0, "amount"], "4000"),
                 value("workplan_activity", "ALPHA-001", ["title"], "Flyway climate vulnerability study"),
                 value("workplan_activity", "ALPHA-002", ["end"], "2024-12-31")])

    def formulas_unsaved(d: Path) -> None:
        s = plan("P-ALPHA")
        s["Budget"][1][B["amount"]] = "=4000+6000"
        s["Activities"][1][A["title"]] = '=CONCATENATE("Flyway climate"," vulnerability study")'
        write_workbook(d / ALPHA, s)  # openpyxl writes formulas without their results, as some generators do
    case("formula-no-result", "Formulas whose results were never saved (the workbook was written by a program, not "
         "saved by Excel): a title and an amount whose values are unknown.", formulas_unsaved,
         errors=[("formula-no-result", f"{ALPHA}: Activities!D2"), ("formula-no-result", f"{ALPHA}: Budget!F2")])

    def libreoffice(d: Path) -> None:
        with tempfile.TemporaryDirectory() as work:
            source = Path(work) / "P-BETA.xlsx"
            write_workbook(source, plan("P-BETA"))
            soffice_convert(source, d / BETA, "xlsx")
    case("reality-libreoffice-saved", "P-BETA's workbook opened and saved again by LibreOffice Calc.",
         libreoffice, passes=True,
         values=[value("workplan_activity", "BETA-001", ["start"], "2024-06-01", "Activities!G2"),
                 value("workplan_activity", "BETA-001", ["budget_lines", 0, "amount"], "12345.67"),
                 value("workplan_activity", "BETA-003", ["budget_lines", 0, "amount"], "1000.15")])


def _workplan_bytes(partner: str, sheets: Sheets, edit: Callable[[Workbook], None] | None = None) -> bytes:
    with tempfile.TemporaryDirectory() as work:
        path = Path(work) / "plan.xlsx"
        write_workbook(path, sheets, edit)
        return path.read_bytes()


def _with_part(raw: bytes, member: str, change: Callable[[bytes], bytes]) -> bytes:
    """The workbook's bytes with one XML part changed, zip entries kept in order with fixed timestamps."""
    source = zipfile.ZipFile(io.BytesIO(raw))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info)
            target.writestr(zipfile.ZipInfo(info.filename, ZIP_TIME), change(data) if info.filename == member else data)
    return out.getvalue()


def _define_hardening() -> None:
    """Issue 17: inputs that once gave a traceback, a Python class name, or silence."""
    encrypted = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504 + "EncryptedInfo".encode("utf-16-le")
                 + b"\0" * 64 + "EncryptedPackage".encode("utf-16-le") + b"\0" * 512)
    case("file-password-protected", "P-BETA's workbook saved with a password (Excel encrypts it into an OLE container).",
         put_bytes(BETA, encrypted), errors=[("file-password-protected", BETA)])

    text = "\n".join(",".join(map(str, row)) for row in plan("P-BETA")["Activities"]).encode()
    case("file-unreadable-text-renamed", "A CSV export renamed P-BETA.xlsx.", put_bytes(BETA, text),
         errors=[("file-unreadable", BETA)])

    rows = "\r\n".join(",".join(row) for row in PRIORITIES) + "\r\n"
    case("file-encoding-utf16-no-bom", "priorities.csv saved as UTF-16 without its byte-order mark.",
         put_bytes("priorities.csv", rows.encode("utf-16-le")), errors=[("file-encoding", "priorities.csv")])

    def stray(workbook: Workbook) -> None:
        workbook["Activities"].cell(row=1_048_576, column=16_384, value="x")
    case("sheet-too-large", "A stray value in the last cell of the Activities sheet (XFD1048576).",
         put_workplan("P-BETA", plan("P-BETA"), stray),
         errors=[("sheet-too-large", f"{BETA}: Activities!XFD1048576")])

    def hide_budget(workbook: Workbook) -> None:
        workbook["Budget"].sheet_state = "hidden"
    case("sheet-hidden", "P-BETA's Budget sheet is hidden: its lines count, but the partner cannot see them.",
         put_workplan("P-BETA", plan("P-BETA"), hide_budget), warnings=[("sheet-hidden", f"{BETA}: Budget")])

    s = plan("P-BETA"); s["Budget 2027"] = rows_of(s["Budget"])
    case("sheet-not-read", "A second budget sheet, 'Budget 2027', beside the one the template names.",
         put_workplan("P-BETA", s), warnings=[("sheet-not-read", f"{BETA}: Budget 2027")])

    case("folder-named-like-file", "A folder called P-GAMMA.xlsx in workplans/ (an unzipped workbook).",
         put_bytes("workplans/P-GAMMA.xlsx/[Content_Types].xml", b"<Types/>"),
         warnings=[("folder-named-like-file", "workplans/P-GAMMA.xlsx")])

    case("workplans-empty", "The workplans folder holds no workplan (only the Secretariat's tasks are left).",
         put_bytes("workplans/README.txt", b"Put the workplans here."), remove=[ALPHA, BETA],
         warnings=[("workplans-empty", "workplans/")])

    case("partner-no-workplan", "P-BETA is in partners.csv but sent no workplan.", put_bytes("workplans/.keep", b"-"),
         remove=[BETA], warnings=[("partner-no-workplan", "partners.csv: row 3, column 'id'")])

    def entity(data: bytes) -> bytes:
        doctype = b'<!DOCTYPE w [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
        return doctype + data.replace(b"<t>Coastal refugia mapping</t>", b"<t>&b;</t>")
    raw = _workplan_bytes("P-BETA", plan("P-BETA"))
    case("xml-entity-declared", "An Activities sheet whose XML declares entities (the 'billion laughs' shape).",
         put_bytes(BETA, _with_part(raw, "xl/worksheets/sheet1.xml", entity)), errors=[("file-unreadable", BETA)])

    case("xml-entity-undefined", "An Activities sheet that uses an entity nobody defined.",
         put_bytes(BETA, _with_part(raw, "xl/worksheets/sheet1.xml",
                                    lambda data: data.replace(b"<t>Coastal refugia mapping</t>", b"<t>&nowhere;</t>"))),
         errors=[("file-unreadable", f"{BETA}: Activities")])

    def utf16_with_dtd(data: bytes) -> bytes:  # the same sheet, re-encoded as UTF-16 with a DTD in its prolog
        text = entity(data).decode("utf-8").replace('encoding="UTF-8"', 'encoding="UTF-16"')
        return text.encode("utf-16")
    case("xml-dtd-utf16", "An Activities sheet re-encoded as UTF-16 that declares entities (a byte search misses it).",
         put_bytes(BETA, _with_part(raw, "xl/worksheets/sheet1.xml", utf16_with_dtd)), errors=[("file-unreadable", BETA)])

    def dtd_after_comment(data: bytes) -> bytes:  # 70 KB of comment first: past where a first-64-KB guard looks
        declaration, _, rest = data.partition(b"?>")
        return declaration + b"?><!--" + b" padding" * 9000 + b"-->" + entity(rest)
    case("xml-dtd-after-comment", "An Activities sheet that declares entities after a 70 KB comment.",
         put_bytes(BETA, _with_part(raw, "xl/worksheets/sheet1.xml", dtd_after_comment)), errors=[("file-unreadable", BETA)])

    def with_macros(workbook: bytes) -> bytes:  # an .xlsm's VBA project, in a file named .xlsx
        source, out = zipfile.ZipFile(io.BytesIO(workbook)), io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
            for info in source.infolist():
                target.writestr(zipfile.ZipInfo(info.filename, ZIP_TIME), source.read(info))
            target.writestr(zipfile.ZipInfo("xl/vbaProject.bin", ZIP_TIME), b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504)
        return out.getvalue()
    case("file-holds-macros", "P-BETA's workbook carries a VBA project (an .xlsm renamed .xlsx): read, and named.",
         put_bytes(BETA, with_macros(raw)), warnings=[("file-holds-macros", BETA)])

    s = plan("P-ALPHA"); s["Budget"][2][B["amount"]] = 6000
    case("amount-ignored", "An amount typed on a staff-time line, whose value comes from its days and day rate.",
         put_workplan("P-ALPHA", s), warnings=[("amount-ignored", f"{ALPHA}: Budget!F3")])

    s = plan("P-ALPHA"); s["Budget"][1][B["amount"]] = 10**16
    case("amount-implausible", "A budget line of 10^16 USD (extra zeros).", put_workplan("P-ALPHA", s),
         warnings=[("amount-implausible", f"{ALPHA}: Budget!F2")])

    def settings_with(**changes: Any) -> Callable[[Path], None]:
        from tests.fixtures.small import SETTINGS
        return put_bytes("settings.json", json.dumps({**SETTINGS, **changes}, indent=2).encode())
    case("as-at-outside-period", "settings.json says the figures are as at 2030-01-01, after the period ends.",
         settings_with(as_at="2030-01-01"), warnings=[("as-at-outside-period", "settings.json: /as_at")])

    def logo_not_an_image(root: Path) -> None:
        settings_with(logo="logo.png")(root)
        put_bytes("logo.png", b"GIF89a not a PNG at all")(root)
    case("settings-logo-unusable", "settings.json names logo.png, but the file is a GIF, not a PNG or JPEG.",
         logo_not_an_image, warnings=[("settings-logo-unusable", "settings.json: /logo")])

    case("fx-reporting-currency-missing", "The reporting currency is GBP, which fx_rates.csv has no row for.",
         settings_with(reporting_currency="GBP"),
         errors=[("fx-reporting-currency-missing", "settings.json: /reporting_currency")], passes=False)

    rows = rows_of(PRIORITIES); rows[3][R["title"]] = "A decision\x07 nobody\x1b works on"
    case("text-control-characters", "A priority title holding a bell and an escape character (pasted from a terminal).",
         put_csv("priorities.csv", rows), warnings=[("text-control-characters", "priorities.csv: row 4, column 'title'")],
         values=[value("priority", "DEC-13.99", ["title"], "A decision nobody works on")])

    case("json-too-deep-settings", "settings.json nested 100,000 levels deep.",
         put_bytes("settings.json", b"[" * 100_000 + b"]" * 100_000), errors=[("json-invalid", "settings.json")])


def all_cases() -> list[Case]:
    if not CASES:
        _define_broken()
        _define_hostile()
        _define_realities()
        _define_hardening()
    return CASES


def write_case(item: Case, root: Path = CORPUS) -> Path:
    folder = root / item.name
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    item.write(folder)
    (folder / "expected.json").write_text(json.dumps(item.expected(), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return folder


def main(argv: list[str]) -> None:
    cases = all_cases()
    names = [c.name for c in cases]
    assert len(set(names)) == len(names), "case names must be unique"
    wanted = set(argv) or set(names)
    unknown = wanted - set(names)
    if unknown:
        raise SystemExit(f"unknown cases: {', '.join(sorted(unknown))}")
    if not argv:  # a full run also drops folders of cases that no longer exist
        for folder in CORPUS.iterdir():
            if folder.is_dir() and (folder / "expected.json").exists() and folder.name not in names:
                shutil.rmtree(folder)
    for item in cases:
        if item.name in wanted:
            write_case(item)
            print(item.name)


if __name__ == "__main__":
    main(sys.argv[1:])

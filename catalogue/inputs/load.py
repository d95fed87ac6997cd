"""Read the inputs folder (CSV, XLSX, JSON) into records that remember where every value came from.

Nothing here judges the data beyond what it takes to read it: values are
coerced to the schema's types where that is unambiguous (see coerce.py) and
otherwise kept as typed, so validation can name them. Problems that stop a
file or a sheet from being read at all become DataIssues here.

The stages of reading, in order: files.py (which files, read safely),
tables.py and workbooks.py (bytes into tables of cells), rows.py (tables into
records), json_records.py (JSON into records), records.py (what a record is).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from catalogue.inputs.files import (
    CHILD_SHEETS,
    DONORS_DIR,
    KIND_STEMS,
    MAIN_SHEETS,
    OPTIONAL_STEMS,
    SETTINGS_FILE,
    WORKPLANS_DIR,
    Source,
    given_bytes,
    read_bytes,
    relative_name,
    sha256_of,
    sources_in,
    type_problem,
)
from catalogue.inputs.json_records import json_records, parse_json
from catalogue.inputs.logo import read_logo
from catalogue.inputs.records import InputFile, Record, RowRef
from catalogue.inputs.rows import find_sheet, records_from_tables
from catalogue.inputs.schemas import kind_spec
from catalogue.inputs.tables import Table, read_csv_table
from catalogue.inputs.warnings import sheet_warnings, workplan_folder_warnings
from catalogue.inputs.workbooks import read_workbook
from catalogue.issues import N_, DataIssue, Location, issue
from catalogue.memo import Memo, content_key


@dataclass
class LoadedInputs:
    records: dict[str, list[Record]]
    settings: Record | None
    files: list[InputFile]
    issues: list[DataIssue]
    # file name -> the content key its records were read under (files read alone: not a CSV with sibling CSVs);
    # the gate remembers its checks of those records under the same key (checks/gate.py).
    read_keys: dict[str, str] = field(default_factory=dict)


class _Reader:
    """One loading run: the files read (for provenance) and the issues found, collected as it goes."""

    def __init__(self, root: Path, memo: Memo | None, given: dict[str, bytes] | None = None) -> None:
        self.root = root
        self.memo = memo
        self.given = given or {}  # files handed over as bytes (an upload), by the name they are read under
        self.files: list[InputFile] = []
        self.issues: list[DataIssue] = []
        self.read_keys: dict[str, str] = {}

    def read(self, path: Path, kind: str) -> tuple[str, bytes | None]:
        name = relative_name(path, self.root)
        if name in self.given:
            raw = given_bytes(self.given[name], name, self.issues)
        else:
            raw = read_bytes(path, self.root, name, self.issues)
        if raw is not None:
            self.files.append(InputFile(name, kind, sha256_of(raw), len(raw)))
        return name, raw

    def csv_records(self, kind: str, name: str, raw: bytes, source: Source) -> list[Record]:
        main = read_csv_table(name, raw, self.issues)
        children: dict[str, Table | None] = {}
        for prop, child_path in source.siblings.items():
            child_name, child_raw = self.read(child_path, kind)
            children[prop] = read_csv_table(child_name, child_raw, self.issues) if child_raw is not None else None
        for prop in kind_spec(kind).children:
            if prop not in source.siblings:
                stem = source.path.name[: -len(".csv")]
                self.issues.append(issue("file-missing", Location(name), N_("No %(lines)s file was found beside it."),
                                         N_("Add %(file)s, or send one .xlsx workbook with sheets %(sheet)s, Budget and Funding."),
                                         params={"lines": CHILD_SHEETS[prop].lower(), "sheet": MAIN_SHEETS[kind],
                                                 "file": f"{stem}.{CHILD_SHEETS[prop].lower()}.csv"}))
        return records_from_tables(kind, name, main, children, self.issues)

    def _sheet(self, name: str, tables: dict[str, Table], wanted: str, expected: list[str]) -> Table | None:
        found = find_sheet(tables, wanted)
        if found is None:
            self.issues.append(issue("sheet-missing", Location(name, wanted),
                                     N_("The workbook has no sheet called '%(sheet)s' (it has: %(sheets)s)."),
                                     N_("Rename the sheet to '%(sheet)s'. The workbook needs sheets: %(needed)s."),
                                     params={"sheet": wanted, "sheets": ", ".join(tables) or "—",
                                             "needed": ", ".join(expected)}))
        return found

    def workbook_records(self, kind: str, name: str, raw: bytes) -> list[Record]:
        tables = read_workbook(name, raw, self.issues)
        if tables is None:
            return []
        spec = kind_spec(kind)
        expected = [MAIN_SHEETS[kind]] + [CHILD_SHEETS[p] for p in spec.children]
        main = find_sheet(tables, MAIN_SHEETS[kind])
        if main is None and not spec.children and tables:
            main = next(iter(tables.values()))  # a one-table kind: its first sheet, whatever it is called
        if main is None:
            self._sheet(name, tables, MAIN_SHEETS[kind], expected)
            return []
        children = {prop: self._sheet(name, tables, CHILD_SHEETS[prop], expected) for prop in spec.children}
        read = [main, *(t for t in children.values() if t is not None)]
        self.issues.extend(sheet_warnings(name, tables, read))
        return records_from_tables(kind, name, main, children, self.issues)

    def records(self, kind: str, source: Source) -> list[Record]:
        """One source of a kind: an XLSX with named sheets, a JSON list, or a CSV (with .budget/.funding CSVs beside it).

        A file read alone is remembered by its name and bytes: an unchanged workbook is not read again.
        """
        name, raw = self.read(source.path, kind)
        if raw is None:
            return []
        if self.memo is None or source.siblings:
            return self._parse(kind, name, raw, source)
        key = content_key("read", kind, name, self.files[-1].sha256)
        remembered = self.memo.get(key)
        if remembered is None:
            before = len(self.issues)
            remembered = (self._parse(kind, name, raw, source), self.issues[before:])
            self.memo.put(key, remembered)
        else:
            self.issues.extend(remembered[1])
        self.read_keys[name] = key
        return list(remembered[0])

    def _parse(self, kind: str, name: str, raw: bytes, source: Source) -> list[Record]:
        suffix = source.path.suffix.lower()
        if suffix == ".json":
            return json_records(kind, name, raw, self.issues)
        if suffix == ".csv":
            return self.csv_records(kind, name, raw, source)
        return self.workbook_records(kind, name, raw)

    def settings(self) -> Record | None:
        path = self.root / SETTINGS_FILE
        if not (path.exists() or path.is_symlink()):
            self.issues.append(issue("file-missing", Location(SETTINGS_FILE), N_("settings.json was not found in the inputs folder."),
                                     N_('Add settings.json with at least {"reporting_currency": "USD", "period": {"start": ..., '
                                        '"end": ...}, "as_at": ...}.')))
            return None
        name, raw = self.read(path, "settings")
        parsed, data = parse_json(name, raw, self.issues) if raw is not None else (False, None)
        if not parsed:
            return None
        if not isinstance(data, dict):
            self.issues.append(issue("json-invalid", Location(name), N_("settings.json must hold one JSON object."),
                                     N_("Write it as { ... }.")))
            return None
        return Record("settings", data, Location(name), {(): RowRef(Location(name, path=""), {})})


def _shared_lists(root: Path, reader: _Reader) -> tuple[dict[str, list[Record]], Record | None]:
    """settings.json and the lists every workplan refers to (partners, priorities, tasks, rates, donors)."""
    records: dict[str, list[Record]] = {kind: [] for kind in (*KIND_STEMS, *OPTIONAL_STEMS, "workplan_activity", "donor")}
    settings = reader.settings()
    for kind, stem in KIND_STEMS.items():
        sources = sources_in(root, root, reader.issues, stem=stem)
        if not sources:
            reader.issues.append(issue("file-missing", Location(f"{stem}.xlsx"), N_("No %(stem)s file was found in the inputs folder."),
                                       N_("Add %(stem)s.xlsx, %(stem)s.csv or %(stem)s.json to %(folder)s."),
                                       params={"stem": stem, "folder": root}))
        for source in sources:
            records[kind].extend(reader.records(kind, source))
    for kind, stem in OPTIONAL_STEMS.items():
        for source in sources_in(root, root, reader.issues, stem=stem):
            records[kind].extend(reader.records(kind, source))
    return records, settings


def load_shared_lists(root: Path) -> LoadedInputs:
    """Only settings.json and the shared lists (partners, priorities, tasks, rates, the donor register): no
    workplan, no donor profile is read. What the web's partner directory needs, in a fraction of a build's time."""
    reader = _Reader(root, None)
    records, settings = _shared_lists(root, reader)
    return LoadedInputs(records, settings, reader.files, reader.issues, reader.read_keys)


def _upload_sources(root: Path, partner_id: str, upload: Upload, reader: _Reader) -> list[Source]:
    """The upload as the partner's workplan, read from its bytes under the name it would have in `root`."""
    path = root / WORKPLANS_DIR / f"{partner_id}{upload.suffix.lower()}"
    name = relative_name(path, root)
    problem = type_problem(path, name, strict=False)
    if problem is not None:
        reader.issues.append(problem)
        return []
    reader.given[name] = upload.data
    return [Source(path, {})]


@dataclass(frozen=True)
class Upload:
    """A workplan handed over as bytes (a partner's upload), with the file type it came as (".xlsx")."""

    suffix: str
    data: bytes


def load_inputs(root: Path, partner_id: str | None = None, memo: Memo | None = None,
                upload: Upload | None = None) -> LoadedInputs:
    """Read every input file under `root` into records; never raises for bad data.

    With `partner_id`, only that partner's workplan is read (with the shared
    lists it refers to), as when a partner checks its own sheet: exactly
    workplans/<partner_id>.xlsx (or .csv, .json), never P-WWF2's for P-WWF.
    With `upload` too, the workplan read is those bytes instead of the file in
    the folder (nothing is written anywhere). With `memo`, a file read before
    (same name, same bytes, same code) is not parsed again.
    """
    if upload is not None and partner_id is None:
        raise ValueError("an upload is read as one partner's workplan: give partner_id")
    reader = _Reader(root, memo)
    records, settings = _shared_lists(root, reader)
    if upload is not None and partner_id is not None:
        workplans = _upload_sources(root, partner_id, upload, reader)
    else:
        workplans = sources_in(root / WORKPLANS_DIR, root, reader.issues, stem=partner_id, strict=partner_id is None)
    if partner_id is None:
        for source in sources_in(root / DONORS_DIR, root, reader.issues, strict=True):
            records["donor"].extend(reader.records("donor", source))
    if partner_id and not workplans:
        reader.issues.append(issue("file-missing", Location(f"{WORKPLANS_DIR}/{partner_id}.xlsx"),
                                   N_("No workplan was found for partner %(partner)s."),
                                   N_("Save the partner's workbook as %(file)s (the file name is the partner id)."),
                                   params={"partner": partner_id, "file": f"{WORKPLANS_DIR}/{partner_id}.xlsx"}))
    for source in workplans:
        records["workplan_activity"].extend(reader.records("workplan_activity", source))
    if partner_id is None:
        reader.issues.extend(workplan_folder_warnings(root, records, [s.path for s in workplans]))
        logo, found = read_logo(root, settings)  # the publisher's logo: an input like any other
        reader.files.extend([logo] if logo is not None else [])
        reader.issues.extend(found)
    return LoadedInputs(records, settings, reader.files, reader.issues, reader.read_keys)

"""The inputs folder: where each kind of file lives, whose file a file is, and reading files' bytes safely.

Every file is found and read through here, so the guards hold for every
file kind and for every reader (the loader and the fingerprint alike): a link
that leaves the inputs folder, a link that points at itself (a loop) or at
nothing, and a file over the size limit are refused before a byte is read.
"""

from __future__ import annotations

import errno
import hashlib
import os
import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from catalogue.config import MAX_INPUT_FILE_BYTES
from catalogue.issues import N_, DataIssue, Location, issue

# Where each kind lives in inputs/ (file stem), its main sheet, and its child sheets.
KIND_STEMS: dict[str, str] = {
    "fx_rate": "fx_rates",
    "partner": "partners",
    "priority": "priorities",
    "secretariat_task": "secretariat_tasks",
}
# Optional kinds: read when present, never missed (an inputs folder from before the donor register still builds).
OPTIONAL_STEMS: dict[str, str] = {"donor_register": "donors"}  # inputs/donors.csv, beside the donors/ profiles folder
WORKPLANS_DIR = "workplans"
DONORS_DIR = "donors"  # optional: donor profiles, one file per donor, for donor packs
SETTINGS_FILE = "settings.json"
MAIN_SHEETS: dict[str, str] = {
    "fx_rate": "FX rates",
    "partner": "Partners",
    "priority": "Priorities",
    "secretariat_task": "Tasks",
    "workplan_activity": "Activities",
    "donor": "Donors",
    "donor_register": "Donors",
}
CHILD_SHEETS: dict[str, str] = {"budget_lines": "Budget", "funding_lines": "Funding"}
PARENT_KEYS: dict[str, str] = {"secretariat_task": "task_id", "workplan_activity": "activity_id"}
# Sheets a workbook may carry besides its data, never read: the partner template's help and priorities lists
# (render/xlsx/partner_template.py writes them) and the usual lists behind dropdowns.
# Sheets a template or a marked copy carries, never data: the marked copy's list of problems is named in the
# partner's language (render/annotated_workbook.PROBLEMS_SHEET; a test keeps these in step with its translations).
MARKED_COPY_SHEETS = ("problems", "problèmes", "problemas")
AUXILIARY_SHEETS = ("how to fill in", "priorities", "donor list", "lists", "instructions", "help", "readme",
                    *MARKED_COPY_SHEETS)
CHILD_CSV_SUFFIXES: dict[str, str] = {f".{sheet.lower()}.csv": prop for prop, sheet in CHILD_SHEETS.items()}
READABLE = (".xlsx", ".xlsm", ".csv", ".json")
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")
NOT_READABLE = {".xls": "Excel 97-2003", ".ods": "OpenDocument", ".xlsb": "Excel binary", ".numbers": "Apple Numbers"}
SAVE_AS_XLSX = N_("Open it and save it as an Excel workbook (.xlsx), then run again.")
_PARTNER_ID = re.compile(r"^P-[A-Z0-9]+(-[A-Z0-9]+)*$")  # as schemas/common.schema.json spells a partner id


def partner_of(name: str | None) -> str | None:
    """The partner whose workplan file this is, from its name alone: `workplans/P-WWF.xlsx` -> "P-WWF".

    Exact: the file must sit directly in workplans/ and its name, less the
    extension (and less `.budget`/`.funding` for a workplan's CSV lines), must
    be a partner id; case is ignored as the loader ignores it. So
    `workplans/P-WWF2.xlsx` is P-WWF2's, never P-WWF's, and `partners.csv` is
    no one's. `name` is relative to the inputs folder, / or \\ separated.
    """
    if not name:
        return None
    path = PurePosixPath(name.replace("\\", "/"))
    if path.parent != PurePosixPath(WORKPLANS_DIR) or not path.suffix:
        return None
    lower = path.name.lower()
    child = next((suffix for suffix in CHILD_CSV_SUFFIXES if lower.endswith(suffix)), None)
    stem = path.name[: -len(child)] if child else path.stem
    candidate = stem.strip().upper()
    return candidate if _PARTNER_ID.match(candidate) else None


def is_partner_file(name: str | None, partner_id: str) -> bool:
    """True when `name` is one of `partner_id`'s own workplan files (see partner_of)."""
    return partner_of(name) == partner_id.strip().upper()


def sha256_of(raw: bytes) -> str:
    """The SHA-256 of a file's bytes, as hex, for provenance."""
    return hashlib.sha256(raw).hexdigest()


def relative_name(path: Path, root: Path) -> str:
    """A path as the user sees it in messages: relative to the inputs folder, with / separators."""
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def refusal(path: Path, root: Path) -> str | None:
    """Why this entry must not be read (a link out of the folder, a loop, a dangling link); None when it is safe.

    Judged without following anything more than the link itself, so a loop
    costs one failed resolve, never a hang or a traceback.
    """
    if not path.is_symlink():
        return None
    try:
        target = path.resolve(strict=True)
        inside = root.resolve(strict=True)
    except RuntimeError:  # Python 3.11 reports a link loop this way
        return N_("it is a link that points back at itself (a loop)")
    except OSError as err:
        if err.errno == errno.ELOOP:
            return N_("it is a link that points back at itself (a loop)")
        return N_("it is a link to a file that does not exist")
    if inside not in target.parents:
        return N_("it points outside the inputs folder")
    return None


def read_bytes(path: Path, root: Path, name: str, issues: list[DataIssue]) -> bytes | None:
    """The bytes of one input file, or None with the reason in `issues` (refused link, too big, empty, unreadable)."""
    why = refusal(path, root)
    if why is not None:
        issues.append(issue("file-unreadable", Location(name), N_("The file was not read: %(reason_label)s."),
                            N_("Copy the file itself into the inputs folder instead of linking to it."),
                            params={"reason_label": why}))
        return None
    try:
        size = path.stat().st_size
        if size > MAX_INPUT_FILE_BYTES:
            issues.append(issue("file-unreadable", Location(name), N_("The file is %(size)s MB; the limit is %(limit)s MB."),
                                N_("Split it, or remove pictures and unused sheets."),
                                params={"size": f"{size / 2**20:.0f}", "limit": f"{MAX_INPUT_FILE_BYTES / 2**20:.0f}"}))
            return None
        raw = path.read_bytes()
    except OSError as err:
        issues.append(issue("file-unreadable", Location(name), N_("The file cannot be read: %(reason)s."),
                            N_("Check that it exists and that you may read it."),
                            params={"reason": err.strerror or "access refused"}))
        return None
    return given_bytes(raw, name, issues)


def given_bytes(raw: bytes, name: str, issues: list[DataIssue]) -> bytes | None:
    """Bytes read or handed over (an upload): None with the reason in `issues` when too big or empty."""
    if len(raw) > MAX_INPUT_FILE_BYTES:
        issues.append(issue("file-unreadable", Location(name), N_("The file is %(size)s MB; the limit is %(limit)s MB."),
                            N_("Split it, or remove pictures and unused sheets."),
                            params={"size": f"{len(raw) / 2**20:.0f}", "limit": f"{MAX_INPUT_FILE_BYTES / 2**20:.0f}"}))
        return None
    if not raw.strip():
        issues.append(issue("file-empty", Location(name), N_("The file is empty."), N_("Fill it in from the template, or remove it.")))
        return None
    return raw


@dataclass(frozen=True)
class Source:
    """One file to read for a kind, with the CSV files holding its lines (workplan.budget.csv...)."""

    path: Path
    siblings: dict[str, Path]


def _entries(folder: Path, root: Path, issues: list[DataIssue]) -> list[Path]:
    """The folder's entries, sorted; a folder that cannot be listed is reported, not raised."""
    try:
        return sorted(folder.iterdir())
    except OSError as err:
        issues.append(issue("file-unreadable", Location(relative_name(folder, root)),
                            N_("The folder cannot be read: %(reason)s."), N_("Check that you may read it."),
                            params={"reason": err.strerror or "access refused"}))
        return []


def _is_skipped(name: str) -> bool:
    lower = name.lower()
    return lower.startswith((".", "~$", "readme")) or any(lower.endswith(s) for s in CHILD_CSV_SUFFIXES)


def type_problem(path: Path, name: str, strict: bool) -> DataIssue | None:
    """Why a file of this type is not read (reported), or None when it is read or silently passed over."""
    suffix = path.suffix.lower()
    if suffix in NOT_READABLE:
        return issue("file-type-unsupported", Location(name), N_("%(kind)s files (%(suffix)s) cannot be read."), SAVE_AS_XLSX,
                     params={"kind": NOT_READABLE[suffix], "suffix": suffix})
    if suffix not in READABLE and strict:
        return issue("file-type-unsupported", Location(name), N_("Files of type '%(suffix)s' are not read here."),
                     N_("Workplans are .xlsx workbooks (or .csv / .json); move other files out of this folder."),
                     params={"suffix": suffix or "none"})
    return None


def _siblings(path: Path) -> dict[str, Path]:
    if path.suffix.lower() != ".csv":
        return {}
    found = {}
    for suffix, prop in CHILD_CSV_SUFFIXES.items():
        candidate = path.with_name(path.stem + suffix)
        if candidate.is_file() or candidate.is_symlink():
            found[prop] = candidate
    return found


def sources_in(folder: Path, root: Path, issues: list[DataIssue], *, stem: str | None = None,
               strict: bool = False) -> list[Source]:
    """Readable files in a folder, each with its child CSVs; `stem` picks one kind's (or one partner's) files.

    With `strict`, files of a type that is never read are reported (a
    workplans folder holds workplans only). A folder named like a workbook is
    always reported: it would otherwise be passed over in silence.
    """
    if not folder.is_dir():
        return []
    found: list[Source] = []
    for path in _entries(folder, root, issues):
        if _is_skipped(path.name) or (stem is not None and path.stem.lower() != stem.lower()):
            continue
        name = relative_name(path, root)
        if path.is_dir() and not path.is_symlink():
            if path.suffix.lower() in (*READABLE, *NOT_READABLE):
                issues.append(issue("folder-named-like-file", Location(name), N_("This is a folder named like a file; it was not read."),
                                    N_("Put the workbook itself here, not a folder of that name.")))
            continue
        problem = type_problem(path, name, strict)
        if problem is not None:
            issues.append(problem)
        elif path.suffix.lower() in READABLE:
            found.append(Source(path, _siblings(path)))
    return found


def walk_inputs(root: Path) -> tuple[list[tuple[str, Path]], list[str]]:
    """Every regular file under `root` (name, path), without following links, and the entries refused.

    For the fingerprint: it must look at exactly what the loader may read, and
    refuse what the loader refuses, rather than read a link out of the folder.
    """
    files: list[tuple[str, Path]] = []
    refused: list[str] = []
    for folder, dirs, names in os.walk(root, followlinks=False):
        base = Path(folder)
        for entry in sorted(dirs):
            if (base / entry).is_symlink():
                refused.append(relative_name(base / entry, root))
        for entry in sorted(names):
            path = base / entry
            if refusal(path, root) is not None:
                refused.append(relative_name(path, root))
            elif path.is_file():
                files.append((relative_name(path, root), path))
    return files, refused

"""Partner statements: their file names, their rendering into a staging folder and the statements/ release.

The counterpart of pack_cache.py for packs. A full run replaces the whole
folder; a run for one partner rewrites that partner's two files and keeps the
others' published ones, when they were made from the same edition (an older
edition's statements are withdrawn, never kept beside a newer one).
"""

from __future__ import annotations

import dataclasses
import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

from catalogue.model.catalogue import Catalogue
from catalogue.publishing.layout import EDITION_FILE, STATEMENTS_DIR
from catalogue.publishing.releases import publish_or_explain
from catalogue.views.partner_statement import PartnerStatement, partner_statement


def statement_files(partner_id: str) -> tuple[str, str]:
    """The two file names of a partner's statement (ids are schema-checked: P-[A-Z0-9-]+, safe as names)."""
    if Path(partner_id).name != partner_id or partner_id.startswith("."):
        raise ValueError(f"{partner_id!r} cannot be used as a file name")
    return f"{partner_id}.pdf", f"{partner_id}.xlsx"


def statements_of(catalogue: Catalogue, partner_ids: list[str], changes: dict[str, Any] | None,
                  edition_id: str) -> list[PartnerStatement]:
    """Each partner's statement from the catalogue, naming the edition it was made from."""
    return [dataclasses.replace(partner_statement(catalogue, pid, changes), edition_id=edition_id)
            for pid in partner_ids]


def render_statement(statement: PartnerStatement, folder: Path, lang: str) -> list[str]:
    """Render one partner's PDF and workbook into `folder`; returns the file names written."""
    from catalogue.render.pdf.statement_pdf import render_statement_pdf  # WeasyPrint is slow to import
    from catalogue.render.xlsx.statement_workbook import write_statement_xlsx

    pdf, xlsx = statement_files(statement.partner.id)
    render_statement_pdf(statement, folder / pdf, lang)
    write_statement_xlsx(statement, folder / xlsx, lang)
    return [pdf, xlsx]


def _made_from(folder: Path) -> str:
    try:
        return (folder / EDITION_FILE).read_text(encoding="utf-8").strip()
    except OSError:
        return ""


def _statements_writer(staging: Path, outputs: Path, keep_others: bool, edition_id: str) -> Callable[[Path], None]:
    """A folder writer for publish(): the staged files, plus (for one partner) the others' published ones."""
    def write(folder: Path) -> None:
        (staging / EDITION_FILE).write_text(edition_id + "\n", encoding="utf-8")
        written = {p.name for p in staging.iterdir()}
        os.rename(staging, folder)  # same file system (both under OUTPUTS): instant
        previous = outputs / STATEMENTS_DIR
        if keep_others and previous.is_dir() and _made_from(previous) == edition_id:
            for item in sorted(previous.resolve().iterdir()):
                if item.is_file() and item.name not in written:
                    try:
                        os.link(item, folder / item.name)  # the published bytes, unchanged
                    except OSError:
                        shutil.copy2(item, folder / item.name)
    return write


def publish_statements(staging: Path, outputs: Path, keep_others: bool, edition_id: str,
                       on_wait: Callable[[], None] | None = None) -> str:
    """Switch OUTPUTS/statements/ to the staged folder in one step; a sentence instead of a traceback if the
    disk refuses (empty when published)."""
    _, problem = publish_or_explain(outputs, {STATEMENTS_DIR: _statements_writer(staging, outputs, keep_others, edition_id)},
                                    (STATEMENTS_DIR,), keep_fingerprint=True, on_wait=on_wait)
    return problem


def published_statement_paths(outputs: Path, names: list[str]) -> list[Path]:
    """Where the statements written under `names` are published."""
    return [outputs / STATEMENTS_DIR / name for name in names]

"""What one catalogue build publishes, as writers for releases.publish: JSON, workbook, PDF, the report.

The renderers are imported where a catalogue's writers are made, not at the
top: WeasyPrint and xlsxwriter are slow to import and a run that publishes only
the data-quality report needs neither.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from collections.abc import Callable
from concurrent.futures import Executor
from pathlib import Path
from typing import TYPE_CHECKING, Any

from catalogue.checks.gate import GateResult
from catalogue.model.catalogue import Catalogue
from catalogue.model.catalogue_json import catalogue_to_json
from catalogue.publishing import layout
from catalogue.publishing.edition_store import CURRENT, changes_since_published, edition_id_of
from catalogue.publishing.layout import FINGERPRINT_FILE
from catalogue.publishing.releases import publish_or_explain

if TYPE_CHECKING:
    from catalogue.render.pdf.layout_pool import CatalogueRendering

DATA_DOCS = "data_docs"
PUBLISHED = (layout.CATALOGUE_JSON, layout.CATALOGUE_XLSX, layout.CATALOGUE_PDF, layout.VALIDATION_DIR, layout.IATI_DIR,
             layout.DATA_PACKAGE_DIR, layout.LOGO_DIR)
Writer = Callable[[Path], None]


def report_writer(gate: GateResult, context: dict[str, Any]) -> Writer:
    """Write validation/: the report, and the GX Data Docs if the gate made them."""
    def write(folder: Path) -> None:
        from catalogue.render.words.validation_report import write_validation_report

        folder.mkdir()
        if gate.data_docs is not None and (gate.data_docs / "index.html").exists():
            shutil.copytree(gate.data_docs, folder / DATA_DOCS)
            (folder / DATA_DOCS).chmod(0o755)  # copied from a private temporary folder
            context["data_docs"] = f"{DATA_DOCS}/index.html"
        write_validation_report(gate.report, folder, context)
        if context.get("annotate"):
            _annotated_workbook(gate, folder, context)
    return write


def _annotated_workbook(gate: GateResult, folder: Path, context: dict[str, Any]) -> None:
    """The partner's workbook with its problems marked, beside the report (`validate --partner ID --annotate`).

    A workbook the checks could not open is reported as such, and no marked copy is written.
    """
    from catalogue.render.words.i18n import translations
    from catalogue.render.xlsx.annotated_workbook import annotatable, annotate_workbook

    source = Path(context["annotate"]["source"])
    findings = [i.to_dict() for i in gate.report.sorted() if i.location.file == context["annotate"]["file"]]
    target = folder / context["annotate"]["name"]
    if annotatable(source, findings):
        annotate_workbook(source, findings, translations(str(context.get("lang") or "en")).gettext, target)


def _write_json(catalogue: Catalogue, changes: dict[str, Any] | None, data: dict[str, Any] | None) -> Writer:
    def write(path: Path) -> None:
        from catalogue.render.json_document import write_catalogue_json

        write_catalogue_json(catalogue, path, changes=changes, data=data)
    return write


def _write_xlsx(catalogue: Catalogue, lang: str, changes: dict[str, Any] | None, pool: Executor | None = None) -> Writer:
    """The workbook: written here when its turn comes, or begun now in `pool` (a spare layout process: after a
    small change the workbook, written whole, was the longest step left in this process) and saved in its turn."""
    from catalogue.render.xlsx.catalogue_workbook import catalogue_xlsx_bytes, write_catalogue_xlsx

    made = pool.submit(catalogue_xlsx_bytes, catalogue, lang, changes) if pool is not None else None

    def write(path: Path) -> None:
        if made is not None:
            path.write_bytes(made.result())
        else:
            write_catalogue_xlsx(catalogue, path, lang=lang, changes=changes)
    return write


def _write_pdf(rendering: CatalogueRendering) -> Writer:
    rendering.begin()  # in the build's layout processes, while the other files are written

    def write(path: Path) -> None:
        rendering.write(path)
    return write


def iati_documents(document: dict[str, Any]) -> dict[str, bytes]:
    """iati/'s files from a catalogue.json document; none when the settings name no IATI organisation identifier."""
    from catalogue.render.iati.activity_file import activities_xml
    from catalogue.render.iati.organisation_file import organisation_xml

    if not document.get("iati_organisation_identifier"):
        return {}
    return {layout.IATI_ACTIVITIES: activities_xml(document), layout.IATI_ORGANISATION: organisation_xml(document)}


def _write_folder(folder: Path, files: dict[str, bytes]) -> None:
    """`folder` with these files; no folder at all when there are none (a release then withdraws an older one)."""
    if files:
        folder.mkdir()
        for name, data in files.items():
            (folder / name).write_bytes(data)


def iati_writer(document: dict[str, Any]) -> Writer:
    """Write iati/ (activities and organisation); nothing, which withdraws an older iati/, without an identifier."""
    return lambda folder: _write_folder(folder, iati_documents(document))


def data_package_writer(document: dict[str, Any]) -> Writer:
    """Write datapackage/: the CSV tables and datapackage.json, from catalogue.json's document."""
    def write(folder: Path) -> None:
        from catalogue.render.data_package import data_package

        _write_folder(folder, data_package(document))
    return write


def logo_writer(catalogue: Catalogue, inputs: str | None) -> Writer:
    """Write logo/<file>: exactly the bytes the build checked (their SHA-256 is in the provenance); nothing,
    which withdraws an older logo, when there is none or the file changed since it was read."""
    def write(folder: Path) -> None:
        record = next((f for f in catalogue.provenance.inputs if f.kind == "logo" and f.name == catalogue.logo), None)
        if record is None or not inputs:
            return
        try:
            raw = (Path(inputs) / record.name).read_bytes()
        except OSError:
            return
        _write_folder(folder, {record.name: raw} if hashlib.sha256(raw).hexdigest() == record.sha256 else {})
    return write


def same_edition_only(outputs: Path, name: str, edition_id: str) -> Writer:
    """packs/ or statements/ carried into the new release only if they were made from this very edition.

    A catalogue with new figures withdraws the packs and statements of the one before (they would show its
    gaps at its rates beside the new catalogue): the folder is left out of the release, and its link in OUTPUTS
    is removed, until `catalogue packs` / `statements` remake them.
    """
    def write(folder: Path) -> None:
        previous = outputs / CURRENT / name
        try:
            made_from = (previous / layout.EDITION_FILE).read_text(encoding="utf-8").strip()
        except OSError:
            return
        if made_from == edition_id:
            shutil.copytree(previous.resolve(), folder, copy_function=os.link)
    return write


def catalogue_writers(catalogue: Catalogue, gate: GateResult, lang: str, context: dict[str, Any],
                      fingerprint: str, changes: dict[str, Any] | None = None, *, cache_dir: Path | None = None,
                      progress: Callable[[str], None] | None = None,
                      json_data: dict[str, Any] | None = None, outputs: Path | None = None) -> dict[str, Writer]:
    """Every file of a catalogue release, by name: the fingerprint first, so a release always says what made it.

    `cache_dir` keeps the PDF's rendered parts between builds (render/pdf/layout_pool.py). The PDF's layout
    begins here, in the build's warm layout processes if it has them: the other writers run meanwhile.
    `json_data` is catalogue_to_json(catalogue), if the caller has made it.
    """
    def write_fingerprint(path: Path) -> None:
        path.write_text(fingerprint + "\n", encoding="utf-8")

    from catalogue.render.pdf.layout_pool import CatalogueRendering

    data = json_data if json_data is not None else catalogue_to_json(catalogue)
    document = {**data, "changes": changes} if changes is not None else data  # catalogue.json as written
    rendering = CatalogueRendering(catalogue, lang, changes, cache_dir=cache_dir, progress=progress)
    pdf = _write_pdf(rendering)  # begun first: whether its layout processes have time to spare depends on it
    spare = rendering.spare_pool()
    xlsx = _write_xlsx(catalogue, lang, changes, spare)
    # The order they are written in (the release is the same either way): while the layout processes lay the
    # PDF out, this process writes the workbook; when one of them makes the workbook, this one finishes the PDF
    # (the contents, the join) meanwhile and collects the workbook after.
    documents = {layout.CATALOGUE_XLSX: xlsx, layout.CATALOGUE_PDF: pdf} if spare is None else \
        {layout.CATALOGUE_PDF: pdf, layout.CATALOGUE_XLSX: xlsx}
    writers = {
        FINGERPRINT_FILE: write_fingerprint,
        layout.VALIDATION_DIR: report_writer(gate, context),
        layout.CATALOGUE_JSON: _write_json(catalogue, changes, data),
        **documents,
        layout.IATI_DIR: iati_writer(document),
        layout.DATA_PACKAGE_DIR: data_package_writer(document),
        layout.LOGO_DIR: logo_writer(catalogue, context.get("inputs")),
    }
    if outputs is not None:
        edition = edition_id_of(data)
        for name in (layout.PACKS_DIR, layout.STATEMENTS_DIR):
            writers[name] = same_edition_only(outputs, name, edition)
    return writers


def publish_validation_report(gate: GateResult, outputs: Path, context: dict[str, Any],
                              on_wait: Callable[[], None] | None = None) -> tuple[list[Path], str]:
    """Publish OUTPUTS/validation/ alone: an earlier catalogue in OUTPUTS stays published, byte for byte.

    Returns the published paths, or "" and why nothing could be written (disk full, read-only folder).
    """
    return publish_or_explain(outputs, {layout.VALIDATION_DIR: report_writer(gate, context)}, PUBLISHED,
                              on_wait=on_wait)


def publish_catalogue(catalogue: Catalogue, gate: GateResult, outputs: Path, lang: str, context: dict[str, Any],
                      fingerprint: str, progress: Callable[[str], None] | None = None,
                      on_wait: Callable[[], None] | None = None) -> tuple[list[Path], str]:
    """Render catalogue.json, .xlsx and .pdf with the report and publish them together as one release.

    The catalogue carries its changes since the last edition; a rate that changed without a new date is
    said through `progress`. Returns the published paths, or why nothing was published.
    """
    data = catalogue_to_json(catalogue)
    changes = changes_since_published(outputs, data)  # issue 16: since the last edition
    for headline in changes.get("headlines", []):
        if headline.get("code") == "rate-not-redated" and progress is not None:
            progress(f"Warning: the rate of {headline['params']['currencies']} changed but its date did not: "
                     "check fx_rates.csv and date the new rate")
    writers = catalogue_writers(catalogue, gate, lang, context, fingerprint, changes,
                                cache_dir=outputs / layout.PDF_PARTS_CACHE, progress=progress, json_data=data,
                                outputs=outputs)
    return publish_or_explain(outputs, writers, PUBLISHED, on_wait=on_wait)


def publish_iati(outputs: Path, on_wait: Callable[[], None] | None = None) -> tuple[list[Path], str]:
    """Write OUTPUTS/iati/ again from the published catalogue.json, as a release of its own (the catalogue, its
    report and its fingerprint stay as they are). Returns the files written, or why none was."""
    import json

    try:
        document = json.loads((outputs / layout.CATALOGUE_JSON).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return [], f"No published catalogue in {outputs}: run `catalogue build` first."
    files = iati_documents(document)  # made once: at 20,000 activities the XML takes seconds
    if not files:
        return [], ("settings.json names no iati_organisation_identifier (e.g. XM-DAC-41116): add the "
                    "Secretariat's IATI organisation identifier, rebuild, then export.")
    writer: Writer = lambda folder: _write_folder(folder, files)  # noqa: E731
    published, problem = publish_or_explain(outputs, {layout.IATI_DIR: writer}, (layout.IATI_DIR,),
                                            keep_fingerprint=True, on_wait=on_wait)
    if problem:
        return [], problem
    return [outputs / layout.IATI_DIR / name for name in (layout.IATI_ACTIVITIES, layout.IATI_ORGANISATION)], ""

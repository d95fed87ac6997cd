"""Hostile and broken input is refused within bounds, and a build that cannot write says so plainly."""

from __future__ import annotations

import io
import json
import os
import time
import zipfile
from pathlib import Path

import pytest

from catalogue.checks.gate import run_gate
from catalogue.config import MAX_INPUT_FILE_BYTES
from catalogue.inputs.load import load_inputs
from tests.conftest import run_catalogue
from tests.fixtures.small import WORKPLANS, write_workbook


def _codes_at(root: Path) -> list[tuple[str, str]]:
    gate = run_gate(load_inputs(root))
    return [(i.code, i.location.describe()) for i in gate.report.sorted()]


def test_zip_bomb_workbook_is_refused_unopened(small_inputs: Path) -> None:
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (600 * 1024 * 1024))  # 600 MB of zeros, ~600 KB packed
    (small_inputs / "workplans" / "P-BETA.xlsx").write_bytes(bomb.getvalue())
    started = time.monotonic()
    found = _codes_at(small_inputs)
    assert time.monotonic() - started < 30
    assert ("file-unreadable", "workplans/P-BETA.xlsx") in found


def test_oversized_file_is_refused(small_inputs: Path) -> None:
    with (small_inputs / "workplans" / "P-BETA.xlsx").open("wb") as handle:
        handle.truncate(MAX_INPUT_FILE_BYTES + 1)
    found = run_gate(load_inputs(small_inputs)).report
    (problem,) = [i for i in found.errors if i.location.file == "workplans/P-BETA.xlsx"]
    assert problem.code == "file-unreadable" and "the limit is" in problem.message


def test_deeply_nested_json_is_refused(small_inputs: Path) -> None:
    (small_inputs / "workplans" / "P-BETA.xlsx").unlink()
    (small_inputs / "workplans" / "P-BETA.json").write_text("[" * 100_000 + "]" * 100_000)
    assert ("json-invalid", "workplans/P-BETA.json") in _codes_at(small_inputs)


def test_symlink_out_of_the_inputs_folder_is_not_followed(small_inputs: Path, tmp_path: Path) -> None:
    secret = tmp_path / "secret.xlsx"
    write_workbook(secret, WORKPLANS["P-BETA"])
    (small_inputs / "workplans" / "P-BETA.xlsx").unlink()
    os.symlink(secret, small_inputs / "workplans" / "P-BETA.xlsx")
    assert ("file-unreadable", "workplans/P-BETA.xlsx") in _codes_at(small_inputs)


def test_ten_megabyte_cell_is_reported_not_swallowed(small_inputs: Path) -> None:
    import copy

    sheets = copy.deepcopy(WORKPLANS["P-BETA"])
    sheets["Activities"][1][4] = "x" * 10_000_000
    write_workbook(small_inputs / "workplans" / "P-BETA.xlsx", sheets)
    report = run_gate(load_inputs(small_inputs)).report
    (problem,) = [i for i in report.errors if i.code == "value-too-long"]
    assert problem.location.cell() == "Activities!E2"
    assert len(problem.to_dict()["value"]) < 100  # the report quotes a snippet, not 10 MB


def test_deleted_input_folder_is_a_usage_error(tmp_path: Path, prefect_api: str) -> None:
    result = run_catalogue(["validate", "--inputs", str(tmp_path / "gone")], prefect_api)
    assert result.returncode == 2


@pytest.mark.slow
def test_unwritable_outputs_say_so_without_a_traceback(small_inputs: Path, tmp_path: Path, prefect_api: str) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the outputs folder should be")
    result = run_catalogue(["build", "--inputs", str(small_inputs), "--outputs", str(blocker / "out")], prefect_api)
    shown = result.stdout + result.stderr
    assert result.returncode == 1
    assert "Traceback" not in shown
    assert "Could not write to" in shown and "Nothing was published" in shown


@pytest.fixture(scope="module")
def two_builds(tmp_path_factory: pytest.TempPathFactory, prefect_api: str) -> tuple[Path, Path]:
    """The small fixture built twice, cold, into two outputs folders, with one SOURCE_DATE_EPOCH."""
    from tests.fixtures.small import write_small_inputs

    root = tmp_path_factory.mktemp("two-builds")
    inputs = write_small_inputs(root / "inputs")
    os.environ["SOURCE_DATE_EPOCH"] = "1751328000"
    try:
        for name in ("a", "b"):
            result = run_catalogue(["build", "--inputs", str(inputs), "--outputs", str(root / name)], prefect_api)
            assert result.returncode == 0, result.stderr
    finally:
        os.environ.pop("SOURCE_DATE_EPOCH")
    return root / "a", root / "b"


@pytest.mark.slow
def test_two_builds_give_byte_identical_json(two_builds: tuple[Path, Path]) -> None:
    first = (two_builds[0] / "catalogue.json").read_bytes()
    assert first == (two_builds[1] / "catalogue.json").read_bytes()
    assert json.loads(first)["provenance"]["build_time"] == "2025-07-01T00:00:00Z"


@pytest.mark.slow
def test_killing_a_real_build_at_several_points_keeps_the_previous_catalogue(small_inputs: Path, tmp_path: Path,
                                                                               prefect_api: str) -> None:
    import signal
    import subprocess

    from tests.conftest import catalogue_command

    outputs = tmp_path / "outputs"
    first = run_catalogue(["build", "--inputs", str(small_inputs), "--outputs", str(outputs)], prefect_api)
    assert first.returncode == 0, first.stderr
    before = {name: (outputs / name).read_bytes() for name in ("catalogue.json", "catalogue.xlsx", "catalogue.pdf")}
    env = {**os.environ, "PREFECT_API_URL": prefect_api}
    for delay in (1.0, 2.5, 4.0, 5.5, 7.0):
        process = subprocess.Popen(catalogue_command() + ["build", "--force", "--inputs", str(small_inputs), "--outputs", str(outputs)],
                                   env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        time.sleep(delay)
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        now = {name: (outputs / name).read_bytes() for name in before}
        # Either the old catalogue, whole, or (if the kill came after the switch) a whole new one: never a mix.
        data = json.loads(now["catalogue.json"])
        assert data["totals"]["all"]["gap"] == "58220.40"
        assert now["catalogue.pdf"].startswith(b"%PDF") and now["catalogue.pdf"].rstrip().endswith(b"%%EOF")
        if now["catalogue.json"] == before["catalogue.json"]:
            assert now == before, f"mixed outputs after a kill at {delay} s"
    final = run_catalogue(["build", "--force", "--inputs", str(small_inputs), "--outputs", str(outputs)], prefect_api)
    assert final.returncode == 0, final.stderr


def test_windows_1252_csv_is_read_with_a_warning_not_mojibake(small_inputs: Path) -> None:
    from tests.fixtures.small import PRIORITIES, write_csv

    rows = [list(r) for r in PRIORITIES]
    rows[1][2] = "Changement climatique et espèces migratrices"
    write_csv(small_inputs / "priorities.csv", rows, encoding="cp1252")
    gate = run_gate(load_inputs(small_inputs))
    assert gate.passed
    (warning,) = [i for i in gate.report.warnings if i.code == "file-encoding-guessed"]
    assert warning.location.file == "priorities.csv"
    titles = {r.data["id"]: r.data["title"] for r in gate.valid_records["priority"]}
    assert titles["RES-12.21"] == "Changement climatique et espèces migratrices"


def test_a_million_rows_is_refused_within_bounds(small_inputs: Path) -> None:
    from catalogue.config import MAX_ROWS_PER_SHEET

    with (small_inputs / "partners.csv").open("a", encoding="utf-8") as handle:
        for i in range(1_000_000):
            handle.write(f"P-X{i},N,X,,,,,,n,,e@x.org,,,\n")  # 30 MB: under the file-size limit, over the row limit
    started = time.monotonic()
    report = run_gate(load_inputs(small_inputs)).report
    assert time.monotonic() - started < 60
    (problem,) = [i for i in report.errors if i.location.file == "partners.csv"]
    assert problem.code == "file-unreadable" and f"{MAX_ROWS_PER_SHEET:,}" in problem.message


@pytest.mark.slow
def test_two_builds_give_the_same_workbook_and_pdf_content(two_builds: tuple[Path, Path]) -> None:
    from openpyxl import load_workbook
    from pypdf import PdfReader

    def cells(path: Path) -> list:
        book = load_workbook(path)
        return [(ws.title, [[c.value for c in row] for row in ws.iter_rows()]) for ws in book.worksheets]

    def pages(path: Path) -> list[str]:
        return [page.extract_text() for page in PdfReader(str(path)).pages]

    a, b = two_builds
    assert cells(a / "catalogue.xlsx") == cells(b / "catalogue.xlsx")
    assert pages(a / "catalogue.pdf") == pages(b / "catalogue.pdf")
    assert PdfReader(str(a / "catalogue.pdf")).metadata.creation_date == \
        PdfReader(str(b / "catalogue.pdf")).metadata.creation_date


NAMES_IN_EVERY_SCRIPT = ["Inés Muñoz-Lefèvre", "ليلى الحسن", "王静", "Ольга Смирнова"]


def test_names_in_every_script_render_with_real_glyphs_and_survive_into_the_workbook(small_inputs: Path, tmp_path: Path) -> None:
    """Accents, Arabic, Chinese and Cyrillic: in the PDF with a font that has the glyphs, and in the workbook as typed."""
    import dataclasses

    from openpyxl import load_workbook
    from pypdf import PdfReader

    from catalogue.pipeline import build_model
    from catalogue.render.pdf.catalogue_document import render_pdf
    from catalogue.render.xlsx.catalogue_workbook import write_catalogue_xlsx

    catalogue = build_model(small_inputs).catalogue
    assert catalogue is not None
    partners = list(catalogue.partners)
    partners[0] = dataclasses.replace(partners[0], contact_name=" / ".join(NAMES_IN_EVERY_SCRIPT))
    catalogue = dataclasses.replace(catalogue, partners=tuple(partners))
    render_pdf(catalogue, tmp_path / "c.pdf", lang="en")
    write_catalogue_xlsx(catalogue, tmp_path / "c.xlsx")

    reader = PdfReader(str(tmp_path / "c.pdf"))
    text = "".join((page.extract_text() or "") for page in reader.pages).replace("\x00", "")
    for name in NAMES_IN_EVERY_SCRIPT:
        assert name.replace(" ", "") in text.replace(" ", "").replace("\n", ""), name
    fonts = set()
    for page in reader.pages:
        resources = page.get("/Resources") or {}
        for font in (resources.get("/Font") or {}).values():
            fonts.add(str(font.get_object().get("/BaseFont")))
    # DejaVu covers Latin, Arabic and Cyrillic; the CJK name needs a CJK font (fonts-wqy-zenhei, installed by .ci/install).
    assert any("DejaVu" in f for f in fonts), fonts
    assert any(("WenQuanYi" in f or "Noto" in f or "CJK" in f) for f in fonts), fonts

    sheet = load_workbook(tmp_path / "c.xlsx", read_only=True)["Partners"]
    values = {cell for row in sheet.iter_rows(values_only=True) for cell in row if isinstance(cell, str)}
    assert " / ".join(NAMES_IN_EVERY_SCRIPT) in values


@pytest.mark.slow
def test_two_real_builds_at_once_take_turns(small_inputs: Path, tmp_path: Path, prefect_api: str) -> None:
    import subprocess

    from tests.conftest import catalogue_command

    outputs = tmp_path / "outputs"
    env = {**os.environ, "PREFECT_API_URL": prefect_api}
    runs = [subprocess.Popen(catalogue_command() + ["build", "--force", "--inputs", str(small_inputs), "--outputs", str(outputs)],
                             env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    results = [run.communicate(timeout=600) for run in runs]
    assert [run.returncode for run in runs] == [0, 0], results
    data = json.loads((outputs / "catalogue.json").read_text())
    assert data["totals"]["all"]["gap"] == "58220.40"
    # Both published whole releases one after the other: the one that is current is complete.
    current = (outputs / ".current").resolve()
    assert {p.name for p in current.iterdir()} >= {"catalogue.json", "catalogue.xlsx", "catalogue.pdf", "validation"}


def _layout_workers(session: int) -> list[int]:
    """The PDF layout processes (multiprocessing spawn children) of the process group `session`."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            command = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        group = int(stat.rsplit(")", 1)[1].split()[2])  # the fields after the command name: state, ppid, pgrp
        if group == session and b"multiprocessing" in command:
            found.append(int(entry.name))
    return found


@pytest.mark.slow
def test_killing_a_build_while_pdf_parts_render_in_parallel_keeps_the_previous_catalogue(
        small_inputs: Path, tmp_path: Path, prefect_api: str) -> None:
    import shutil
    import signal
    import subprocess

    import pikepdf

    from tests.conftest import catalogue_command

    outputs = tmp_path / "outputs"
    first = run_catalogue(["build", "--inputs", str(small_inputs), "--outputs", str(outputs)], prefect_api)
    assert first.returncode == 0, first.stderr
    before = {name: (outputs / name).read_bytes() for name in ("catalogue.json", "catalogue.xlsx", "catalogue.pdf")}
    cache = outputs / ".cache" / "pdf-parts"
    shutil.rmtree(cache)  # every part is laid out again, so the pool is busy when the kill comes
    env = {**os.environ, "PREFECT_API_URL": prefect_api, "CATALOGUE_PDF_WORKERS": "2"}
    process = subprocess.Popen(catalogue_command() + ["build", "--force", "--inputs", str(small_inputs), "--outputs", str(outputs)],
                               env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline and not (_layout_workers(process.pid) and list(cache.glob("*.pdf"))):
        time.sleep(0.01)
    workers = _layout_workers(process.pid)
    assert workers, "the build never reached the parallel PDF layout"
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()

    assert {name: (outputs / name).read_bytes() for name in before} == before  # the previous catalogue, whole
    assert (outputs / "catalogue.pdf").resolve().is_file()
    for part in cache.glob("*.pdf"):  # what the cache kept is whole: each entry opens as a PDF
        with pikepdf.open(part) as pdf:
            assert len(pdf.pages) >= 1
    final = run_catalogue(["build", "--force", "--inputs", str(small_inputs), "--outputs", str(outputs)], prefect_api)
    assert final.returncode == 0, final.stderr
    assert not list(cache.glob(".*.tmp"))  # a killed build's half-written entry is swept by the next

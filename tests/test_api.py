"""The library's door (catalogue/api.py): what the CLI, the flows and the web call, held to what it promises.

A partner's upload checked from its bytes says exactly what `validate --partner` says of the same file in the
folder, and writes nothing; the partner directory reads no workplan; a template reads only its partner's
workbook; "up to date" is true only for exactly what was published.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from catalogue import api
from catalogue.inputs.files import partner_of
from catalogue.pipeline import build_model
from tests.fixtures.small import write_small_inputs
from tests.test_corpus import overlay

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO / "tests" / "corpus"
SAMPLE = REPO / "inputs"

# A workbook saved by LibreOffice, a missing title, money over-committed, an .ods, a missing sheet, a formula typed
# as text, a password-protected file, money claimed twice: each read from bytes as from the folder.
CASES = ["reality-libreoffice-saved", "required-missing-title", "over-committed", "file-type-unsupported-ods",
         "sheet-missing", "hostile-formula-text", "file-password-protected", "double-counted"]


def _findings(report: api.Report) -> list[dict[str, object]]:
    return [found.to_dict() for found in report.sorted()]


def _listing(folder: Path) -> list[tuple[str, int, int]]:
    return sorted((p.relative_to(folder).as_posix(), p.stat().st_size, p.stat().st_mtime_ns)
                  for p in folder.rglob("*"))


@pytest.mark.parametrize("case", CASES)
def test_an_upload_checked_from_its_bytes_reads_as_the_same_file_in_the_folder(case: str, tmp_path: Path) -> None:
    inputs = overlay(case, write_small_inputs(tmp_path / "fixture"), tmp_path / "inputs")  # the case's file in place
    (sent,) = sorted((CORPUS / case / "workplans").iterdir())
    workbook = inputs / "workplans" / sent.name
    partner = partner_of(f"workplans/{workbook.name}")
    assert partner is not None
    before = _listing(inputs)

    from_bytes = api.check_partner_workbook(inputs, partner, workbook.suffix, workbook.read_bytes())

    assert _findings(from_bytes) == _findings(build_model(inputs, partner_id=partner).report)
    assert from_bytes.issues, "every case here has something to say"
    assert _listing(inputs) == before  # nothing copied, linked or written beside the inputs


def test_an_upload_replaces_the_partner_file_in_the_folder_for_the_check(tmp_path: Path) -> None:
    """The folder's own workbook of that partner is not read: the upload is checked in its place."""
    inputs = Path(shutil.copytree(SAMPLE, tmp_path / "inputs"))
    broken = CORPUS / "required-missing-title" / "workplans" / "P-ALPHA.xlsx"
    clean = api.check_partner_workbook(inputs, "P-WWF", ".xlsx", (inputs / "workplans" / "P-WWF.xlsx").read_bytes())
    assert not clean.errors
    wrong = api.check_partner_workbook(inputs, "P-WWF", ".xlsx", broken.read_bytes())
    assert wrong.errors
    assert {i.location.file for i in wrong.errors} == {"workplans/P-WWF.xlsx"}


def test_an_empty_upload_is_a_finding_not_a_crash() -> None:
    report = api.check_partner_workbook(SAMPLE, "P-WWF", ".xlsx", b"")
    assert [i.code for i in report.errors][:1] == ["file-empty"]


def test_the_partner_directory_reads_the_shared_lists_only(tmp_path: Path) -> None:
    inputs = Path(shutil.copytree(SAMPLE, tmp_path / "inputs"))
    (inputs / "workplans" / "P-WWF.xlsx").write_bytes(b"not a workbook at all")  # a broken workplan: not read
    directory = api.partner_directory(inputs)
    ids = [record["id"] for record in directory]
    assert ids == sorted(ids) and "P-WWF" in ids
    assert all(isinstance(record.get("name"), str) and record["name"] for record in directory)


def test_a_template_reads_only_its_own_partners_workbook(tmp_path: Path) -> None:
    inputs = Path(shutil.copytree(SAMPLE, tmp_path / "inputs"))
    others = [p for p in (inputs / "workplans").iterdir() if not p.name.startswith("P-WWF.")]
    for other in others:
        other.write_bytes(b"broken")  # another partner's file cannot stop this partner's download
    target = tmp_path / "P-WWF.xlsx"
    api.write_partner_template("P-WWF", inputs, target)
    assert target.stat().st_size > 0
    with pytest.raises(api.UnknownPartner, match="P-WWF"):
        api.write_partner_template("P-NOBODY", inputs, tmp_path / "nobody.xlsx")


def test_up_to_date_only_for_exactly_what_was_published(published_sample: dict[str, object], tmp_path: Path) -> None:
    from tests.conftest import copy_published

    inputs, outputs = copy_published(published_sample, tmp_path)
    published = json.loads((outputs / api.layout.CATALOGUE_JSON).read_text(encoding="utf-8"))
    same = api.catalogue_up_to_date(inputs, outputs, "en")
    assert same is not None and same.up_to_date and same.ok
    assert same.totals is not None and same.totals.gap == published["totals"]["gap"]
    assert api.catalogue_up_to_date(inputs, outputs, "fr") is None  # another language is another catalogue
    assert api.catalogue_up_to_date(inputs, tmp_path / "nothing-yet", "en") is None
    (inputs / "settings.json").write_text((inputs / "settings.json").read_text(encoding="utf-8") + "\n",
                                          encoding="utf-8")
    assert api.catalogue_up_to_date(inputs, outputs, "en") is None  # one byte of the inputs changed


def test_the_packs_published_are_up_to_date_for_the_same_inputs(published_sample: dict[str, object]) -> None:
    inputs, outputs = Path(str(published_sample["inputs"])), Path(str(published_sample["outputs"]))
    packs = api.packs_up_to_date(inputs, outputs, None)
    assert packs is not None and packs.up_to_date
    assert {Path(p).parent.name for p in packs.outputs} == {api.layout.PACKS_DIR}
    assert api.packs_up_to_date(inputs, outputs, "D-DE-BMUV") is None  # one donor's run is another run

"""End to end: a build publishes the programme as IATI 2.03 and as a data package beside the catalogue, donors
download both from the site, and `catalogue export iati` writes the IATI files again from catalogue.json alone."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

import pytest

from tests.conftest import copy_published, run_catalogue
from tests.render.iati.iati_standard import codelist_errors, schema_errors

pytestmark = pytest.mark.slow


def test_a_build_publishes_valid_iati_with_the_catalogues_figures(published_sample: dict[str, Any]) -> None:
    outputs = Path(str(published_sample["outputs"]))
    assert "iati" in published_sample["results"]["build"].stdout  # the build says it wrote it
    document = json.loads((outputs / "catalogue.json").read_text(encoding="utf-8"))
    data = (outputs / "iati" / "activities.xml").read_bytes()
    assert schema_errors(data) == [] and codelist_errors(data) == []
    prefix = document["iati_organisation_identifier"] + "-"
    required = {}
    for activity in ET.fromstring(data).findall("iati-activity"):
        identifier = (activity.findtext("iati-identifier") or "").removeprefix(prefix)
        required[identifier] = sum((Decimal(v.text or "0") for v in activity.findall("budget/value")), Decimal(0))
    work = [*document["activities"], *document["secretariat_tasks"]]
    assert required == {w["id"]: Decimal(w["required"]) for w in work}
    assert (outputs / "iati" / "organisation.xml").is_file()


def test_export_writes_the_same_files_and_leaves_the_catalogue_alone(published_sample: dict[str, Any],
                                                                     prefect_api: str, tmp_path: Path) -> None:
    _, outputs = copy_published(published_sample, tmp_path)
    before = {name: (outputs / name).read_bytes() for name in ("catalogue.json", "iati/activities.xml",
                                                               "iati/organisation.xml")}
    fingerprint = (outputs / ".current" / ".fingerprint").read_text(encoding="utf-8")
    (outputs / "iati" / "activities.xml").resolve().unlink()  # lost: the export writes it again
    result = run_catalogue(["export", "iati", "--outputs", str(outputs)], prefect_api)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Wrote" in result.stdout and "activities.xml" in result.stdout
    assert {name: (outputs / name).read_bytes() for name in before} == before
    assert (outputs / ".current" / ".fingerprint").read_text(encoding="utf-8") == fingerprint  # still up to date


def test_export_without_a_published_catalogue_says_what_to_do(prefect_api: str, tmp_path: Path) -> None:
    result = run_catalogue(["export", "iati", "--outputs", str(tmp_path / "nothing")], prefect_api)
    assert result.returncode == 1
    assert "catalogue build" in result.stderr and "Traceback" not in result.stdout + result.stderr


def test_donors_download_the_iati_files(published_sample: dict[str, Any], tmp_path: Path) -> None:
    from fastapi.testclient import TestClient

    from flows.web.app import create_app
    from flows.web.site_settings import WebSettings

    outputs = Path(str(published_sample["outputs"]))
    settings = WebSettings(inputs=Path(str(published_sample["inputs"])), outputs=outputs, data=tmp_path / "data",
                           run_jobs=False)
    with TestClient(create_app(settings), base_url="http://127.0.0.1") as donor:
        home = donor.get("/donors")
        assert 'href="/donors/download/iati-activities.xml"' in home.text
        got = donor.get("/donors/download/iati-activities.xml")
        assert got.status_code == 200 and got.content == (outputs / "iati" / "activities.xml").read_bytes()
        assert donor.get("/donors/download/iati-organisation.xml").status_code == 200
        assert donor.get("/donors/download/iati").status_code == 404
        csv_link = donor.get("/donors/partners")
        assert 'href="/donors/download/data-partners.csv"' in csv_link.text
        partners = donor.get("/donors/download/data-partners.csv")
        assert partners.status_code == 200
        assert partners.content == (outputs / "datapackage" / "partners.csv").read_bytes()
        assert donor.get("/donors/download/datapackage.json").json()["resources"]
        assert donor.get("/donors/download/..%2Fsettings.json").status_code == 404


def test_a_build_publishes_a_valid_data_package_with_the_catalogues_figures(published_sample: dict[str, Any]) -> None:
    import csv

    from frictionless import validate

    outputs = Path(str(published_sample["outputs"]))
    report = validate(outputs / "datapackage" / "datapackage.json")
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:10]
    document = json.loads((outputs / "catalogue.json").read_text(encoding="utf-8"))
    with (outputs / "datapackage" / "years.csv").open(encoding="utf-8", newline="") as stream:
        years = {(r["item_kind"], r["item_id"], int(r["year"])): r for r in csv.DictReader(stream)}
    for kind, key in (("activity", "activities"), ("task", "secretariat_tasks")):
        for work in document[key]:
            for year in work["years"]:
                row = years[(kind, work["id"], year["year"])]
                assert [Decimal(row[f]) for f in ("required", "secured", "pledged", "gap")] == [
                    Decimal(year[f]) for f in ("required", "secured", "pledged", "gap")], (work["id"], year["year"])

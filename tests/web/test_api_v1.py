"""/api/v1: the published programme for scripts, read-only. JSON always (CSV on request), errors JSON with a code
and a message (never HTML, never a 500 for a bad parameter), the donor site's privacy, and figures that add up.

schemathesis generates requests from the API's own OpenAPI document and checks every answer against it.
"""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, settings

from catalogue.model.catalogue_json import catalogue_to_json
from catalogue.pipeline import build_model
from flows.web.app import create_app
from flows.web.site_settings import WebSettings

REPO = Path(__file__).resolve().parents[2]

TOKEN = "donor-token-for-tests-0123456789"


@pytest.fixture(scope="module")
def outputs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An outputs folder with the sample's catalogue.json (the library's build; no Prefect needed here)."""
    folder = tmp_path_factory.mktemp("api") / "outputs"
    folder.mkdir()
    model = build_model(REPO / "inputs", build_time="2025-07-01T08:00:00Z")
    assert model.catalogue is not None
    (folder / "catalogue.json").write_text(json.dumps(catalogue_to_json(model.catalogue)), encoding="utf-8")
    return folder


def _client(outputs: Path, root: Path, **options: Any) -> TestClient:
    settings_ = WebSettings(inputs=REPO / "inputs", outputs=outputs, data=root / "data",
                            run_jobs=False, **options)
    return TestClient(create_app(settings_), base_url="http://127.0.0.1")


def test_every_answer_matches_the_openapi_document(outputs: Path, tmp_path: Path) -> None:
    """Requests generated from /api/v1/openapi.json for every operation: no 500, every answer as documented."""
    from hypothesis import given

    app = create_app(WebSettings(inputs=REPO / "inputs", outputs=outputs, data=tmp_path / "data", run_jobs=False,
                                 extra_hosts=("testserver",)))  # the Host schemathesis names
    schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 7

    for operation in operations:
        @given(case=operation.as_strategy())
        @settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
        def check(case: Any) -> None:
            response = case.call_and_validate()
            assert response.status_code < 500
            kind = response.headers.get("content-type") or [""]  # schemathesis keeps each header as a list
            assert str(kind[0] if isinstance(kind, list) else kind).startswith(("application/json", "text/csv"))

        check()


def test_errors_are_json_with_a_code_and_a_sentence(outputs: Path, tmp_path: Path) -> None:
    client = _client(outputs, tmp_path)
    for url, status, code, named in (("/api/v1/flows?groupby=colour", 400, "bad-parameter", "groupby"),
                                     ("/api/v1/activities?year=twenty", 400, "bad-parameter", "year"),
                                     ("/api/v1/donors?format=xml", 400, "bad-parameter", "format"),
                                     ("/api/v1/priorities?region=" + "x" * 300, 400, "bad-parameter", "region"),
                                     ("/api/v1/nowhere", 404, "http-404", "")):
        answer = client.get(url)
        assert answer.status_code == status, url
        assert answer.headers["content-type"].startswith("application/json"), url
        assert answer.json()["error"]["code"] == code and named in answer.json()["error"]["message"], url
    assert client.post("/api/v1/priorities").json()["error"]["code"] == "http-405"


def test_flows_group_by_any_filter_and_add_up_to_the_cent(outputs: Path, tmp_path: Path) -> None:
    client = _client(outputs, tmp_path)
    every = client.get("/api/v1/flows").json()["data"]
    total = sum(Decimal(f["committed"]) for f in every)
    assert total > 0
    for group in ("donor", "country", "taxon", "region", "year", "priority,year"):
        grouped = client.get(f"/api/v1/flows?groupby={group}").json()["data"]
        assert sum(Decimal(g["committed"]) for g in grouped) == total, group
    paid = client.get("/api/v1/flows?status=paid&groupby=year").json()["data"]
    assert all(Decimal(g["pledged"]) == 0 for g in paid)
    kenya = client.get("/api/v1/activities?country=KE").json()
    assert kenya["meta"]["count"] == len(kenya["data"]) > 0 and all("KE" in a["countries"] for a in kenya["data"])


def test_csv_on_request_with_the_same_figures(outputs: Path, tmp_path: Path) -> None:
    client = _client(outputs, tmp_path)
    as_json = client.get("/api/v1/priorities").json()["data"]
    for answer in (client.get("/api/v1/priorities?format=csv"),
                   client.get("/api/v1/priorities", headers={"accept": "text/csv"})):
        assert answer.headers["content-type"].startswith("text/csv")
        rows = list(csv.DictReader(io.StringIO(answer.text)))
        assert [(r["id"], r["gap"]) for r in rows] == [(p["id"], p["gap"]) for p in as_json]


def test_the_api_keeps_the_donor_sites_privacy(outputs: Path, tmp_path: Path) -> None:
    private = _client(outputs, tmp_path, donor_token=TOKEN)
    refused = private.get("/api/v1/priorities")
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "donor-link-needed"
    assert private.get("/api/v1/flows", headers={"authorization": "Bearer wrong"}).status_code == 403
    allowed = private.get("/api/v1/donors", headers={"authorization": f"Bearer {TOKEN}"})
    assert allowed.status_code == 200
    document = json.loads((outputs / "catalogue.json").read_text(encoding="utf-8"))
    text = json.dumps([private.get(f"/api/v1/{name}", headers={"authorization": f"Bearer {TOKEN}"}).json()
                       for name in ("priorities", "activities", "donors", "flows")])
    for partner in document["partners"]:
        if partner.get("contact_email"):
            assert partner["contact_email"] not in text  # no partner contact
    profiles = {p.stem for p in (REPO / "inputs" / "donors").glob("*.json")}
    assert not {d["id"] for d in allowed.json()["data"]} & profiles  # no prospect profile
    assert private.get("/api/v1/packs", headers={"authorization": f"Bearer {TOKEN}"}).status_code == 404

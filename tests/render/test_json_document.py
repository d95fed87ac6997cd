"""catalogue.json carries the model's findings as codes (with their English text beside them), as the schema says."""

from __future__ import annotations

import dataclasses
import json

import pytest

from catalogue.model.catalogue import Catalogue, DoubleCount, LanguishingPriority
from catalogue.model.catalogue_json import catalogue_to_json
from catalogue.model.reasons import Reason
from catalogue.pipeline import build_model
from catalogue.render.json_document import check_catalogue_json
from catalogue.render.words.i18n import Formatter, translations
from tests.fixtures.small import write_small_inputs


@pytest.fixture(scope="module")
def small_catalogue(tmp_path_factory: pytest.TempPathFactory) -> Catalogue:
    result = build_model(write_small_inputs(tmp_path_factory.mktemp("small") / "inputs"), "2025-07-01T00:00:00Z")
    assert result.catalogue is not None
    return result.catalogue


def test_findings_are_codes_with_their_english_text_beside_them(small_catalogue: Catalogue) -> None:
    double = DoubleCount(Reason("partner-counted-twice", (("partner_id", "P-BETA"),)), "GR-1",
                         ("ST-001 funding line 2", "BETA-001 funding line 2"))
    below = Reason("coverage-below-threshold", (("coverage", "0.1770"), ("threshold", "0.25")))
    languishing = (LanguishingPriority("RES-12.21", "Climate", (below,)),)
    data = json.loads(json.dumps(catalogue_to_json(dataclasses.replace(
        small_catalogue, double_counting=(double,), languishing_priorities=languishing))))
    assert data["double_counting"][0]["reason"] == ("P-BETA's money is counted by the Secretariat and by the partner "
                                                    "itself on the same priority")
    assert data["double_counting"][0]["reason_code"] == {"code": "partner-counted-twice",
                                                         "params": {"partner_id": "P-BETA"}}
    assert data["languishing_priorities"][0]["reasons"] == ["coverage 17.7% is below the 25% threshold"]
    assert data["languishing_priorities"][0]["reason_codes"] == [
        {"code": "coverage-below-threshold", "params": {"coverage": "0.1770", "threshold": "0.25"}}]
    assert check_catalogue_json(data) == []


def test_every_code_has_words_in_every_language() -> None:
    from catalogue.model.reasons import REASON_MESSAGES
    params = (("partner_id", "P-X"), ("values", "CN"), ("coverage", "0.1770"), ("threshold", "0.25"))
    for lang in ("fr", "es"):
        fmt = Formatter(lang, "USD", translations(lang).gettext)
        for code, message in REASON_MESSAGES.items():
            wanted = tuple(p for p in params if f"%({p[0]})s" in message)
            text = fmt.reason(Reason(code, wanted))
            assert text != Reason(code, wanted).text, (lang, code)  # translated, not the English sentence
            assert all(value in text for name, value in wanted if name in ("partner_id", "values")), (lang, code)


def _jsonschema_errors(data: dict) -> list[str]:
    from jsonschema import Draft202012Validator

    from catalogue.inputs.schemas import load_schema_documents, schema_registry
    validator = Draft202012Validator(load_schema_documents()["catalogue.schema.json"], registry=schema_registry())
    return [e.message for e in validator.iter_errors(data)]


def _broken_versions(data: dict) -> list[tuple[str, dict]]:
    """Catalogues a bug in this program could write: each breaks a different kind of schema rule."""
    def changed(edit: object) -> dict:
        copy = json.loads(json.dumps(data))
        edit(copy)  # type: ignore[operator]
        return copy
    return [
        ("required field missing", changed(lambda d: d["totals"].pop("gap"))),
        ("money as a number", changed(lambda d: d["totals"].__setitem__("gap", 12.5))),
        ("money with three decimals", changed(lambda d: d["activities"][0].__setitem__("required", "1.005"))),
        ("a budget line without its amount", changed(lambda d: d["activities"][0]["budget_lines"][0].pop("amount"))),
        ("status outside its list", changed(lambda d: d["activities"][0].__setitem__("status", "nearly"))),
        ("a list as text", changed(lambda d: d.__setitem__("warnings", "none"))),
        ("schema version wrong", changed(lambda d: d.__setitem__("schema_version", "0.9"))),
        # Nullable fields (a date or null, money or null): the fast check says them as one type-or-null rule.
        ("a pledge date as a number", changed(lambda d: _funding_line(d).__setitem__("pledged_on", 20250101))),
        ("a pledge date in another form", changed(lambda d: _funding_line(d).__setitem__("pledged_on", "1/3/2025"))),
        ("money paid as a number", changed(lambda d: _funding_line(d).__setitem__("paid", 10))),
        ("an offer's expiry as a number", changed(lambda d: _offer(d).__setitem__("expires", 2026))),
    ]


def _funding_line(data: dict) -> dict:
    return next(a for a in data["activities"] if a["funding_lines"])["funding_lines"][0]


def _offer(data: dict) -> dict:
    return next(a for a in data["activities"] if a.get("match_offer"))["match_offer"]


def test_nullable_fields_take_null_or_their_type_in_both_checks(small_catalogue: Catalogue) -> None:
    """What the fast check's rewriting of `oneOf: [date, null]` must keep: null and a date pass, nothing else."""
    from catalogue.inputs.schemas import fast_document_check
    data = json.loads(json.dumps(catalogue_to_json(small_catalogue)))
    fast = fast_document_check("catalogue.schema.json")
    for value in (None, "2025-03-01"):
        _funding_line(data)["pledged_on"] = value
        _funding_line(data)["paid"] = None if value is None else "12.50"
        _offer(data)["expires"] = value
        fast(data)
        assert _jsonschema_errors(data) == []


def test_the_fast_output_check_agrees_with_jsonschema(small_catalogue: Catalogue) -> None:
    """Every build checks its catalogue.json with a compiled check; jsonschema only words what it rejects."""
    from fastjsonschema import JsonSchemaValueException

    from catalogue.inputs.schemas import fast_document_check
    data = json.loads(json.dumps(catalogue_to_json(small_catalogue)))
    fast = fast_document_check("catalogue.schema.json")
    fast(data)
    assert _jsonschema_errors(data) == [] and check_catalogue_json(data) == []
    for what, broken in _broken_versions(data):
        assert _jsonschema_errors(broken), what
        with pytest.raises(JsonSchemaValueException):
            fast(broken)
        assert check_catalogue_json(broken), what


def test_a_catalogue_json_that_breaks_its_schema_is_not_written(small_catalogue: Catalogue, tmp_path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """A bug of ours that writes a malformed catalogue.json stops the build with the schema's words."""
    from catalogue.render import json_document as catalogue_json

    good = catalogue_to_json(small_catalogue)
    catalogue_json.write_catalogue_json(small_catalogue, tmp_path / "good.json", data=good)
    assert json.loads((tmp_path / "good.json").read_text()) == json.loads(json.dumps(good))
    broken = {**good, "totals": {**good["totals"], "gap": 12.5}}
    with pytest.raises(ValueError, match="totals/gap"):
        catalogue_json.write_catalogue_json(small_catalogue, tmp_path / "broken.json", data=broken)
    assert not (tmp_path / "broken.json").exists()

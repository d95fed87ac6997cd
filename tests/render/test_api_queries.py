"""The API's answers (render/api_queries.py): filters, groups that add up to the cent, and refusals that say why."""

from __future__ import annotations

from decimal import Decimal as D
from typing import Any

import pytest

from catalogue.render.api_queries import QueryError, activity_rows, flows, priority_rows


def test_a_flow_in_several_countries_is_shared_among_them_to_the_cent(sample_document: dict[str, Any]) -> None:
    every = flows(sample_document, {})
    for money in ("committed", "paid", "pledged"):
        total = sum((D(str(f[money])) for f in every), D(0))
        for group in (["country"], ["taxon"], ["region"], ["donor", "year"], ["priority", "country"]):
            assert sum(D(g[money]) for g in flows(sample_document, {}, group)) == total, (money, group)


def test_flows_are_money_moved_or_promised_never_a_request(sample_document: dict[str, Any]) -> None:
    stages = {f["status"] for f in flows(sample_document, {})}
    assert stages <= {"pledged", "committed", "paid"} and "committed" in stages
    paid = flows(sample_document, {"status": "paid"})
    assert paid and all(f["status"] == "paid" and D(str(f["paid"])) > 0 for f in paid)


def test_filters_select_what_they_name(sample_document: dict[str, Any]) -> None:
    africa = priority_rows(sample_document, {"region": "Africa"})
    assert africa and all("Africa" in p["regions"].split("; ") for p in africa)
    in_2025 = activity_rows(sample_document, {"year": "2025"})
    wanted = {a["id"] for a in sample_document["activities"] if any(y["year"] == 2025 for y in a["years"])}
    assert {a["id"] for a in in_2025} == wanted


@pytest.mark.parametrize(("call", "code"), [
    (lambda d: flows(d, {}, ["colour"]), "unknown-parameter"),
    (lambda d: flows(d, {"year": "25"}), "bad-year"),
    (lambda d: priority_rows(d, {"country": "KE"}), "filter-not-offered"),
])
def test_what_cannot_be_answered_says_why(sample_document: dict[str, Any], call: Any, code: str) -> None:
    with pytest.raises(QueryError) as refused:
        call(sample_document)
    assert refused.value.code == code and refused.value.message

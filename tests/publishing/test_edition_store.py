"""Editions in an outputs folder: identity, listing, retention and pins, and catalogue.json's `changes`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from catalogue.publishing.edition_store import (
    KEEP_EDITIONS,
    UnknownEdition,
    changes_between,
    changes_since_published,
    content_digest,
    find_edition,
    list_editions,
    set_pinned,
)
from catalogue.publishing.releases import publish
from catalogue.render.json_document import check_catalogue_json
from tests.model.edition_docs import activity, cash, document, funding
from tests.model.editions.test_compare import NOW, PRIORITIES, THEN

NAMES = ("catalogue.json", "validation")


def _publish(outputs: Path, doc: dict[str, Any] | None, report: str = "report") -> None:
    writers: dict[str, Any] = {"validation": lambda p: (p.mkdir(), (p / "report.html").write_text(report))}
    if doc is not None:
        writers["catalogue.json"] = lambda p: p.write_text(json.dumps(doc), encoding="utf-8")
    publish(outputs, writers, NAMES)


def _edition(n: int, name: str = "edition") -> dict[str, Any]:
    return document([activity("A-1", "P-A", "PR-1", [cash(1, "USD", str(1000 + n))])], {"USD": "1"}, PRIORITIES, [],
                    edition=name, as_at=f"2025-0{1 + n % 9}-01")


def test_each_new_catalogue_is_an_edition_and_a_report_only_run_is_not(tmp_path: Path) -> None:
    _publish(tmp_path, THEN)
    _publish(tmp_path, None, report="validate only")  # carries the catalogue over: the same edition
    [only] = list_editions(tmp_path)
    assert len(only.releases) == 2
    _publish(tmp_path, NOW)
    found = list_editions(tmp_path)
    assert [e.name for e in found] == ["first edition", "second edition"]
    # Only the newest release of an edition is kept once it is not among the two newest releases.
    assert [len(e.releases) for e in found] == [1, 1] and found[0].releases[-1] == only.releases[-1]
    assert found[0].id == content_digest(THEN)[:12] and found[1].as_at == "2025-12-31"
    assert found[1].build_time == "2025-12-31T00:00:00Z" and len(found[1].inputs_fingerprint) == 64


def test_the_digest_ignores_build_time_and_changes() -> None:
    rebuilt = {**NOW, "provenance": {**NOW["provenance"], "build_time": "2030-01-01T00:00:00Z"}, "changes": {"code": "x"}}
    assert content_digest(rebuilt) == content_digest(NOW)
    assert content_digest(THEN) != content_digest(NOW)


def test_changes_since_published(tmp_path: Path) -> None:
    first = changes_since_published(tmp_path, THEN)
    assert first["code"] == "first-edition" and first["then"] is None
    _publish(tmp_path, {**THEN, "changes": first})
    second = changes_since_published(tmp_path, NOW)
    assert second["code"] == "compared" and second["then"]["id"] == content_digest(THEN)[:12]
    assert [i["id"] for i in second["items"]["activities"]] == ["A-1", "A-2"]
    _publish(tmp_path, {**NOW, "changes": second})
    # Rebuilding the same edition keeps its own `changes`, so the same inputs give the same bytes.
    assert changes_since_published(tmp_path, NOW) == second
    _, now, between = changes_between(tmp_path)
    assert now.id == content_digest(NOW)[:12] and between == second


def test_changes_object_matches_the_catalogue_schema(tmp_path: Path) -> None:
    _publish(tmp_path, THEN)
    changes = changes_since_published(tmp_path, NOW)
    # The test documents are not whole catalogues: only the errors inside `changes` count here
    # (tests/e2e/test_changes.py checks a whole published catalogue.json).
    problems = check_catalogue_json({**NOW, "changes": changes})
    assert [p for p in problems if p.startswith("changes")] == []
    broken = {**changes, "programme": {**changes["programme"], "change": "grew"}}
    assert [p for p in check_catalogue_json({**NOW, "changes": broken}) if p.startswith("changes")]


def test_retention_keeps_the_last_editions_the_pinned_and_each_name(tmp_path: Path) -> None:
    _publish(tmp_path, _edition(0, name="first edition"))
    set_pinned(tmp_path, list_editions(tmp_path)[0].id)
    _publish(tmp_path, _edition(1, name="first edition"))  # the latest of its name: kept for that
    for n in range(2, 10):
        _publish(tmp_path, _edition(n, name="second edition"))
    kept = list_editions(tmp_path)
    amounts = [json.loads(e.catalogue_path(tmp_path).read_text())["activities"][0]["required"] for e in kept]
    assert amounts == ["1000.00", "1001.00", *(f"{1000 + n}.00" for n in range(10 - KEEP_EDITIONS, 10))]
    assert [e.pinned for e in kept] == [True] + [False] * (len(kept) - 1)
    set_pinned(tmp_path, kept[0].id, pinned=False)
    _publish(tmp_path, _edition(10, name="second edition"))
    assert "1000.00" not in [json.loads(e.catalogue_path(tmp_path).read_text())["activities"][0]["required"]
                             for e in list_editions(tmp_path)]


def test_find_an_edition_by_id_prefix_name_or_date(tmp_path: Path) -> None:
    _publish(tmp_path, THEN)
    _publish(tmp_path, NOW)
    first, second = list_editions(tmp_path)
    assert find_edition([first, second], first.id[:6]) == first
    assert find_edition([first, second], "second edition") == second
    assert find_edition([first, second], "2999-01-01") == second  # the latest published by then
    assert find_edition([first, second], "1999-01-01") == first  # before any: the oldest kept
    with pytest.raises(UnknownEdition):
        find_edition([first, second], "no-such-edition")
    then, now, since_first = changes_between(tmp_path, since=first.id)
    assert then == first and now == second and since_first["then"]["id"] == first.id


def test_since_a_name_the_latest_edition_shares_means_the_one_before(tmp_path: Path) -> None:
    _publish(tmp_path, _edition(1, name="first edition"))
    _publish(tmp_path, _edition(2, name="first edition"))
    first, second = list_editions(tmp_path)
    assert find_edition([first, second], "first edition") == second  # pinning by name: the latest of that name
    then, now, _ = changes_between(tmp_path, since="first edition")
    assert (then, now) == (first, second)


def test_a_pledge_confirmed_between_two_published_editions(tmp_path: Path) -> None:
    pledged = document([activity("A-1", "P-B", "PR-3", [cash(1, "GBP", "100")], [funding(1, "Sea Trust", "pledged", "GBP", "40")])],
                       {"USD": "1", "GBP": "1.25"}, PRIORITIES, ["PR-3"])
    signed = document([activity("A-1", "P-B", "PR-3", [cash(1, "GBP", "100")], [funding(1, "Sea Trust", "confirmed", "GBP", "40")])],
                      {"USD": "1", "GBP": "1.25"}, PRIORITIES, [])
    _publish(tmp_path, pledged)
    changes = changes_since_published(tmp_path, signed)
    assert changes["pledges_confirmed"] == [{"item_kind": "activity", "item_id": "A-1", "line_kind": "funding", "line": 1,
                                             "source": "Sea Trust", "then": "50.00", "now": "50.00"}]
    assert changes["languishing"]["stopped"] == [{"id": "PR-3", "title": "Priority PR-3", "editions": 1, "complete": False}]

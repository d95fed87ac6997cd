"""Writing IATI XML (render/iati/iati_xml.py): text stays text, narratives per language, exact money."""

from __future__ import annotations

from decimal import Decimal as D
from xml.etree import ElementTree as ET

from catalogue.render.iati.iati_xml import XML_LANG, document_bytes, narratives, sub, text_of, value


def test_characters_xml_cannot_hold_are_left_out_and_the_rest_is_escaped() -> None:
    assert text_of("a\x00b\x1fc\td\ne") == "abc\td\ne"
    root = ET.Element("root")
    narratives(root, {"en": "<script>alert(1)</script> & \x0b"}, "en")
    data = document_bytes(root)
    assert b"<script>" not in data and b"&lt;script&gt;" in data
    assert ET.fromstring(data).findtext("narrative") == "<script>alert(1)</script> & "


def test_the_documents_language_comes_first_and_the_others_say_theirs() -> None:
    root = ET.Element("name")
    narratives(root, {"fr": "Secrétariat", "en": "Secretariat", "es": "Secretaría"}, "en")
    assert [(n.get(XML_LANG), n.text) for n in root] == [(None, "Secretariat"), ("es", "Secretaría"),
                                                          ("fr", "Secrétariat")]


def test_money_is_written_to_the_cent_with_its_value_date() -> None:
    root = ET.Element("budget")
    value(root, D("1234.5"), "2025-06-30")
    value(root, "0.10", "2025-06-30")
    assert [(v.text, v.get("value-date")) for v in root] == [("1234.50", "2025-06-30"), ("0.10", "2025-06-30")]
    sub(root, "period-start", {"iso-date": "2025-01-01"})
    assert document_bytes(root).startswith(b"<?xml version='1.0' encoding='utf-8'?>")

"""Writing IATI XML: elements, narratives per language, money values, and text that stays text.

Text from the inputs is written as character data (ElementTree escapes <, & and quotes), and any character
XML 1.0 cannot hold (control characters) is left out, so a stray byte in a sheet cannot make the file
unreadable.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import Decimal
from typing import Any
from xml.etree import ElementTree as ET

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def text_of(value: str) -> str:
    """`value` without the characters XML 1.0 cannot hold."""
    return _NOT_XML.sub("", value)


def sub(parent: ET.Element, tag: str, attributes: Mapping[str, str] | None = None) -> ET.Element:
    """A child element `tag` of `parent`, with its attributes in the given order."""
    return ET.SubElement(parent, tag, dict(attributes or {}))


def narratives(parent: ET.Element, texts: Mapping[str, str], default_language: str) -> None:
    """One `narrative` per language, the document's own language first and unmarked, the others with xml:lang."""
    ordered = sorted(texts.items(), key=lambda item: (item[0] != default_language, item[0]))
    for language, text in ordered:
        narrative = sub(parent, "narrative", {} if language == default_language else {XML_LANG: language})
        narrative.text = text_of(str(text))


def value(parent: ET.Element, amount: Any, value_date: str) -> ET.Element:
    """A money `value` in the activity's default currency, exact to the cent, valued on `value_date`."""
    element = sub(parent, "value", {"value-date": value_date})
    element.text = f"{Decimal(str(amount)):.2f}"
    return element


def document_bytes(root: ET.Element) -> bytes:
    """The document as indented UTF-8 XML with its declaration: the same catalogue gives the same bytes."""
    ET.indent(root, space="  ")
    data: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return data + b"\n"

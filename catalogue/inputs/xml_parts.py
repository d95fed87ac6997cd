"""The XML inside a workbook, read safely: no DTD, no entity expansion, and every fault as plain words.

An .xlsx is a zip of XML parts. Office never writes a document type
declaration, so any part that declares one (the way to define entities,
and to expand them a billion times) is refused outright; the few small
parts read here (the workbook and its relationships) are then parsed by the
standard library with nothing left to expand. Worksheets themselves are
read by calamine (workbooks.py), which expands no entities either.

The guard reads every part whole, streamed in bounded chunks, in whatever
encoding its XML declaration (or byte-order mark) names: a UTF-8 part, as
Office writes them all, is scanned for the declaration's bytes; any other
encoding is parsed by expat, which decodes it and reports a document type
wherever it stands (after a 70 KB comment, in UTF-16).
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
from dataclasses import dataclass
from typing import IO
from xml.etree import ElementTree
from xml.parsers import expat

from catalogue.inputs.workbook_extent import Extent, sheet_extent
from catalogue.issues import N_, said

_CHUNK = 1 << 20  # the guard's read size: memory stays bounded whatever a part's size
_DECLARATIONS = (b"<!DOCTYPE", b"<!ENTITY")
_OVERLAP = max(map(len, _DECLARATIONS)) - 1  # a declaration split across two chunks is still seen
_ENCODING = re.compile(rb"""^(?:\xef\xbb\xbf)?<\?xml[^>]{0,200}?encoding\s*=\s*["']([A-Za-z0-9._-]{1,40})["']""")
_UTF8 = {"utf-8", "utf8", "us-ascii", "ascii"}
_MAIN_RELS = "_rels/.rels"


class XmlPartError(Exception):
    """A workbook part that cannot be read: the whole message as an English msgid, and its parameters."""

    def __init__(self, template: str, **params: object) -> None:
        super().__init__(template % {k: said(v) for k, v in params.items()} if params else template)
        self.template = template
        self.params = {k: v if isinstance(v, dict) else str(v) for k, v in params.items()}  # figures stay figures


@dataclass(frozen=True)
class SheetPart:
    title: str
    hidden: bool
    xml: bytes
    extent: Extent


@dataclass(frozen=True)
class WorkbookParts:
    sheets: list[SheetPart]


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _attribute(element: ElementTree.Element, local_name: str) -> str | None:
    """An attribute by its local name, whatever namespace (transitional or strict OOXML) it is in."""
    for key, value in element.attrib.items():
        if _local(key) == local_name:
            return value
    return None


class _Declared(Exception):
    """expat met a document type or an entity declaration."""


def _is_utf8(head: bytes) -> bool:
    """Is a part UTF-8 (or its ASCII subset), by its byte-order mark and XML declaration? Without a
    declaration or a mark XML is UTF-8; a UTF-16 part starts with a mark or a NUL byte."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")) or head[:2].count(0):
        return False
    found = _ENCODING.match(head)
    return found is None or found.group(1).decode("ascii").lower() in _UTF8


def _scan_utf8(part: IO[bytes], head: bytes) -> bool:
    """Does a UTF-8 part hold a declaration anywhere? Streamed, with an overlap between chunks."""
    tail, chunk = b"", head
    while chunk:
        window = tail + chunk
        if any(d in window for d in _DECLARATIONS):
            return True
        tail, chunk = window[-_OVERLAP:], part.read(_CHUNK)
    return False


def _parse_declares(part: IO[bytes], head: bytes, name: str) -> bool:
    """Does a part in another encoding declare a document type? expat decodes it and says, streamed."""
    parser = expat.ParserCreate()

    def declared(*_args: object) -> None:
        raise _Declared

    parser.StartDoctypeDeclHandler = declared
    parser.EntityDeclHandler = declared
    chunk = head
    try:
        while chunk:
            parser.Parse(chunk, False)
            chunk = part.read(_CHUNK)
        parser.Parse(b"", True)
    except _Declared:
        return True
    except (expat.ExpatError, LookupError, ValueError) as err:  # an encoding expat and the codecs do not know
        line = getattr(err, "lineno", "?")
        raise XmlPartError(N_("The workbook is damaged: its part %(part)s is not well-formed XML (line %(line)s)."),
                           part=name, line=line) from None
    return False


def _refuse_if_declares(part: IO[bytes], name: str) -> None:
    head = part.read(_CHUNK)
    if _scan_utf8(part, head) if _is_utf8(head) else _parse_declares(part, head, name):
        raise XmlPartError(N_("The workbook is damaged: its part %(part)s declares a document type (a DTD), "
                              "which workbooks never do."), part=name)


def _refuse_dtds(archive: zipfile.ZipFile) -> None:
    for info in archive.infolist():
        if not info.filename.lower().endswith((".xml", ".rels")):
            continue  # a part parsed here under another name is checked where it is parsed (_parse)
        with archive.open(info) as part:
            _refuse_if_declares(part, info.filename)


def _parse(archive: zipfile.ZipFile, name: str) -> ElementTree.Element:
    try:
        data = archive.read(name)
    except KeyError:
        raise XmlPartError(N_("The workbook is damaged: it has no part %(part)s."), part=name) from None
    _refuse_if_declares(io.BytesIO(data), name)  # whatever its name: the relationships may point anywhere
    try:
        return ElementTree.fromstring(data)
    except ElementTree.ParseError as err:
        line = err.position[0] if err.position else "?"
        raise XmlPartError(N_("The workbook is damaged: its part %(part)s is not well-formed XML (line %(line)s)."),
                           part=name, line=line) from None


def _relationships(archive: zipfile.ZipFile, rels_name: str, base: str) -> dict[str, tuple[str, str]]:
    """Relationship id -> (type's last word, part name in the zip)."""
    found: dict[str, tuple[str, str]] = {}
    for element in _parse(archive, rels_name).iter():
        if _local(element.tag) != "Relationship":
            continue
        rel_id, target, kind = element.get("Id"), element.get("Target"), element.get("Type", "")
        if rel_id and target:
            part = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(base, target))
            found[rel_id] = (kind.rsplit("/", 1)[-1], part)
    return found


def _workbook_part(archive: zipfile.ZipFile) -> str:
    if _MAIN_RELS not in archive.namelist():
        return "xl/workbook.xml"
    for kind, part in _relationships(archive, _MAIN_RELS, "").values():
        if kind == "officeDocument":
            return part
    return "xl/workbook.xml"


def read_workbook_parts(archive: zipfile.ZipFile) -> WorkbookParts:
    """Each worksheet's title, visibility, XML and extent, in the workbook's order; raises XmlPartError."""
    _refuse_dtds(archive)
    workbook = _workbook_part(archive)
    folder = posixpath.dirname(workbook)
    rels = _relationships(archive, posixpath.join(folder, "_rels", posixpath.basename(workbook) + ".rels"), folder)
    sheets: list[SheetPart] = []
    for element in _parse(archive, workbook).iter():
        if _local(element.tag) != "sheet":
            continue
        title, rel_id = element.get("name"), _attribute(element, "id")
        kind, part = rels.get(rel_id or "", ("", ""))
        if title is None or kind != "worksheet":
            continue  # chart and dialog sheets hold no cells
        try:
            xml = archive.read(part)
        except KeyError:
            raise XmlPartError(N_("The workbook is damaged: the sheet '%(sheet)s' has no part %(part)s."),
                               sheet=title, part=part) from None
        hidden = element.get("state", "visible") != "visible"
        sheets.append(SheetPart(title, hidden, xml, sheet_extent(xml)))
    return WorkbookParts(sheets)

"""How far a worksheet's values reach, told from its XML's cell references without parsing it.

calamine allocates a sheet's whole rectangle, so this is what keeps a stray
value at XFD1048576 from costing gigabytes: the extent is known first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from openpyxl.utils import column_index_from_string

# A cell with a value: not self-closing (<c r="B9" s="1"/>, a styled empty cell as Excel writes it) and not empty
# (<c r="B9" s="1"></c>, as openpyxl writes one when lxml is installed).
_CELL_REF = re.compile(rb'<(?:\w+:)?c\s[^>]*?\br="([A-Z]{1,3})([0-9]{1,7})"[^>]*?(?<!/)>(?!</(?:\w+:)?c>)')
_ANY_CELL = re.compile(rb"<(?:\w+:)?c[\s/>]")
_REFERENCED_CELL = re.compile(rb'<(?:\w+:)?c\s[^>]*?\br="')


@dataclass(frozen=True)
class Extent:
    """How far a worksheet's values reach, from their cell references alone."""

    rows: int
    columns: int
    last_row_cell: str
    last_column_cell: str
    every_cell_referenced: bool


def _every_cell_referenced(xml: bytes) -> bool:
    """Whether every cell names its place; counted with bytes.count when cells are written as Excel writes them."""
    if b":c " not in xml and b"<c>" not in xml and b"<c/>" not in xml:
        plain = xml.count(b"<c ")
        if plain == xml.count(b'<c r="'):  # r first, as Excel, LibreOffice and openpyxl write it
            return True
    return len(_ANY_CELL.findall(xml)) == len(_REFERENCED_CELL.findall(xml))


def sheet_extent(xml: bytes) -> Extent:
    """The last row and column holding a value (styled empty cells do not count), read without parsing the sheet."""
    refs = _CELL_REF.findall(xml)
    every = _every_cell_referenced(xml)
    if not refs:
        return Extent(0, 0, "", "", every)
    by_row = max(refs, key=lambda ref: int(ref[1]))
    by_column = max(refs, key=lambda ref: (len(ref[0]), ref[0]))
    return Extent(int(by_row[1]), column_index_from_string(by_column[0].decode()),
                  (by_row[0] + by_row[1]).decode(), (by_column[0] + by_column[1]).decode(), every)

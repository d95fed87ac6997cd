"""Spreadsheet cells into the schema's types, the way a partner typed them.

A partner types `1 200,50`, `10,000`, `15/03/2025` or `confirmed ` with a
trailing space. Whatever is understood unambiguously is converted here;
anything else is left as it was typed, so that validation reports it with
the value the partner will recognise. Money becomes Decimal straight from
text: never via a binary float.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from catalogue.inputs.schemas import FieldSpec

_SPACES = re.compile(r"[\s\u00a0\u202f\u2009']+")  # spaces, no-break and thin spaces, Swiss apostrophes
_PLAIN_DECIMAL = re.compile(r"^-?[0-9]+(\.[0-9]+)?$")
_THOUSANDS_COMMA = re.compile(r"^-?[0-9]{1,3}(,[0-9]{3})+(\.[0-9]+)?$")  # 10,000 or 1,200.50
_THOUSANDS_DOT = re.compile(r"^-?[0-9]{1,3}(\.[0-9]{3})+,[0-9]+$")  # 1.200,50
_DECIMAL_COMMA = re.compile(r"^-?[0-9]+,[0-9]+$")  # 1200,50
_DAY_FIRST = re.compile(r"^([0-9]{1,2})[/.\-]([0-9]{1,2})[/.\-]([0-9]{4})$")
_ISO_DATE = re.compile(r"^([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})$")
_LIST_SEPARATORS = re.compile(r"[;\n]")
# Excel's day zero (it counts 1900 as a leap year, so serials from March 1900 on use 1899-12-30).
_EXCEL_EPOCH = date(1899, 12, 30)


def parse_decimal_text(text: str) -> Decimal | None:
    """Read a number as people type it in English, French or Swiss sheets; None when unsure."""
    compact = _SPACES.sub("", text.strip())
    if _PLAIN_DECIMAL.match(compact):
        return Decimal(compact)
    if _THOUSANDS_COMMA.match(compact):
        return Decimal(compact.replace(",", ""))
    if _THOUSANDS_DOT.match(compact):
        return Decimal(compact.replace(".", "").replace(",", "."))
    if _DECIMAL_COMMA.match(compact):
        return Decimal(compact.replace(",", "."))
    return None


def to_decimal(value: Any) -> Any:
    """A number as Decimal (from an int, a float's shortest repr, or typed text); else as given, text trimmed."""
    if isinstance(value, bool):
        return value
    if isinstance(value, Decimal):
        return value
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        # A spreadsheet stores a double; its shortest repr is what the user typed and saw.
        try:
            return Decimal(repr(value))
        except InvalidOperation:
            return value
    if isinstance(value, str):
        parsed = parse_decimal_text(value)
        return parsed if parsed is not None else value.strip()
    return value


def to_integer(value: Any) -> Any:
    """A whole number as int (`12`, `12.0`, `1 200`); anything else as given, for validation to report."""
    number = to_decimal(value)
    if isinstance(number, Decimal) and number.is_finite() and number == number.to_integral_value():
        return int(number)
    return value


def _date_or_none(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _date_text(text: str) -> str:
    """A typed date as ISO text when it is unambiguous (ISO, day-first, an Excel serial); else as typed."""
    if m := _ISO_DATE.match(text):
        d = _date_or_none(int(m[1]), int(m[2]), int(m[3]))
        return d.isoformat() if d else text
    if m := _DAY_FIRST.match(text):
        d = _date_or_none(int(m[3]), int(m[2]), int(m[1]))
        return d.isoformat() if d else text
    if text.isdigit() and 20_000 <= int(text) <= 80_000:
        return (_EXCEL_EPOCH + timedelta(days=int(text))).isoformat()
    # 2025-03-15 00:00:00 from a CSV export of a datetime cell
    if len(text) > 10 and _ISO_DATE.match(text[:10]) and text[10] in " T":
        return _date_text(text[:10])
    return text


def to_iso_date(value: Any) -> Any:
    """Dates as ISO text. Day-first for slashed dates (CMS works in day-first countries)."""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (int, float)) and not isinstance(value, bool) and 1 <= value < 2_958_466:
        # An Excel serial that reached us as a number (a date cell formatted as General).
        return (_EXCEL_EPOCH + timedelta(days=int(value))).isoformat()
    if isinstance(value, str):
        return _date_text(value.strip())
    return value


def to_enum(value: Any, allowed: tuple[str, ...]) -> Any:
    """Accept `Confirmed`, ` staff time ` for `confirmed`, `staff_time`; leave anything else for validation."""
    if not isinstance(value, str):
        return value
    text = value.strip()
    if text in allowed:
        return text
    folded = re.sub(r"[\s\-]+", "_", text.lower())
    for option in allowed:
        if folded == re.sub(r"[\s\-]+", "_", option.lower()):
            return option
    return text


def to_text(value: Any, pattern: str | None) -> Any:
    """A value as trimmed text (numbers and dates written out), upper-cased if only then it fits `pattern` (`usd`)."""
    if isinstance(value, bool):
        return value
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, (int, Decimal)):
        value = str(value)
    if isinstance(value, datetime):
        value = value.date().isoformat()
    if isinstance(value, date):
        value = value.isoformat()
    if not isinstance(value, str):
        return value
    text = value.strip()
    # Codes (currencies, countries, ids) typed in lower case: `usd`, `ke`, `p-wwf`.
    if pattern and not re.match(pattern, text) and re.match(pattern, text.upper()):
        return text.upper()
    return text


def coerce_scalar(value: Any, spec: FieldSpec) -> Any:
    """One value into the field's type; what is not understood stays as typed, for validation to report."""
    if spec.type == "decimal":
        return to_decimal(value)
    if spec.type == "integer":
        return to_integer(value)
    if spec.type == "date":
        return to_iso_date(value)
    if spec.type == "enum":
        return to_enum(to_text(value, None), spec.enum)
    return to_text(value, spec.pattern)


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")  # tab, line feed and carriage return are text


def without_control_characters(value: Any) -> tuple[Any, bool]:
    """The value with invisible control characters (NUL, bell, escape...) removed, and whether any were."""
    if isinstance(value, str) and _CONTROL.search(value):
        return _CONTROL.sub("", value), True
    return value, False


class UnsavedFormula(str):
    """A cell holding a formula but not its result: the workbook was written by a program that does not compute
    (or saved before computing), so its value is unknown. The text is the formula, for the message only."""


def is_blank(value: Any) -> bool:
    """True for an empty cell: None, or text of spaces only."""
    return value is None or (isinstance(value, str) and value.strip() == "")


def coerce_cell(value: Any, spec: FieldSpec) -> Any:
    """One cell into the field's type; a list field splits on `;` or new lines."""
    if spec.is_list:
        if isinstance(value, list):
            items = value
        elif isinstance(value, str):
            items = [part for part in _LIST_SEPARATORS.split(value) if part.strip()]
        else:
            items = [value]
        return [coerce_scalar(item, spec) for item in items if not is_blank(item)]
    return coerce_scalar(value, spec)

"""Data problems as data: located findings with stable codes, collected into one Report.

Modelled on lib-cove / frictionless: a data problem is the user's to fix and is
reported with its place and a hint; a program problem is ours and is a crash.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import asdict, dataclass, field
from decimal import Decimal, InvalidOperation
from enum import Enum
from typing import Any


def N_(message: str) -> str:
    """Mark an English message for translation without translating it here (gettext's no-op marker).

    Findings, the model's reasons and the renderers' labels are English msgids; a renderer translates them
    (templates/i18n/<lang>/LC_MESSAGES/catalogue.po). The tests extract every N_() call to check that French and
    Spanish have it.
    """
    return message


class Severity(str, Enum):  # noqa: UP042 (StrEnum would change str() and f-strings of a severity in reports)
    ERROR = "error"  # blocks publishing
    WARNING = "warning"  # published, and shown in the catalogue's data-quality annex


# Stable codes: tests, the HTML report and partners' own tooling may rely on them.
# code -> (severity, title)
CODES: dict[str, tuple[Severity, str]] = {
    "file-unreadable": (Severity.ERROR, "File cannot be read"),
    "file-empty": (Severity.ERROR, "File is empty"),
    "file-encoding": (Severity.ERROR, "Text file is not UTF-8"),
    "file-encoding-guessed": (Severity.WARNING, "Text file read as Windows-1252"),
    "file-type-unsupported": (Severity.ERROR, "File type not supported"),
    "file-missing": (Severity.ERROR, "Required file missing"),
    "file-password-protected": (Severity.ERROR, "Workbook is protected with a password"),
    "file-holds-macros": (Severity.WARNING, "Workbook named .xlsx holds macros (never run)"),
    "settings-logo-unusable": (Severity.WARNING, "Logo cannot be used"),
    "formula-no-result": (Severity.ERROR, "Formula without its saved result"),
    "folder-named-like-file": (Severity.WARNING, "Folder named like a file (not read)"),
    "workplans-empty": (Severity.WARNING, "No workplan in the workplans folder"),
    "partner-no-workplan": (Severity.WARNING, "Partner has no workplan"),
    "json-invalid": (Severity.ERROR, "JSON cannot be parsed"),
    "sheet-missing": (Severity.ERROR, "Sheet missing"),
    "sheet-too-large": (Severity.ERROR, "Sheet reaches too far (a stray value)"),
    "sheet-hidden": (Severity.WARNING, "Hidden sheet holds data"),
    "sheet-not-read": (Severity.WARNING, "Sheet holds data that is not read"),
    "column-missing": (Severity.ERROR, "Column missing"),
    "column-unknown": (Severity.WARNING, "Column not recognised (ignored)"),
    "column-duplicate": (Severity.ERROR, "Column appears twice"),
    "value-type": (Severity.ERROR, "Wrong type of value"),
    "value-not-a-number": (Severity.ERROR, "Not a number"),
    "value-not-a-date": (Severity.ERROR, "Not a date"),
    "value-negative": (Severity.ERROR, "Amount is negative"),
    "value-out-of-range": (Severity.ERROR, "Value out of range"),
    "value-not-allowed": (Severity.ERROR, "Value not in the list"),
    "value-format": (Severity.ERROR, "Value has the wrong format"),
    "value-too-long": (Severity.ERROR, "Text too long"),
    "value-duplicate-item": (Severity.ERROR, "Same item listed twice"),
    "required-missing": (Severity.ERROR, "Required value missing"),
    "schema-other": (Severity.ERROR, "Value does not fit the data contract"),
    "id-duplicate": (Severity.ERROR, "Id used twice"),
    "line-duplicate": (Severity.ERROR, "Line number used twice"),
    "ref-dangling": (Severity.ERROR, "Reference to something that does not exist"),
    "row-orphan": (Severity.ERROR, "Row belongs to no activity or task"),
    "currency-unknown": (Severity.ERROR, "No exchange rate for currency"),
    "fx-reporting-currency": (Severity.ERROR, "Reporting currency rate is not 1"),
    "fx-reporting-currency-missing": (Severity.ERROR, "Reporting currency has no exchange rate row"),
    "as-at-outside-period": (Severity.WARNING, "'As at' date outside the catalogue period"),
    "amount-ignored": (Severity.WARNING, "Amount typed on an in-kind line (not used)"),
    "amount-implausible": (Severity.WARNING, "Amount absurd for one line"),
    "text-control-characters": (Severity.WARNING, "Control characters removed from text"),
    "dates-reversed": (Severity.ERROR, "End date before start date"),
    "dates-outside-period": (Severity.WARNING, "Dates outside the catalogue period"),
    "year-clipped-to-period": (Severity.WARNING, "Years beyond the catalogue period counted in its first or last year"),
    "partner-file-mismatch": (Severity.WARNING, "Activity filed in another partner's workbook"),
    "over-committed": (Severity.WARNING, "Secured money exceeds the budget"),
    "double-counted": (Severity.WARNING, "The same money is claimed twice"),
    "priority-no-activity": (Severity.WARNING, "Priority has no activity or task"),
    "day-rate-implausible": (Severity.WARNING, "Day rate outside the plausible band"),
    "activity-repeated": (Severity.WARNING, "Same activity submitted twice"),
    "status-contradicts-dates": (Severity.WARNING, "Status contradicts the dates"),
    "match-offer-expired": (Severity.WARNING, "Match offer has expired (not counted)"),
    "line-year-outside-dates": (Severity.WARNING, "Line's year outside the work's dates"),
    "donor-unknown": (Severity.WARNING, "Donor not in the register"),
    "paid-above-committed": (Severity.WARNING, "More paid than committed"),
    # What a run was asked for does not exist (usage errors of packs and statements) or cannot be made.
    "unknown-partner": (Severity.ERROR, "No partner has this id"),
    "unknown-donor": (Severity.ERROR, "No donor profile has this id"),
    "donors-none": (Severity.ERROR, "No donor profiles to make packs for"),
    "donor-currency-unknown": (Severity.ERROR, "No exchange rate for the donor's currency"),
}


@dataclass(frozen=True, order=True, slots=True)  # slots: one per cell read, a million at CMS-Family scale
class Location:
    """Where a value came from: a file, and inside it a sheet and row and column, or a JSON path."""

    file: str
    sheet: str | None = None
    row: int | None = None  # 1-based, as the spreadsheet shows it
    column: str | None = None  # spreadsheet letter (D) for XLSX, header name for CSV
    header: str | None = None  # the column's header text as the user typed it
    path: str | None = None  # JSON pointer-ish path inside a JSON file, e.g. /3/budget_lines/0/amount

    def cell(self) -> str:
        """A compact technical reference, e.g. `Funding!D7`: for provenance, tools and tests. People read a place
        as spoken_place() says it ("sheet Funding, cell D7 (Amount)"), in their language."""
        if self.sheet and self.row is not None and self.column:
            return f"{self.sheet}!{self.column}{self.row}"
        if self.sheet and self.row is not None:
            return f"{self.sheet} row {self.row}"
        if self.row is not None and self.header:
            return f"row {self.row}, column '{self.header}'"
        if self.row is not None:
            return f"row {self.row}"
        if self.path:
            return self.path
        return self.sheet or ""

    def describe(self) -> str:
        """`file: cell()`, e.g. `workplans/P-BETA.xlsx: Funding!D7`, or the file alone: for logs and provenance."""
        where = self.cell()
        return f"{self.file}: {where}" if where else self.file

    def as_dict(self) -> dict[str, Any]:
        """The fields that are set, as a JSON-ready dict (None fields left out)."""
        return {k: v for k, v in asdict(self).items() if v is not None}


PLACE_CELL = N_("sheet %(sheet)s, cell %(cell)s")
PLACE_ROW = N_("sheet %(sheet)s, row %(row)s")
PLACE_SHEET = N_("sheet %(sheet)s")
PLACE_TABLE_ROW = N_("row %(row)s")
PLACE_COLUMN = N_("column %(column)s")


def _english(text: str) -> str:
    return text


def _inside(location: Mapping[str, Any], gettext: Callable[[str], str]) -> str:
    """The place inside the file: a cell, a row, a table row and its column, a JSON path or a sheet."""
    sheet, row, column, header = (location.get(k) for k in ("sheet", "row", "column", "header"))
    if sheet and row is not None and column:
        cell = gettext(PLACE_CELL) % {"sheet": sheet, "cell": f"{column}{row}"}
        return f"{cell} ({header})" if header else cell
    if sheet and row is not None:
        return gettext(PLACE_ROW) % {"sheet": sheet, "row": row}
    if row is not None:
        inside = gettext(PLACE_TABLE_ROW) % {"row": row}
        return inside + ", " + gettext(PLACE_COLUMN) % {"column": f"'{header}'"} if header else inside
    if location.get("path"):
        return str(location["path"])
    return gettext(PLACE_SHEET) % {"sheet": sheet} if sheet else ""


def figure(number: Any, currency: str | None = None) -> dict[str, str]:
    """A number (or an amount with its currency) as a finding's parameter: kept exact, written in the reader's
    locale when shown ("USD 1,100.00", "1 100,00 USD")."""
    return {"number": str(number), **({"currency": currency} if currency else {})}


def language_of_gettext(gettext: Callable[[str], str]) -> str:
    """The language a gettext function reads in (render/i18n.translations marks its catalogues); English else."""
    return str(getattr(getattr(gettext, "__self__", None), "language", "en"))


def _figure_text(value: Mapping[str, Any], gettext: Callable[[str], str]) -> str:
    from babel.numbers import format_decimal

    lang = language_of_gettext(gettext)
    try:
        number = Decimal(str(value["number"]))
    except (InvalidOperation, ValueError):
        return str(value["number"])
    decimals = max(0, -int(number.as_tuple().exponent)) if number.is_finite() else 0
    text = format_decimal(number, format="#,##0" + ("." + "0" * decimals if decimals else ""), locale=lang)
    currency = value.get("currency")
    if not currency:
        return text
    return f"{currency}\u00a0{text}" if lang == "en" else f"{text}\u00a0{currency}"


def said(value: Any, gettext: Callable[[str], str] = _english) -> str:
    """A parameter in the reader's language: a place (a Location's dict), a phrase (`{"template": ..., ...}`,
    its own msgid and parameters), a figure (`{"number": ..., "currency": ...}`, see figure()) or a list of
    them, joined with '; '; plain text as it is."""
    if isinstance(value, list | tuple):
        return "; ".join(said(item, gettext) for item in value)
    if isinstance(value, Mapping) and "number" in value:
        return _figure_text(value, gettext)
    if isinstance(value, Mapping) and "template" in value:
        return gettext(str(value["template"])) % {k: said(v, gettext) for k, v in value.items() if k != "template"}
    if isinstance(value, Mapping):
        return spoken_place(value, gettext)
    return str(value)


def spoken_place(location: Mapping[str, Any], gettext: Callable[[str], str] = _english, *,
                 with_file: bool = True) -> str:
    """A place as people say it: `workplans/P-BETA.xlsx, sheet Funding, cell F3 (Amount)`, in `gettext`'s language."""
    parts = [str(location.get("file", "")) if with_file else "", _inside(location, gettext)]
    return ", ".join(p for p in parts if p)


Params = tuple[tuple[str, Any], ...]  # text, a place, a phrase or a list of them: see said()


@dataclass(frozen=True)
class DataIssue:
    """One finding about the inputs, with where it is and what to do about it.

    A finding is data: its `template` and `hint_template` are English msgids with named parameters (`params`),
    and its text is made when it is shown, in the reader's language (render/words/issue_text.py). `message` and `hint`
    are that text in English, made once here for the log and catalogue.json. A parameter whose name ends in
    `label` is a field's title and is translated too; every other parameter is data, shown as found.
    """

    code: str
    location: Location
    message: str
    hint: str = ""
    value: str | None = None  # the offending value as text, cut to a readable length
    field: str | None = None  # the schema field path, e.g. funding_lines/2/amount
    record_id: str | None = None
    related: tuple[Location, ...] = ()  # other places involved (e.g. the first use of a duplicate id)
    template: str = ""  # the message's English msgid ("" : `message` is its own template)
    hint_template: str = ""
    params: Params = ()

    @property
    def severity(self) -> Severity:
        """Error or warning, as the code's entry in CODES says."""
        return CODES[self.code][0]

    @property
    def title(self) -> str:
        """The code's short English title, from CODES."""
        return CODES[self.code][1]

    def to_dict(self) -> dict[str, Any]:
        """The finding as JSON-ready data (catalogue.json, the HTML report): place, English text, templates, params."""
        location = self.location.as_dict()
        out: dict[str, Any] = {
            "code": self.code,
            "severity": self.severity.value,
            "title": self.title,
            "message": self.message,
            "hint": self.hint,
            "location": location,
            "where": self.location.describe(),
        }
        if self.value is not None:
            out["value"] = self.value
        if self.field:
            out["field"] = self.field
        if self.record_id:
            out["record_id"] = self.record_id
        if self.related:
            out["related"] = [loc.describe() for loc in self.related]
        out["template"] = self.template or self.message
        out["hint_template"] = self.hint_template or self.hint
        out["params"] = dict(self.params)
        return out


def issue(code: str, location: Location, message: str, hint: str = "", *, params: dict[str, Any] | None = None,
          **extra: Any) -> DataIssue:
    """Build a DataIssue, refusing unknown codes so that every code stays in the registry.

    `message` and `hint` are English msgids (mark them N_ where written); with `params` they are templates
    (`%(name)s`) filled here in English and again, translated, wherever the finding is shown.
    """
    if code not in CODES:
        raise KeyError(f"unregistered issue code {code!r}")
    if not params:
        return DataIssue(code=code, location=location, message=message, hint=hint, template=message,
                         hint_template=hint, **extra)
    stored = {name: _stored(value) for name, value in params.items()}
    values = {name: said(value) for name, value in stored.items()}
    return DataIssue(code=code, location=location, message=message % values, hint=hint % values if hint else "",
                     template=message, hint_template=hint, params=tuple(sorted(stored.items())), **extra)


def _stored(value: Any) -> Any:
    """A parameter as a finding keeps it (JSON-ready): text, a place's dict, a figure's or a phrase's dict (whose
    own parameters may be figures), or a list of them."""
    if isinstance(value, Location):
        return value.as_dict()
    if isinstance(value, list | tuple):
        return [_stored(item) for item in value]
    if isinstance(value, Mapping):
        return {k: _stored(v) if isinstance(v, Mapping) else str(v) for k, v in value.items()}
    return str(value)


def shorten(value: Any, limit: int = 80) -> str:
    """`value` as text, cut to `limit` characters (the last an ellipsis) when longer."""
    text = str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


@dataclass
class Report:
    """Every finding of one run. The CLI, the HTML report and the catalogue's Issues all read it."""

    issues: list[DataIssue] = field(default_factory=list)

    def extend(self, found: Iterable[DataIssue]) -> None:
        """Add these findings to the report."""
        self.issues.extend(found)

    @property
    def errors(self) -> list[DataIssue]:
        """The findings that block publishing."""
        return [i for i in self.issues if i.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[DataIssue]:
        """The findings that are published, and shown in the catalogue's data-quality annex."""
        return [i for i in self.issues if i.severity is Severity.WARNING]

    @property
    def valid(self) -> bool:
        """True when no finding is an error: the inputs may be published."""
        return not self.errors

    def sorted(self) -> list[DataIssue]:
        """Errors first, then by file, sheet, row, column: the order a person fixes them in."""

        def key(i: DataIssue) -> tuple[Any, ...]:
            loc = i.location
            return (
                0 if i.severity is Severity.ERROR else 1,
                loc.file,
                loc.sheet or "",
                loc.row if loc.row is not None else -1,
                loc.column or "",
                loc.path or "",
                i.code,
                i.message,
            )

        return sorted(self.issues, key=key)

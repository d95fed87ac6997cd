"""The end of any run (build, validate, packs, statements) as the CLI, the flows and the web read it.

`published_result` reads the release's catalogue.json: an up-to-date run reports what is published
without redoing anything.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from catalogue.issues import N_, DataIssue, Location, Report, issue
from catalogue.model.catalogue import Catalogue
from catalogue.publishing import layout


@dataclass(frozen=True)
class Totals:
    """The programme's headline figures as exact decimal strings in the reporting currency."""

    currency: str
    required: str
    secured: str
    pledged: str
    gap: str
    coverage: str  # "" when nothing is required


@dataclass(frozen=True)
class RunResult:
    """The end of any run (build, validate, packs, statements), as the CLI, the flows and the web read it.

    `ok` is the one pass rule: no error in the report, and the outputs could be written.
    """

    report: Report
    outputs: tuple[str, ...] = ()
    validation_dir: str = ""
    problem: str = ""  # the outputs could not be written (disk full, read-only folder)
    up_to_date: bool = False  # nothing changed since the published run, so nothing was redone
    usage_error: bool = False  # the run was asked for something that does not exist (exit 2)
    totals: Totals | None = None
    warnings_published: int | None = None  # an up-to-date run counts the published warnings
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        """The run passed: no error in the report, the outputs were written and the request made sense."""
        return self.report.valid and not self.problem and not self.usage_error

    @property
    def errors(self) -> int:
        """How many errors the report holds."""
        return len(self.report.errors)

    @property
    def warnings(self) -> int:
        """How many warnings: the published count for an up-to-date run, else the report's."""
        return self.warnings_published if self.warnings_published is not None else len(self.report.warnings)


def totals_of(catalogue: Catalogue) -> Totals:
    """The headline (open work) figures of a built catalogue, its exact Decimals written as strings."""
    f = catalogue.totals.figures
    return Totals(catalogue.reporting_currency, str(f.required), str(f.secured), str(f.pledged), str(f.gap),
                  "" if f.coverage is None else str(f.coverage))


def result_of(report: Report, outputs: Path, published: list[Path] | tuple[Path, ...] = (),
              catalogue: Catalogue | None = None, problem: str = "") -> RunResult:
    """A run that went through the gate: what it found, what it published, the totals if there is a model."""
    return RunResult(report=report, outputs=tuple(str(p) for p in published),
                     validation_dir=str(outputs / layout.VALIDATION_DIR), problem=problem,
                     totals=None if catalogue is None else totals_of(catalogue))


def refused(outputs: Path, found: DataIssue, *, usage: bool, report: Report | None = None) -> RunResult:
    """A run that cannot do what was asked (an unknown donor or partner, no donor profiles): nothing published."""
    combined = Report([found, *(report.issues if report else [])])
    return RunResult(report=combined, validation_dir=str(outputs / layout.VALIDATION_DIR), usage_error=usage)


def unknown_id(option: str, wanted: str, known: list[str], where: str) -> DataIssue:
    """`--partner X` or `--donor X` named nothing that exists: say what does."""
    code = "unknown-partner" if option == "--partner" else "unknown-donor"
    return issue(code, Location(file=where), N_("%(option)s %(wanted)s: no such id in %(where)s."),
                 N_("Choose one of: %(known)s."),
                 params={"option": option, "wanted": wanted, "where": where, "known": ", ".join(known) or "—"})


def published_result(outputs: Path) -> RunResult:
    """What is published already matches the inputs and the code: report it without redoing anything."""
    published = json.loads((outputs / layout.CATALOGUE_JSON).read_text(encoding="utf-8"))
    t = published["totals"]
    return RunResult(
        report=Report(), up_to_date=True, warnings_published=len(published["warnings"]),
        outputs=tuple(str(outputs / name) for name in (layout.CATALOGUE_JSON, layout.CATALOGUE_XLSX, layout.CATALOGUE_PDF)),
        validation_dir=str(outputs / layout.VALIDATION_DIR),
        totals=Totals(published["reporting_currency"], t["required"], t["secured"], t["pledged"], t["gap"],
                      t["coverage"] or ""),
    )

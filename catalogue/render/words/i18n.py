"""The reader's language: message catalogues, the one locale rule, and the one Formatter every renderer uses.

Fixed labels are English msgids; French and Spanish live in
templates/i18n/<lang>/LC_MESSAGES/catalogue.po, compiled in memory by babel (no
.mo file on disk). The model stores codes (statuses, vocabularies, `Reason`s);
the Formatter turns them into the reader's words and formats figures in the
locale, for the PDF templates (as `fmt`) and the workbooks alike.
"""

from __future__ import annotations

import datetime
import gettext as gettext_module
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from io import BytesIO
from pathlib import Path
from typing import Any

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_percent
from babel.support import Translations

from catalogue.config import LANGUAGES, TEMPLATES_DIR
from catalogue.inputs.settings import DEFAULT_ORGANISATION
from catalogue.model.double_counting import FUNDING_LINE_AT, place_parts
from catalogue.model.reasons import RATIO_PARAMS, REASON_MESSAGES, Reason
from catalogue.money import whole_units
from catalogue.render.words import formatting, issue_text
from catalogue.render.words.vocabulary import (
    ADDRESSEE_TEXT,
    DONOR_KIND_TEXT,
    EARMARKING_TEXT,
    FIXED_MATCH_REASONS,
    IMPLEMENTATION_TEXT,
    INSTRUMENT_TEXT,
    KIND_TEXT,
    LINE_KIND_TEXT,
    LINE_STATUS_TEXT,
    MATCH_REASON_PAIR,
    MATCH_REASON_SEPARATOR,
    MATCH_REASON_TEXT,
    METHODOLOGY_TERMS,
    OFFER_STANDING_TEXT,
    RANK_TEXT,
    REGION_TEXT,
    SOURCE_TYPE_TEXT,
    STAGE_TEXT,
    STRATEGIC_PLAN,
    TARGET_NAMED,
    TARGET_TEXT,
    TAXON_TEXT,
    TIMING_TEXT,
)

I18N_DIR = TEMPLATES_DIR / "i18n"
I18N_DOMAIN = "catalogue"
Gettext = Callable[[str], str]


def po_path(lang: str) -> Path:
    """Where the message catalogue for `lang` lives."""
    return I18N_DIR / lang / "LC_MESSAGES" / f"{I18N_DOMAIN}.po"


@cache
def translations(lang: str) -> gettext_module.NullTranslations:
    """The fixed labels in `lang`, compiled in memory from its .po file (no build step, no .mo on disk).

    English is the msgid language and needs no file. Fuzzy entries are left out,
    so an unreviewed translation shows the English label rather than a guess.
    """
    if lang not in LANGUAGES:
        raise ValueError(f"No catalogue language {lang!r}: choose one of {', '.join(LANGUAGES)}")
    path = po_path(lang)
    if lang == "en" and not path.exists():
        return gettext_module.NullTranslations()
    with path.open("rb") as po_file:
        catalog = read_po(po_file, locale=lang, domain=I18N_DOMAIN)
    compiled = BytesIO()
    write_mo(compiled, catalog, use_fuzzy=False)
    compiled.seek(0)
    loaded = Translations(compiled, domain=I18N_DOMAIN)
    loaded.language = lang  # type: ignore[attr-defined]  # read by catalogue.issues.language_of_gettext: figures in the locale
    return loaded


def language_of(locale: str) -> str:
    """The language part of a locale: "en_GB" -> "en", "pt-BR" -> "pt"."""
    return locale.split("_")[0].split("-")[0].lower()


def locale_for(catalogue_locale: str, lang: str) -> str:
    """The one locale rule: the catalogue's own locale (e.g. en_GB) when it is in `lang`, otherwise `lang` itself."""
    return catalogue_locale if language_of(catalogue_locale) == lang else lang


def default_language(locale: str) -> str:
    """The language for a catalogue locale: its own when we have labels in it, else English."""
    lang = language_of(locale)
    return lang if lang in LANGUAGES else "en"


@dataclass(frozen=True)
class Formatter:
    """Figures and codes in one language and locale, for the PDF templates (as `fmt`) and the workbooks."""

    locale: str
    currency: str
    gettext: Gettext = gettext_module.NullTranslations().gettext

    @classmethod
    def for_language(cls, catalogue_locale: str, currency: str, lang: str) -> Formatter:
        """The formatter of a document in `lang` for a catalogue in `catalogue_locale` (the one locale rule)."""
        return cls(locale_for(catalogue_locale, lang), currency, translations(lang).gettext)

    @classmethod
    def for_document(cls, document: Any, lang: str) -> Formatter:
        """The formatter of a pack or a statement (anything with the catalogue's `locale` and
        `reporting_currency`) in `lang`: its PDF and its workbook word and format it alike."""
        return cls.for_language(str(document.locale), str(document.reporting_currency), lang)

    # ------------------------------------------------------------------ figures

    def money(self, amount: Decimal) -> str:
        """`amount` as money in whole units of the reporting currency, with its code, in the reader's locale."""
        return formatting.money(amount, self.currency, self.locale)

    def money_cents(self, amount: Decimal) -> str:
        """`amount` as money to the cent, with its currency code, in the reader's locale."""
        # Only the headline totals block shows cents (see formatting's module docstring).
        return formatting.money(amount, self.currency, self.locale, cents=True)

    def donor_money(self, amount: Decimal | None, currency: str) -> str:
        """A donor's amount in whole units of the donor's own `currency`, or "—" when there is none."""
        return formatting.NO_VALUE if amount is None else formatting.money(amount, currency, self.locale)

    def amount(self, value: Decimal) -> str:
        """`value` in whole units without a currency code, for cells whose header names the currency."""
        return formatting.amount(value, self.locale)

    def cents(self, value: Decimal) -> str:
        """`value` to the cent without a currency code, for cells whose header names the currency."""
        return formatting.amount(value, self.locale, cents=True)

    def original(self, value: Decimal) -> str:
        """An amount as entered, in its own currency: to the cent, or with every further decimal it was given."""
        exponent = value.as_tuple().exponent
        if isinstance(exponent, int) and -exponent <= 2:
            return formatting.amount(value, self.locale, cents=True)
        return formatting.number(value, self.locale)

    def percent(self, coverage: Decimal | None) -> str:
        """Coverage as a percentage to 0.01 % in the locale's style, or "—" when nothing is required."""
        return formatting.percent(coverage, self.locale)

    def bar_width(self, coverage: Decimal | None) -> str:
        """A CSS width for the coverage bar ("42.48%"), held between 0% and 100%."""
        return formatting.bar_width(coverage)

    def date(self, d: datetime.date | None) -> str:
        """`d` as the locale writes it in full ("June 30, 2025"), or "—"."""
        return formatting.date_text(d, self.locale)

    def period(self, start: datetime.date, end: datetime.date) -> str:
        """A compact period for table cells, in the locale: "Jan 2024 – Dec 2025"."""
        return formatting.period_text(start, end, self.locale)

    def number(self, value: Decimal | int) -> str:
        """A plain number with the locale's grouping, keeping every decimal given."""
        return formatting.number(value, self.locale)

    def multiple(self, value: Decimal | None) -> str:
        """A leverage ratio with a multiplication sign ("2.50×"), or "—"."""
        return formatting.multiple(value, self.locale)

    def words(self, code: str | None) -> str:
        """A snake_case code as words ("concerted action"), untranslated; "—" when absent."""
        return formatting.words(code)

    def organisation(self, names: Mapping[str, str]) -> str:
        """Who publishes, in this document's language: the settings' name for it, else the English one read
        through the catalogue (the default, "CMS Secretariat", has its translations)."""
        lang = language_of(self.locale)
        return names.get(lang) or self.gettext(names.get("en") or DEFAULT_ORGANISATION)

    def title(self, titles: Mapping[str, str], default: str) -> str:
        """The catalogue's title in this document's language where the settings give one, else as the catalogue has it."""
        return titles.get(language_of(self.locale)) or default

    def listing(self, items: Any) -> str:
        """Values on one comma-separated line (empty ones left out), or "—" when there are none."""
        return formatting.listing(items)

    def taxa(self, items: Sequence[str]) -> str:
        """Taxon groups in the reader's words ("oiseaux, poissons")."""
        return formatting.listing([self.vocabulary(code, TAXON_TEXT) for code in items])

    def regions(self, items: Sequence[str]) -> str:
        """CMS regions in the reader's words, on one line."""
        return formatting.listing([self.vocabulary(code, REGION_TEXT) for code in items])

    def region(self, code: str | None) -> str:
        """A CMS region in the reader's words."""
        return self.vocabulary(code, REGION_TEXT)

    def taxon(self, code: str | None) -> str:
        """A taxon group in the reader's words."""
        return self.vocabulary(code, TAXON_TEXT)

    def addressees(self, items: Sequence[str]) -> str:
        """Whom a priority addresses (Parties, Secretariat...), in the reader's words, on one line."""
        return formatting.listing([self.vocabulary(code, ADDRESSEE_TEXT) for code in items])

    def targets(self, numbers: Sequence[Any]) -> str:
        """Targets with their short names, for a priority's facts: "7 (threats reduced...), 8 (...)"."""
        named = [f"{n} ({self.gettext(TARGET_TEXT[int(n)])})" if str(n).isdigit() and int(n) in TARGET_TEXT else str(n)
                 for n in numbers]
        return formatting.listing(named)

    strategic_plan = STRATEGIC_PLAN

    def target(self, number: Any) -> str:
        """A Strategic Plan target with its short name: "Target 7: threats reduced: ..." in the reader's words."""
        name = TARGET_TEXT.get(int(number)) if str(number).isdigit() else None
        if name is None:
            return self.gettext("Target %(target)s") % {"target": number}
        return self.gettext(TARGET_NAMED) % {"target": number, "name": self.gettext(name)}

    # ------------------------------------------------------------------ codes as words

    def status(self, status: str) -> str:
        """A funding status code ("partly_funded") in the reader's words."""
        return self.gettext(formatting.status_text(status))

    def kind(self, code: str | None) -> str:
        """A priority's kind (resolution, decision, concerted action...) in the reader's words."""
        return self.vocabulary(code, KIND_TEXT)

    def rank(self, code: str | None) -> str:
        """A priority's rank (core, high, medium, low) in the reader's words."""
        return self.vocabulary(code, RANK_TEXT)

    def source_type(self, code: str | None) -> str:
        """A funding source's type (core budget, voluntary contribution...) in the reader's words."""
        return self.vocabulary(code, SOURCE_TYPE_TEXT)

    def implementation(self, code: str | None) -> str:
        """An activity's implementation status (planned, ongoing...)."""
        return self.vocabulary(code, IMPLEMENTATION_TEXT)

    def donor_kind(self, code: str | None) -> str:
        """A donor's kind in the register (government, foundation...) in the reader's words."""
        return self.vocabulary(code, DONOR_KIND_TEXT)

    def stage(self, code: str | None) -> str:
        """How far money has come (requested, pledged, committed, paid), in the reader's words."""
        return self.vocabulary(code, STAGE_TEXT)

    def instrument(self, code: str | None) -> str:
        """A contribution's instrument (grant, loan, in kind...) in the reader's words."""
        return self.vocabulary(code, INSTRUMENT_TEXT)

    def earmarking(self, code: str | None) -> str:
        """How tightly a contribution is earmarked, in the reader's words."""
        return self.vocabulary(code, EARMARKING_TEXT)

    def timing(self, code: str | None) -> str:
        """Open, delivered or suspended work (model/timing.py)."""
        return self.vocabulary(code, TIMING_TEXT)

    def offer_standing(self, code: str | None) -> str:
        """Whether a match offer counts now, and why not (model/leverage.py)."""
        return self.vocabulary(code, OFFER_STANDING_TEXT)

    def whole(self, values: Sequence[Decimal], total: Decimal) -> list[str]:
        """Rows of a table in whole units that add up to the total shown in whole units (money.whole_units)."""
        return [formatting.amount(v, self.locale) for v in whole_units(values, total)]

    def exact(self, values: Sequence[Decimal]) -> list[str]:
        """Rows of a table to the cent (annexes): they add up to the total as they stand."""
        return [formatting.amount(v, self.locale, cents=True) for v in values]

    def line_kind(self, code: str | None) -> str:
        """A co-funding line's kind (cash, staff time, meetings)."""
        return self.vocabulary(code, LINE_KIND_TEXT)

    def line_status(self, code: str | None) -> str:
        """A co-funding line's status (confirmed, pledged)."""
        return self.vocabulary(code, LINE_STATUS_TEXT)

    def term(self, key: str) -> str:
        """A methodology key as its heading ("in_kind" -> "In kind"), translated."""
        if key in METHODOLOGY_TERMS:
            return self.gettext(METHODOLOGY_TERMS[key])
        return formatting.words(key).capitalize()

    @property
    def english(self) -> bool:
        """Whether this document is in English (its locale's language is "en")."""
        return self.locale.split("_")[0].split("-")[0] == "en"

    def finding(self, finding: dict[str, Any]) -> str:
        """A data-quality finding (catalogue.warnings) in the reader's language: see issue_text.py."""
        return issue_text.finding_text(finding, self.gettext)

    def finding_hint(self, finding: dict[str, Any]) -> str:
        """What to do about a data-quality finding, in the reader's language ("" when it has no hint)."""
        return issue_text.finding_hint(finding, self.gettext)

    def finding_place(self, finding: dict[str, Any]) -> str:
        """Where a data-quality finding is, as people say it, in the reader's language."""
        return issue_text.finding_place(finding, self.gettext)

    def line_place(self, place: str) -> str:
        """A place of the double-counting annex (`ALPHA-001 funding line 2`) in the reader's language."""
        return self.gettext(FUNDING_LINE_AT) % place_parts(place)

    def reason(self, reason: Reason) -> str:
        """A finding of the model (languishing, double counting, exclusion) in the reader's language.

        Ratio parameters are shown as the locale writes percentages ("17,7 %" in French).
        """
        shown = {name: self._param(name, value) for name, value in reason.params}
        message = REASON_MESSAGES.get(reason.code)
        if message is None:
            return reason.code  # a code newer than this renderer: shown as it is, never dropped
        return self.gettext(message) % shown

    def reasons(self, reasons: tuple[Reason, ...]) -> str:
        """Several findings of the model on one line, in the reader's language."""
        return self.gettext(MATCH_REASON_SEPARATOR).join(self.reason(r) for r in reasons)

    def match_reason(self, kind: str, values: tuple[str, ...]) -> str:
        """One reason a donor pack chose an item: "taxon: birds", "fits ticket size"."""
        fixed = FIXED_MATCH_REASONS.get((kind, values))
        if fixed is not None:
            return self.gettext(fixed)
        return self.gettext(MATCH_REASON_PAIR) % {"kind": self.reason_label(kind), "values": ", ".join(values)}

    def match_reasons(self, reasons: Any) -> str:
        """Several match reasons (views.donor_pack.MatchReason) on one line."""
        return self.gettext(MATCH_REASON_SEPARATOR).join(self.match_reason(r.kind, r.values) for r in reasons)

    def reason_label(self, kind: str) -> str:
        """A kind of match reason (taxon, region...) as its label in the reader's words."""
        return self.gettext(MATCH_REASON_TEXT.get(kind, kind))

    def _param(self, name: str, value: str) -> str:
        if name in RATIO_PARAMS:
            pattern = formatting.percent_pattern(self.locale, RATIO_PARAMS[name])
            return format_percent(Decimal(value), format=pattern, locale=self.locale)
        return value

    def vocabulary(self, code: str | None, vocabulary: dict[str, str]) -> str:
        """A code of a closed vocabulary as its translated word; "—" when absent, unknown codes as words."""
        text = formatting.code_text(code, vocabulary)
        return self.gettext(text) if code in vocabulary else text

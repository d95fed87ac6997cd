"""catalogue.pdf: the catalogue model as HTML (Jinja2) laid out for print by CSS (WeasyPrint).

The renderer formats and places what the model holds; it never computes a
figure. All print layout (pages, running headers, page numbers, contents,
bookmarks) lives in templates/catalogue.css.

Partner-supplied text is data: Jinja2 escapes it, and WeasyPrint can only
fetch files from the template folder (SafeFetcher), so a title such as
`<img src="http://...">` is printed as text and never requested.
"""

from __future__ import annotations

import mimetypes
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from urllib.request import url2pathname

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from weasyprint import HTML, URLFetcher
from weasyprint.urls import URLFetcherResponse

from . import formatting
from .model import Activity, Catalogue
from .settings import TEMPLATES_DIR

TEMPLATE_NAME = "catalogue.html.j2"
AUTHOR = "CMS Secretariat"


class SafeFetcher(URLFetcher):
    """A WeasyPrint URL fetcher that serves only files inside the template folder.

    Everything else (http, https, data, ftp, file paths outside the folder,
    symlinks leading out of it) is refused with ValueError, which WeasyPrint
    logs and skips: the document still renders, without the resource.
    """

    def __init__(self, root: Path = TEMPLATES_DIR, **kwargs: Any) -> None:
        # No network handlers are ever used: fetch() below never calls the parent's fetch.
        super().__init__(allowed_protocols=("file",), **kwargs)
        self._root = Path(root).resolve()

    def fetch(self, url: str, headers: dict[str, str] | None = None) -> URLFetcherResponse:
        parts = urlsplit(url)
        if parts.scheme.lower() != "file" or parts.netloc not in ("", "localhost"):
            raise ValueError(f"Refused to fetch {url!r}: only files in the template folder are served")
        path = Path(url2pathname(parts.path)).resolve()
        if not path.is_relative_to(self._root) or not path.is_file():
            raise ValueError(f"Refused to fetch {url!r}: not a file in the template folder")
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(path.as_uri(), body=path.read_bytes(), headers={"Content-Type": content_type})


@dataclass(frozen=True)
class Formatter:
    """The formatting helpers bound to one locale and currency, for use in the template as `fmt`."""

    locale: str
    currency: str

    def money(self, amount: Decimal) -> str:
        return formatting.money(amount, self.currency, self.locale)

    def money_cents(self, amount: Decimal) -> str:
        # Only the headline totals block shows cents (see formatting's module docstring).
        return formatting.money(amount, self.currency, self.locale, cents=True)

    def amount(self, value: Decimal) -> str:
        return formatting.amount(value, self.locale)

    def percent(self, coverage: Decimal | None) -> str:
        return formatting.percent(coverage, self.locale)

    def bar_width(self, coverage: Decimal | None) -> str:
        return formatting.bar_width(coverage)

    def date(self, d: Any) -> str:
        return formatting.date_text(d, self.locale)

    def period(self, start: Any, end: Any) -> str:
        return formatting.period_text(start, end, self.locale)

    def number(self, value: Decimal | int) -> str:
        return formatting.number(value, self.locale)

    def status(self, status: str) -> str:
        return formatting.status_text(status)

    def words(self, code: str | None) -> str:
        return formatting.words(code)

    def listing(self, items: Any) -> str:
        return formatting.listing(items)


def _environment() -> Environment:
    return Environment(
        loader=FileSystemLoader(str(TEMPLATES_DIR)),
        autoescape=select_autoescape(["html", "j2"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def _locale_for(catalogue: Catalogue, lang: str) -> str:
    """The catalogue's own locale (e.g. en_GB) when it is in `lang`, otherwise `lang` itself."""
    return catalogue.locale if catalogue.locale.split("_")[0].split("-")[0] == lang else lang


def render_html(catalogue: Catalogue, lang: str = "en") -> str:
    """The catalogue as one HTML document, ready for WeasyPrint (links the CSS in the template folder)."""
    activities_by_id: dict[str, Activity] = {a.id: a for a in catalogue.activities}
    return _environment().get_template(TEMPLATE_NAME).render(
        c=catalogue,
        lang=lang,
        author=AUTHOR,
        fmt=Formatter(_locale_for(catalogue, lang), catalogue.reporting_currency),
        activities_by_id=activities_by_id,
        # Anchors are positional so that any characters in a partner's id stay harmless in href/id.
        priority_anchor={p.id: f"priority-{i}" for i, p in enumerate(catalogue.priorities, start=1)},
        partner_anchor={p.id: f"partner-{i}" for i, p in enumerate(catalogue.partners, start=1)},
    )


def write_pdf_from_html(html: str, path: Path) -> None:
    """Lay out `html` with the safe fetcher and write a tagged PDF to `path`."""
    document = HTML(string=html, base_url=str(TEMPLATES_DIR) + "/", url_fetcher=SafeFetcher())
    document.write_pdf(path, pdf_tags=True)


def render_pdf(catalogue: Catalogue, path: Path, lang: str = "en") -> None:
    """Write the catalogue as a tagged, bookmarked PDF to `path`."""
    write_pdf_from_html(render_html(catalogue, lang), Path(path))

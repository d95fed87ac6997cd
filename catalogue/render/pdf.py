"""The PDF plumbing every document shares: one Jinja2 environment per language, a safe URL fetcher, WeasyPrint.

Partner-supplied text is data: Jinja2 escapes it (autoescape on), and
WeasyPrint can only fetch files from the template folder (SafeFetcher), so a
title such as `<img src="http://...">` is printed as text and never requested.
The catalogue, the donor packs and the partner statements all render through
`render_document`, from templates that extend templates/base.html.j2.
"""

from __future__ import annotations

import mimetypes
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from urllib.request import url2pathname

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup
from weasyprint import HTML, URLFetcher
from weasyprint.urls import URLFetcherResponse

from catalogue.config import TEMPLATES_DIR
from catalogue.render.i18n import Formatter, translations

AUTHOR = "CMS Secretariat"


class SafeFetcher(URLFetcher):  # type: ignore[misc]  # WeasyPrint has no type hints
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


def css_string(value: Any) -> Markup:
    """Text as a quoted CSS string, safe inside a <style> element (labels for page margins and running heads).

    Markup from the template (a translated label with escaped values) is unescaped first,
    because <style> is raw text where HTML entities are not decoded.
    """
    text = value.unescape() if isinstance(value, Markup) else str(value)
    escaped = "".join(ch if ch.isalnum() or ch in " .,:;()–—-" else f"\\{ord(ch):x} " for ch in text)
    return Markup(f'"{escaped}"')


def css_page_counter(label: Any) -> Markup:
    """A translated "page %(page)s of %(pages)s" as CSS content: strings around counter(page) and counter(pages)."""
    text = label.unescape() if isinstance(label, Markup) else str(label)
    parts: list[str] = []
    for i, piece in enumerate(text.split("%(pages)s")):
        if i:
            parts.append("counter(pages)")
        for j, bit in enumerate(piece.split("%(page)s")):
            if j:
                parts.append("counter(page)")
            if bit:
                parts.append(str(css_string(bit)))
    return Markup(" ".join(parts))



@cache
def environment(lang: str) -> Environment:
    """One Jinja2 environment per language, with that language's gettext installed (templates compile once)."""
    env = Environment(
        loader=FileSystemLoader(str(TEMPLATES_DIR)),
        autoescape=select_autoescape(["html", "j2"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        extensions=["jinja2.ext.i18n"],
    )
    env.policies["ext.i18n.trimmed"] = True  # {% trans %} blocks are wrapped like prose; msgids are one line
    env.install_gettext_translations(translations(lang), newstyle=True)  # type: ignore[attr-defined]
    env.filters["css_string"] = css_string
    env.filters["css_page_counter"] = css_page_counter
    return env


def render_document(template_name: str, lang: str, fmt: Formatter, as_at: date, **context: Any) -> str:
    """A template (extending base.html.j2) as one HTML document in `lang`, with what the base template prints.

    `as_at` is the date of the figures, printed in every page's margin.
    """
    page_counter = css_page_counter(fmt.gettext("page %(page)s of %(pages)s"))
    return environment(lang).get_template(template_name).render(lang=lang, fmt=fmt, author=AUTHOR, as_at=as_at,
                                                                 page_counter=page_counter, **context)


def write_pdf_from_html(html: str, path: Path) -> None:
    """Lay out `html` with the safe fetcher and write a tagged PDF to `path`."""
    document = HTML(string=html, base_url=str(TEMPLATES_DIR) + "/", url_fetcher=SafeFetcher())
    document.write_pdf(path, pdf_tags=True)

"""The PDF plumbing every document shares: one Jinja2 environment per language, a safe URL fetcher, WeasyPrint.

Partner-supplied text is data: Jinja2 escapes it (autoescape on), and
WeasyPrint can only fetch files from the template folder (render/pdf/safe_fetcher.py), so a
title such as `<img src="http://...">` is printed as text and never requested.
The catalogue, the donor packs and the partner statements all render through
`render_document`, from templates that extend templates/base.html.j2.
WeasyPrint is imported only by the functions that lay out (half a second that
a build rendering every PDF part from its cache, or in worker processes, saves).
"""

from __future__ import annotations

import re
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from catalogue.config import TEMPLATES_DIR
from catalogue.render.words.i18n import Formatter, translations

BASE_URL = str(TEMPLATES_DIR) + "/"  # relative links in the templates (catalogue.css) resolve in the template folder


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
    env.filters["nb"] = unbroken
    return env


def unbroken(value: Any) -> Markup:
    """An id or a signed figure inside a sentence, kept on one line (`.nb` in catalogue.css): escaped, then wrapped."""
    return Markup('<span class="nb">{}</span>').format(value)


def render_document(template_name: str, lang: str, fmt: Formatter, as_at: date, author: str, **context: Any) -> str:
    """A template (extending base.html.j2) as one HTML document in `lang`, with what the base template prints.

    `as_at` is the date of the figures, printed in every page's margin; `author` is who publishes, in `lang`
    (the settings' organisation, Formatter.organisation).
    """
    page_counter = css_page_counter(fmt.gettext("page %(page)s of %(pages)s"))
    return environment(lang).get_template(template_name).render(lang=lang, fmt=fmt, author=author, as_at=as_at,
                                                                 page_counter=page_counter, **context)


def write_pdf_from_html(html: str, path: Path) -> None:
    """Lay out `html` with the safe fetcher and write a tagged PDF to `path`."""
    Path(path).write_bytes(pdf_bytes_from_html(html))


def pdf_bytes_from_html(html: str) -> bytes:
    """Lay out `html` with the safe fetcher (only template files are read) and return a tagged PDF's bytes."""
    from weasyprint import HTML

    from catalogue.render.pdf.safe_fetcher import SafeFetcher

    document = HTML(string=html, base_url=BASE_URL, url_fetcher=SafeFetcher())
    pdf: bytes = document.write_pdf(pdf_tags=True)
    return pdf


STYLESHEET_LINK = '<link rel="stylesheet" href="catalogue.css">'
STYLE_ELEMENT = re.compile(r"<style>(.*?)</style>", re.S)


@cache
def _shared_layout() -> tuple[Any, Any]:
    """One font configuration and one parsed catalogue.css per process, for every part it lays out."""
    from weasyprint import CSS
    from weasyprint.text.fonts import FontConfiguration

    from catalogue.render.pdf.safe_fetcher import SafeFetcher

    fonts = FontConfiguration()
    return fonts, CSS(filename=str(TEMPLATES_DIR / "catalogue.css"), font_config=fonts, url_fetcher=SafeFetcher())


def warm_up() -> None:
    """Import WeasyPrint and set up this process's fonts and stylesheet before the first part arrives."""
    _shared_layout()


def part_pdf_bytes(html: str) -> bytes:
    """pdf_bytes_from_html for one part of the catalogue, reusing this process's fonts and parsed stylesheet.

    A worker lays out dozens of parts: parsing catalogue.css and setting up fonts once instead of per part saves
    about a fifth of the time. The document's own <style> is passed after catalogue.css, in the document's order.
    """
    from weasyprint import CSS, HTML

    from catalogue.render.pdf.safe_fetcher import SafeFetcher

    fonts, stylesheet = _shared_layout()
    style = STYLE_ELEMENT.search(html)
    if STYLESHEET_LINK not in html or style is None:
        return pdf_bytes_from_html(html)
    own = CSS(string=style.group(1), font_config=fonts, url_fetcher=SafeFetcher(), base_url=BASE_URL)
    bare = html.replace(STYLESHEET_LINK, "", 1).replace(style.group(0), "", 1)
    document = HTML(string=bare, base_url=BASE_URL, url_fetcher=SafeFetcher())
    pdf: bytes = document.write_pdf(pdf_tags=True, stylesheets=[stylesheet, own], font_config=fonts)
    return pdf


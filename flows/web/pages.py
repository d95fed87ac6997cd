"""What every page shares: CSRF checks, the visitor's language, and rendering with autoescaped templates."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any
from urllib.parse import urlencode

from babel.dates import format_date as babel_date
from babel.numbers import format_percent as babel_percent
from fastapi import HTTPException, Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, StrictUndefined, pass_context
from markupsafe import Markup
from starlette.datastructures import FormData

from catalogue.api import LANGUAGES, N_, READABLE, amount, config, money, percent_pattern

from .deps import current_principal, settings_of
from .labels import LABELS, translator
from .partners import published_catalogue, published_logo
from .security import UploadTooLarge, capped_receive, csrf_matches, new_csrf_token
from .site_settings import READABLE_TEXT

_env = Environment(loader=FileSystemLoader(config.TEMPLATES_DIR / "web"), autoescape=True,  # partner text is data
                   undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)


def format_money(value: Any, lang: str = "en") -> str:
    """An amount in whole units, formatted as the PDF formats it (the library's `amount`); JSON keeps the cents."""
    try:
        return amount(Decimal(str(value)), lang)
    except (InvalidOperation, ValueError, TypeError):
        return ""


@pass_context
def _money_filter(context: Any, value: Any) -> str:
    """An amount in whole units; with its currency wherever the page shows a published catalogue (every figure a
    donor reads names its currency), as the locale writes money ("USD 1,234", "1 234 USD")."""
    published = context.get("catalogue")
    currency = published.get("reporting_currency") if isinstance(published, dict) else None
    if currency:
        return _money_in_filter(context, value, str(currency))
    return format_money(value, str(context.get("lang", "en")))


@pass_context
def format_percent(context: Any, value: Any) -> str:
    """A coverage ratio as the locale writes a percentage to one decimal ("32.7%", "32,7 %"), or "—"."""
    lang = str(context.get("lang", "en"))
    try:
        return babel_percent(Decimal(str(value)), format=percent_pattern(lang, decimals=1), locale=lang)
    except (InvalidOperation, ValueError, TypeError):
        return "—"


@pass_context
def format_day(context: Any, value: Any) -> str:
    """A date (or an ISO date, or a moment) as the locale writes it: "30 juin 2025", "30 jun 2025"."""
    try:
        day = value if isinstance(value, date) else date.fromisoformat(str(value)[:10])
    except ValueError:
        return str(value or "—")
    return babel_date(day, format="medium", locale=str(context.get("lang", "en")))


def back_here(request: Request) -> str:
    """Where the language switch returns to: this page with its filters, less any `lang` in the query (which
    would otherwise win over the language just chosen)."""
    kept = urlencode([(k, v) for k, v in request.query_params.multi_items() if k != "lang"])
    return request.url.path + (f"?{kept}" if kept else "")


@pass_context
def _money_in_filter(context: Any, value: Any, currency: str) -> str:
    """An amount with its currency, as the locale writes money ("USD 1,234", "1 234 USD"), or "—"."""
    try:
        return money(Decimal(str(value)), currency, str(context.get("lang", "en")))
    except (InvalidOperation, ValueError, TypeError):
        return "—"


_env.filters["money"] = _money_filter
_env.filters["money_in"] = _money_in_filter
_env.filters["first_upper"] = lambda text: str(text)[:1].upper() + str(text)[1:]  # "objectif stratégique" as a label
_env.filters["pct"] = format_percent
_env.filters["day"] = format_day
_env.globals["back_here"] = back_here
_env.globals["upload_accept"] = ",".join(READABLE)  # the file chooser offers the types the loader reads
_env.globals["upload_types"] = READABLE_TEXT


def csrf_token(request: Request) -> str:
    """The session's CSRF token for the page's forms, made on first use and kept until the session ends."""
    token = request.session.get("csrf")
    if not token:
        token = request.session["csrf"] = new_csrf_token()
    return str(token)


async def checked_form(request: Request, max_bytes: int = 64 * 1024) -> FormData:
    """The posted form, read with a size cap while it streams in, after its CSRF token is checked."""
    capped = Request(request.scope, receive=capped_receive(request.receive, max_bytes))
    length = request.headers.get("content-length", "")
    if length.isdigit() and int(length) > max_bytes:
        raise HTTPException(status_code=413, detail=N_("The file is too large."))
    try:
        form = await capped.form(max_files=1, max_fields=10)
    except UploadTooLarge as problem:
        raise HTTPException(status_code=413, detail=N_("The file is too large.")) from problem
    if not csrf_matches(request.session.get("csrf"), str(form.get("csrf") or "")):
        raise HTTPException(status_code=403, detail=N_("The form has expired: reload the page and try again."))
    return form


def language_of(request: Request, default: str = "en") -> str:
    """The page's language: `?lang=`, else the session's choice, else `default`; English if the site lacks it."""
    lang = request.query_params.get("lang") or request.session.get("lang") or default
    return lang if lang in LANGUAGES else "en"


def _age(when: datetime | None) -> str:
    if when is None:
        return ""
    days = (datetime.now() - when).days  # stored naive UTC; a day's error does not matter for "how old"
    return "today" if days <= 0 else f"{days} d"


_fragments: OrderedDict[tuple[Any, ...], Markup] = OrderedDict()
_fragments_lock = threading.Lock()
FRAGMENT_CACHE_SIZE = 512


def cached_fragment(key: tuple[Any, ...], name: str, lang: str, context: Callable[[], dict[str, Any]]) -> Markup:
    """A page body that depends only on `key` (a published release, the query, the language), rendered once.

    Donor pages are the same for every visitor; caching them keeps them fast under many clients. `context`
    is called only on a miss, so a hit costs a dictionary look-up.
    """
    with _fragments_lock:
        if key in _fragments:
            _fragments.move_to_end(key)
            return _fragments[key]
    html = Markup(_env.get_template(name).render(t=translator(lang), _=gettext_of(lang), fmt=formatter_of(lang),  # noqa: S704
                                                 lang=lang, **context()))  # (autoescaped)
    with _fragments_lock:
        _fragments[key] = html
        while len(_fragments) > FRAGMENT_CACHE_SIZE:
            _fragments.popitem(last=False)
    return html


def gettext_of(lang: str) -> Callable[[str], str]:
    """The one gettext catalogue's translations for the pages: `{{ _("Runs") }}` in a template."""
    from catalogue.api import translations

    return translations(lang if lang in LANGUAGES else "en").gettext


def formatter_of(lang: str) -> Any:
    """The documents' formatter for the pages: codes of closed vocabularies (taxa, regions, targets, statuses)
    in the visitor's words, from the same table as the PDF and the workbook."""
    from catalogue.api import Formatter

    return Formatter(lang if lang in LANGUAGES else "en", "", gettext_of(lang))


def site_contact(request: Request) -> dict[str, str]:
    """How donors reach the publisher (name, email, url), as the published catalogue's settings give it."""
    try:
        published = published_catalogue(settings_of(request).outputs) or {}
    except Exception:  # the error page must render whatever the outputs folder holds
        return {}
    contact = published.get("contact") or {}
    return {k: str(v) for k, v in contact.items() if k in ("name", "email", "url") and v}


def _has_logo(request: Request) -> bool:
    try:
        return published_logo(settings_of(request).outputs) is not None
    except Exception:  # the error page must render whatever the outputs folder holds
        return False


def site_names(request: Request, lang: str) -> tuple[str, str]:
    """The site's title and who publishes it, in `lang`: the published catalogue's, as its settings named them
    (before anything is published, the defaults, translated)."""
    fmt = formatter_of(lang)  # the documents' own rule for both names (Formatter.title, Formatter.organisation)
    try:
        published = published_catalogue(settings_of(request).outputs) or {}
    except Exception:  # the error page must render whatever the outputs folder holds
        published = {}
    own = published.get("title") if lang == published.get("locale", "en") else ""
    return (str(fmt.title(published.get("titles") or {}, own or fmt.gettext(LABELS["site"]))),
            str(fmt.organisation(published.get("organisation") or {})))


def render(request: Request, name: str, status: int = 200, **context: Any) -> HTMLResponse:
    """The template as an HTML page in the visitor's language, with who is asking and the site's names."""
    lang = context.pop("lang", None) or language_of(request)
    principal = context.pop("principal", None)
    if principal is None:
        try:
            principal = current_principal(request)
        except Exception:  # the error page must render even when the database does not answer
            principal = None
    site_title, organisation = site_names(request, lang)
    html = _env.get_template(name).render(request=request, t=translator(lang), _=gettext_of(lang), lang=lang,
                                          site_title=site_title, organisation=organisation,
                                          contact=site_contact(request), logo=_has_logo(request),
                                          fmt=formatter_of(lang), languages=LANGUAGES,
                                          csrf=csrf_token(request), principal=principal, age=_age, **context)
    return HTMLResponse(html, status_code=status)

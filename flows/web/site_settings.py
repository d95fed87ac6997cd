"""Where the web application reads and writes, and its few choices, in one frozen object."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from catalogue.api import NOT_READABLE, READABLE

MAX_UPLOAD_BYTES = 20 * 1024 * 1024  # below the loader's own 50 MB cap: a workplan is kilobytes
# What the portal takes: every type the loader reads, and the spreadsheet types it names and refuses (an .xls or
# .ods gets its located report saying to save as .xlsx, rather than a bare refusal); anything else is a 415.
UPLOAD_SUFFIXES = (*READABLE, *NOT_READABLE)
READABLE_TEXT = ", ".join(READABLE)  # for the pages: ".xlsx, .xlsm, .csv, .json"
SECRET_FILE = "session-secret"


@dataclass(frozen=True)
class WebSettings:
    """The folders and options `catalogue serve` was started with.

    `data` holds the application's own state: the database, the secret that signs session
    cookies, every upload (content-addressed) and every workbook an accepted upload replaced.
    It is never served.
    """

    inputs: Path
    outputs: Path
    data: Path
    database_url: str = ""
    donor_token: str = ""  # empty: the donor site is public; else a visitor must open /donors/enter/<token> once
    https_only: bool = False  # set behind TLS so the session cookie is marked Secure
    public_url: str = "http://127.0.0.1:8000"  # how people reach the site: every link handed out starts with it
    extra_hosts: tuple[str, ...] = ()  # Host names accepted besides the public URL's (and this machine's)
    client_ip_header: str = ""  # e.g. X-Forwarded-For, set only behind a proxy that writes it
    max_upload_bytes: int = MAX_UPLOAD_BYTES
    run_jobs: bool = True  # tests of routes alone may turn the background worker off

    @property
    def allowed_hosts(self) -> list[str]:
        """Host names a request may name: the public URL's, this machine's own, and any extra ones."""
        own = urlsplit(self.public_url).hostname or "127.0.0.1"
        names = {own, "127.0.0.1", "localhost", "::1", *self.extra_hosts}
        return sorted(names | {f"[{n}]" for n in names if ":" in n})  # a Host header brackets an IPv6 address

    def link(self, path: str) -> str:
        """An absolute address on this site for a link handed out (a partner's, a donor's): from the
        configured public URL, never from the request's Host header, which the sender chooses."""
        return self.public_url.rstrip("/") + path

    @property
    def db_url(self) -> str:
        """The database URL: `database_url` if set, else SQLite in DATA (catalogue-web.sqlite)."""
        return self.database_url or f"sqlite:///{self.data / 'catalogue-web.sqlite'}"

    def session_secret(self) -> str:
        """A random secret kept in DATA, made once: sessions survive a restart, and no default secret exists."""
        self.data.mkdir(parents=True, exist_ok=True)
        path = self.data / SECRET_FILE
        if not path.exists():
            handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(handle, "w") as stream:
                stream.write(secrets.token_urlsafe(48))
        return path.read_text().strip()


def settings_from_env(inputs: Path, outputs: Path, data: Path, public_url: str = "") -> WebSettings:
    """Options the command line does not carry, from the environment: the database URL, the donor-site token,
    the public URL (CATALOGUE_PUBLIC_URL, else `public_url`), extra Host names and the proxy's client header."""
    extra = tuple(h.strip() for h in os.environ.get("CATALOGUE_ALLOWED_HOSTS", "").split(",") if h.strip())
    return WebSettings(inputs=inputs.resolve(), outputs=outputs.resolve(), data=data.resolve(),
                       database_url=os.environ.get("CATALOGUE_DATABASE_URL", ""),
                       donor_token=os.environ.get("CATALOGUE_DONOR_TOKEN", ""),
                       https_only=os.environ.get("CATALOGUE_HTTPS_ONLY", "") == "1",
                       public_url=os.environ.get("CATALOGUE_PUBLIC_URL", "") or public_url or WebSettings.public_url,
                       extra_hosts=extra, client_ip_header=os.environ.get("CATALOGUE_CLIENT_IP_HEADER", "").strip())

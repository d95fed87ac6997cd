"""The only way WeasyPrint reads a file: from the template folder, never from the network.

Partner-supplied text is data; a title such as `<img src="http://...">` is
escaped by Jinja2, and should anything still ask for a URL, this fetcher
refuses it, so nothing is requested.
"""

from __future__ import annotations

import mimetypes
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from urllib.request import url2pathname

from weasyprint import URLFetcher
from weasyprint.urls import URLFetcherResponse

from catalogue.config import TEMPLATES_DIR


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
        """The file `url` names inside the template folder; any other URL is refused with ValueError."""
        parts = urlsplit(url)
        if parts.scheme.lower() != "file" or parts.netloc not in ("", "localhost"):
            raise ValueError(f"Refused to fetch {url!r}: only files in the template folder are served")
        path = Path(url2pathname(parts.path)).resolve()
        if not path.is_relative_to(self._root) or not path.is_file():
            raise ValueError(f"Refused to fetch {url!r}: not a file in the template folder")
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(path.as_uri(), body=path.read_bytes(), headers={"Content-Type": content_type})

"""catalogue.pdf in parts: laid out in a process pool, reused from a cache keyed by content, joined in order.

The catalogue is cut at its page breaks (render/pdf/parts.py). Each part's
HTML is hashed with the code's fingerprint and WeasyPrint's version; a part
already in OUTPUTS/.cache/pdf-parts/ is not laid out again, so when one
partner's workbook changes only the sections showing its figures (and those
whose totals move: at a glance, where the gaps are, annexes) are re-rendered.
Missing parts are laid out in a pool of processes, largest first. The front
part (cover and contents) is laid out last, with page numbers measured from
the others, and "page x of y" is stamped by the join (render/pdf/join.py).

A cache entry is written to a temporary name and renamed, so a killed build
leaves whole entries or none; the folder is safe to delete.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from importlib.metadata import version
from multiprocessing import get_context
from pathlib import Path
from typing import Any

from catalogue.cache_folders import FolderCache
from catalogue.config import PDF_WORKERS
from catalogue.memo import code_fingerprint
from catalogue.model.catalogue import Catalogue

KEEP_AT_LEAST = 400  # cache entries kept after a build: several languages and editions' worth of parts
MAX_FRONT_PASSES = 3  # the contents is laid out again only if its own page count moved the numbers it prints
SPARE_SHARE = 4  # the layout processes are "spare" while at most a quarter of the parts are laid out again


@dataclass
class PartStats:
    """What one PDF rendering did, for the progress line and the benchmarks."""

    parts: int = 0
    rendered: int = 0  # laid out by WeasyPrint in this run
    reused: int = 0  # taken from the cache
    pages: int = 0


class PartCache(FolderCache):
    """Rendered parts by content key, in a folder; None as the folder keeps nothing (every part is laid out)."""

    def __init__(self, folder: Path | None) -> None:
        super().__init__(folder, ".pdf", KEEP_AT_LEAST)

    def key(self, html: str) -> str:
        """The cache key of a part: its HTML, salted with the code's fingerprint and WeasyPrint's version."""
        digest = hashlib.sha256(code_fingerprint().encode())
        digest.update(version("weasyprint").encode() + b"\0")
        digest.update(html.encode("utf-8"))
        return digest.hexdigest()


def _render_html(html: str) -> bytes:
    from catalogue.render.pdf.document import part_pdf_bytes  # WeasyPrint only where a part is laid out

    return part_pdf_bytes(html)


class _InProcess(Executor):
    """Lays out in the calling process, when one worker is asked for or a single part is missing."""

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        future: Future[Any] = Future()
        future.set_result(fn(*args, **kwargs))
        return future


def _warm_up() -> None:
    from catalogue.render.pdf.document import warm_up

    warm_up()


def _pool(workers: int) -> ProcessPoolExecutor:
    # spawn, not fork: the build runs inside Prefect, whose threads a forked child would inherit mid-lock.
    return ProcessPoolExecutor(max_workers=workers, mp_context=get_context("spawn"))


def _executor(workers: int, missing: int) -> Executor:
    if _warm_pool is not None:
        return _Borrowed(_warm_pool)
    if workers <= 1 or missing <= 1:
        return _InProcess()
    return _pool(min(workers, missing))


class _Borrowed(Executor):
    """The warm pool, lent to one rendering: leaving the `with` block does not shut it down."""

    def __init__(self, pool: Executor) -> None:
        self.pool = pool

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        return self.pool.submit(fn, *args, **kwargs)

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        pass


_warm_pool: Executor | None = None


@contextmanager
def warm_layout_pool(workers: int | None = None, dask_address: str | None = None) -> Iterator[None]:
    """Start the layout processes now, so that their imports (WeasyPrint, fonts, the stylesheet: about a second)
    overlap the stages before the PDF; render_catalogue_pdf uses them while the block lasts.

    With `dask_address`, the parts are laid out on that Dask cluster's workers instead (render/pdf/dask_cluster.py;
    ClusterProblem when it cannot be used).
    """
    global _warm_pool
    if _warm_pool is not None:
        yield
        return
    if dask_address:
        from catalogue.render.pdf.dask_cluster import dask_executor

        with dask_executor(dask_address) as cluster:
            _warm_pool = cluster
            try:
                yield
            finally:
                _warm_pool = None
        return
    count = workers or PDF_WORKERS
    if count <= 1:
        yield
        return
    pool = _pool(count)
    for _ in range(count):
        pool.submit(_warm_up)
    _warm_pool = pool
    try:
        yield
    finally:
        _warm_pool = None
        pool.shutdown(wait=True, cancel_futures=True)


class _Parts:
    """Parts as futures: from the cache, or laid out by the executor (largest first); each put in the cache once."""

    def __init__(self, cache: PartCache, stats: PartStats) -> None:
        self.cache, self.stats = cache, stats
        self.executor: Executor = _InProcess()

    def missing(self, htmls: Sequence[str]) -> int:
        return sum(not self.cache.has(self.cache.key(html)) for html in htmls)

    def submit(self, htmls: Sequence[str]) -> list[Future[bytes]]:
        futures: list[Future[bytes]] = [Future() for _ in htmls]
        keys = [self.cache.key(html) for html in htmls]
        todo = []
        for i, key in enumerate(keys):
            if (pdf := self.cache.get(key)) is not None:
                futures[i].set_result(pdf)
            else:
                todo.append(i)
        for i in sorted(todo, key=lambda i: -len(htmls[i])):
            futures[i] = self.executor.submit(_render_html, htmls[i])
            futures[i].add_done_callback(self._keeper(keys[i]))
        self.stats.parts += len(htmls)
        self.stats.rendered += len(todo)
        self.stats.reused += len(htmls) - len(todo)
        return futures

    def _keeper(self, key: str) -> Callable[[Future[bytes]], None]:
        def keep(future: Future[bytes]) -> None:
            if future.exception() is None:
                self.cache.put(key, future.result())
        return keep

    def __call__(self, htmls: Sequence[str]) -> list[bytes]:
        return [future.result() for future in self.submit(htmls)]


def render_catalogue_pdf(catalogue: Catalogue, path: Path, lang: str = "en", changes: dict[str, Any] | None = None,
                         *, cache_dir: Path | None = None, workers: int | None = None,
                         progress: Callable[[str], None] | None = None) -> PartStats:
    """Write catalogue.pdf to `path` from parts (cached in `cache_dir`, laid out in `workers` processes)."""
    return CatalogueRendering(catalogue, lang, changes, cache_dir=cache_dir, workers=workers,
                              progress=progress).write(path)


class CatalogueRendering:
    """One catalogue.pdf: `begin` hands the body's parts to the build's warm pool and returns; `write` finishes.

    A build begins the PDF before it writes catalogue.json, the workbook and the report, so that work runs while
    the layout processes work (at 20,000 activities the workbook alone took 12 s, with the pool's processes
    waiting on one long part). Without a warm pool `begin` does nothing and `write` does it all. On a rebuild the
    cache holds most parts and the pool has little to do: `spare_pool` lends it to the workbook meanwhile.
    """

    def __init__(self, catalogue: Catalogue, lang: str, changes: dict[str, Any] | None, *,
                 cache_dir: Path | None = None, workers: int | None = None,
                 progress: Callable[[str], None] | None = None) -> None:
        self.catalogue, self.lang, self.changes = catalogue, lang, changes
        self.workers = workers or PDF_WORKERS
        self.progress = progress
        self.cache, self.stats = PartCache(cache_dir), PartStats()
        self.lay_out = _Parts(self.cache, self.stats)
        self.started: tuple[list[Any], list[Future[bytes]], Future[bytes]] | None = None
        self._render: Callable[[Any], str] | None = None

    def _html(self, part: Any) -> str:
        from catalogue.render.pdf.catalogue_document import part_renderer
        from catalogue.render.pdf.parts import as_part_html

        if self._render is None:
            self._render = part_renderer(self.catalogue, self.lang, self.changes)
        return as_part_html(self._render(part))

    def _front_html(self, page_of: dict[str, int] | None) -> str:
        from catalogue.render.pdf.parts import front_part

        return self._html(front_part(page_of))

    def _body_htmls(self) -> tuple[list[Any], list[str]]:
        from catalogue.render.pdf.parts import body_parts

        parts = body_parts(self.catalogue, bool(self.changes))
        return parts, [self._html(part) for part in parts]

    def _submit(self, parts: list[Any], htmls: list[str], guess: str) -> None:
        # The contents with stand-in numbers is laid out with the body: it says how long the contents is.
        self.started = (parts, self.lay_out.submit(htmls), self.lay_out.submit([guess])[0])

    def begin(self) -> None:
        """Hand the body's parts and a stand-in contents to the build's warm pool, once; without one, nothing."""
        if self.started is None and _warm_pool is not None:
            self.lay_out.executor = _Borrowed(_warm_pool)
            self._submit(*self._body_htmls(), self._front_html(None))

    def spare_pool(self) -> Executor | None:
        """The build's local layout processes, when `begin` left them little to do (a rebuild after a small
        change: most parts come from the cache), so another file can be written there meanwhile; else None.

        Not on a Dask cluster (its workers may be other machines) and not when many parts are to be laid out:
        then the layout is the build's longest work and the calling process, free meanwhile, writes the rest.
        """
        if self.started is None or not isinstance(_warm_pool, ProcessPoolExecutor):
            return None
        return _warm_pool if self.stats.rendered * SPARE_SHARE <= self.stats.parts else None

    def write(self, path: Path) -> PartStats:
        """Write catalogue.pdf to `path`, finishing what `begin` started or laying out every part now; its stats."""
        if self.started is not None:
            return self._finish(path)
        parts, htmls = self._body_htmls()
        guess = self._front_html(None)
        with _executor(self.workers, self.lay_out.missing([*htmls, guess])) as self.lay_out.executor:
            self._submit(parts, htmls, guess)
            return self._finish(path)

    def _finish(self, path: Path) -> PartStats:
        from catalogue.render.pdf.join import MeasuredPart, join_parts

        assert self.started is not None
        parts, body_futures, guess = self.started
        front_pages = MeasuredPart(guess.result()).pages
        body = [MeasuredPart(future.result(), part.continues) for part, future in zip(parts, body_futures, strict=True)]
        for _ in range(MAX_FRONT_PASSES):  # the numbers depend on the contents' own length: settle it
            page_of, total = _page_numbers(body, front_pages)
            front_pdf, *counter = self.lay_out([self._front_html(page_of),
                                                *counter_htmls(self.catalogue, self.lang, total)])
            front = MeasuredPart(front_pdf)
            if front.pages == front_pages:
                break
            front_pages = front.pages
        else:  # never seen: keep "page x of y" true to the pages joined, even if the contents is off by a page
            total = front.pages + sum(part.pages for part in body)
            counter = self.lay_out(counter_htmls(self.catalogue, self.lang, total))
        if self.progress:
            self.progress(f"Joining {self.stats.parts} parts ({self.stats.reused} reused) into {total} pages")
        join_parts(front, body, counter, path)
        self.stats.pages = total
        self.cache.prune()
        return self.stats


def _page_numbers(layouts: Sequence[Any], front_pages: int) -> tuple[dict[str, int], int]:
    """The page number of each anchor after a front of `front_pages` pages, and the total page count."""
    page_of: dict[str, int] = {}
    total = front_pages
    for layout in layouts:
        for anchor, index in layout.anchors.items():
            page_of.setdefault(anchor, total + index + 1)
        total += layout.pages
    return page_of, total


COUNTER_PAGES_PER_PART = 200  # "page x of y" is laid out in slices of this many pages (render/pdf/parts.py)


def counter_htmls(catalogue: Catalogue, lang: str, pages: int, cover_pages: int = 1) -> list[str]:
    """The "page x of y" documents for a catalogue of `pages` pages, in `lang`, a slice of pages each."""
    from catalogue.render.pdf.parts import page_counter_html
    from catalogue.render.words.i18n import Formatter

    fmt = Formatter.for_language(catalogue.locale, catalogue.reporting_currency, lang)
    label = fmt.gettext("page %(page)s of %(pages)s")
    labels = [None if n <= cover_pages else label % {"page": n, "pages": pages} for n in range(1, pages + 1)]
    return [page_counter_html(labels[start:start + COUNTER_PAGES_PER_PART], lang)
            for start in range(0, pages, COUNTER_PAGES_PER_PART)]

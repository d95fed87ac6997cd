"""The PDF's parts laid out on a Dask distributed cluster, past this machine.

`catalogue build --dask tcp://host:8786` (or CATALOGUE_DASK_ADDRESS) hands each
part's HTML to the cluster's workers and takes back its PDF bytes; the cache,
the front part's page numbers and the join stay here (render/pdf/layout_pool.py
uses the cluster as it uses its local pool). A worker needs what a local layout
process has: this project's environment (WeasyPrint, the fonts, the templates
and the stylesheet ship inside the `catalogue` package), at the same commit.
Before any part is sent, every worker is asked for its code fingerprint and
WeasyPrint's version; a worker that differs is refused by name, because the
joined PDF would no longer be byte-identical to a local build.

A worker lost mid-build costs only time: the scheduler hands its parts to the
others (Dask's own resilience, up to `distributed.scheduler.allowed-failures`),
and a part whose layout raised is tried again (RETRIES) before the build fails.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from concurrent.futures import Executor
from contextlib import contextmanager
from importlib.metadata import version
from typing import Any, cast

# How long to wait for the scheduler to answer and to have a worker; CATALOGUE_DASK_CONNECT_SECONDS changes it.
CONNECT_SECONDS = 10.0
RETRIES = 2  # a part whose layout raised on a worker is tried again this many times


class ClusterProblem(Exception):
    """The Dask cluster cannot lay the parts out; the message says what to do. Nothing is published."""


def worker_identity() -> tuple[str, str]:
    """What decides a part's bytes on this process: the code's fingerprint and WeasyPrint's version."""
    from catalogue.memo import code_fingerprint

    return code_fingerprint(), version("weasyprint")


def warm_up_worker() -> None:
    """Import WeasyPrint and load the fonts and stylesheet once per worker, before the first part arrives."""
    from catalogue.render.pdf.document import warm_up

    warm_up()


def connect_seconds() -> float:
    """How long to wait for the cluster: CATALOGUE_DASK_CONNECT_SECONDS when it is a positive number, else 10."""
    try:
        seconds = float(os.environ.get("CATALOGUE_DASK_CONNECT_SECONDS", CONNECT_SECONDS))
    except ValueError:
        return CONNECT_SECONDS
    return seconds if seconds > 0 else CONNECT_SECONDS


def check_cluster(address: str, timeout: float | None = None) -> None:
    """Raise ClusterProblem unless the cluster at `address` answers with workers that run this build's code."""
    with dask_executor(address, timeout, warm=False):
        pass


@contextmanager
def dask_executor(address: str, timeout: float | None = None, warm: bool = True) -> Iterator[Executor]:
    """A concurrent.futures Executor on the cluster at `address`, its workers checked and warmed; closed after.

    Raises ClusterProblem (a sentence for the user) when the scheduler does not answer, has no worker, or a
    worker runs other code than this build.
    """
    from distributed import Client

    timeout = timeout or connect_seconds()
    try:
        client: Any = cast(Any, Client)(address, timeout=timeout, set_as_default=False)  # distributed is untyped
    except (OSError, TimeoutError, ValueError) as problem:
        raise ClusterProblem(
            f"No Dask scheduler answered at {address} within {timeout:g} s ({problem}). Start one (`dask scheduler`) and its workers "
            f"(`dask worker {address}`) from this project's environment, or build without --dask.") from None
    try:
        _check_workers(client, address, timeout)
        if warm:
            client.run(warm_up_worker)
        yield client.get_executor(pure=False, retries=RETRIES)
    finally:
        client.close()


def _check_workers(client: Any, address: str, timeout: float) -> None:
    try:
        client.wait_for_workers(1, timeout=timeout)
    except TimeoutError:
        raise ClusterProblem(f"The Dask scheduler at {address} has no worker. Start one with "
                             f"`dask worker {address}` from this project's environment.") from None
    ours = worker_identity()
    theirs: dict[str, Any] = client.run(worker_identity)
    differ = sorted(worker for worker, identity in theirs.items() if tuple(identity) != ours)
    if differ:
        raise ClusterProblem(
            f"Dask worker(s) {', '.join(differ)} run other code than this build (the catalogue's code or WeasyPrint "
            "differ), so the PDF would not be the one a local build makes. Start the workers from this project's "
            "environment at the same commit (README: Past one machine).")

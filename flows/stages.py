"""The library's stages as Prefect tasks: what `catalogue.pipeline.build_model` runs inside a flow.

Each stage becomes a named task run, visible in the Prefect UI. Only reading
files is retried (a file may be mid-copy); computation is not, since a retry
would give the same answer. Nothing is cached by Prefect: the pipeline's own
fingerprints decide what is unchanged.

Arguments are passed `quote`d: the stages take the whole programme (records,
the model), and Prefect would otherwise walk every object in them looking for
upstream futures, about 1.5 s per sample build. The stages pass plain values,
never futures, so there is nothing for that walk to find.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar, cast

from prefect import task
from prefect.cache_policies import NO_CACHE
from prefect.utilities.annotations import quote

from .progress import step

T = TypeVar("T")

# What the person at the terminal (or the web page) sees while each stage runs.
PROGRESS = {
    "load-inputs": "Reading inputs",
    "validate-inputs": "Checking every record",
    "merge-programme": "Joining priorities, tasks and workplans",
    "compute-budget": "Computing required, secured and gap",
}
RETRIED = {"load-inputs"}


def as_prefect_task(name: str, stage: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Run one library stage as a Prefect task of the calling flow."""
    step(PROGRESS.get(name, name))
    retries = 1 if name in RETRIED else 0
    wrapped = task(name=name, cache_policy=NO_CACHE, retries=retries, retry_delay_seconds=1)(stage)
    return wrapped(*(quote(a) for a in args), **{key: quote(value) for key, value in kwargs.items()})


def unwalked(value: T) -> T:
    """`value` passed to a task without Prefect walking it for futures (see above); typed as the value itself."""
    return cast(T, quote(value))

"""The shells around the catalogue library: the `catalogue` command and the Prefect flows."""

from catalogue.api import __version__

__all__ = ["__version__"]

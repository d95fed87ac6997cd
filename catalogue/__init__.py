"""cms-catalogue's pure library: read the inputs, check them, model and budget the programme, render, publish.

No Prefect, no web, no printing here: the shells in flows/ call pipeline.run and the renderers.
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("cms-catalogue")
except PackageNotFoundError:  # running from a source tree that was not installed
    __version__ = "0.0.0+source"

"""cms-catalogue: CMS priorities, Secretariat tasks and Partner workplans into a donor catalogue."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("cms-catalogue")
except PackageNotFoundError:  # running from a source tree that was not installed
    __version__ = "0.0.0+source"

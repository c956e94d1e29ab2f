"""suaraberita: turn an Indonesian news article into a podcast episode."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("suaraberita")
except PackageNotFoundError:  # running from a source tree without install
    __version__ = "0.0.0"

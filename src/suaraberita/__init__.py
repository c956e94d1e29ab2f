"""suaraberita: turn an Indonesian news article into a podcast episode."""

# The one place the version is written (pyproject reads it from here); a constant keeps
# start-up free of importlib.metadata.
__version__ = "0.1.0"

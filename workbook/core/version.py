"""The workbook version (one place; re-exported as ``workbook.__version__``)."""

__version__ = "0.1.0"

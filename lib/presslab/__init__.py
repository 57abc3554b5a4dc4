"""presslab: news coverage analysis."""

__version__ = "0.1.0"

"""presslab's exceptions: each says which file is at fault and what to do."""

from __future__ import annotations


class PresslabError(Exception):
    """Base class of every error presslab reports to a user (never with a traceback)."""


class InputError(PresslabError):
    """An input file (or one record of it) cannot be read as an article."""

    def __init__(self, file: str, reason: str) -> None:
        super().__init__(f"{file}: {reason}")
        self.file = file
        self.reason = reason


class RunError(PresslabError):
    """A run cannot start: a bad argument, or an output folder that already exists."""

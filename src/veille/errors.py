"""Errors that carry a one-line, user-facing reason naming the input."""

from __future__ import annotations


class InputError(Exception):
    """An input could not be (fully) used. ``str()`` is the one-line message shown to users."""

    def __init__(self, source: str, reason: str):
        super().__init__(f"{source}: {reason}")
        self.source = source
        self.reason = reason


class UsageError(Exception):
    """Wrong arguments: exit status 2."""


class InputNotice(InputError):
    """Worth telling the user, but nothing failed (a skipped file, a guessed encoding)."""

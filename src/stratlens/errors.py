"""Exceptions that carry a one-line, user-facing message.

Every failure a user can cause (a bad file, a bad framework, a bad flag) is raised as a
`StratlensError` so the CLI can print one clear line and exit non-zero without a traceback.
"""

from __future__ import annotations


class StratlensError(Exception):
    """Base class: the message is shown to the user as is."""


class FrameworkError(StratlensError):
    """A framework file is missing, unreadable or fails validation."""


class IngestError(StratlensError):
    """A document could not be read. The message names the file and the cause."""

    def __init__(self, path: str, cause: str) -> None:
        self.path = path
        self.cause = cause
        super().__init__(f"{path}: {cause}")

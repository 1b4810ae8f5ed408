"""Exceptions raised by the extractor."""

from __future__ import annotations


class ExtractionError(ValueError):
    """Base class: the input cannot be turned into a visit record."""

    code = "extraction_error"


class UnreadableInput(ExtractionError):
    """The bytes are not text we can read (binary data, broken .docx, ...)."""

    code = "unreadable_input"


class NoVisitFound(ExtractionError):
    """The text is readable but does not describe a leaders' visit."""

    code = "no_visit_found"

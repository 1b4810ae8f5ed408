"""Visit-report extractor: published report text -> structured visit draft.

Plain Python (no Django).  Public API::

    extract(text) -> dict
    extract_bytes(data, filename=None) -> dict
    extract_with_spans(text) -> Extraction(record, spans, text)
    extract_bytes_with_spans(data, filename=None) -> Extraction

Errors: :class:`NoVisitFound` (readable text, no visit in it) and
:class:`UnreadableInput` (binary data, broken .docx), both subclasses of
:class:`ExtractionError` (a ``ValueError``).
"""

from .core import (
    MAX_ANALYSIS_CHARS,
    MAX_INPUT_CHARS,
    RECORD_KEYS,
    TOPICS,
    Extraction,
    extract,
    extract_bytes,
    extract_bytes_with_spans,
    extract_with_spans,
)
from .errors import ExtractionError, NoVisitFound, UnreadableInput

__all__ = [
    "MAX_ANALYSIS_CHARS",
    "MAX_INPUT_CHARS",
    "RECORD_KEYS",
    "TOPICS",
    "Extraction",
    "ExtractionError",
    "NoVisitFound",
    "UnreadableInput",
    "extract",
    "extract_bytes",
    "extract_bytes_with_spans",
    "extract_with_spans",
]

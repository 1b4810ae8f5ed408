"""Import of published reports into *drafts* the office reviews before anything is stored.

A draft is the extractor's output (record, highlighted spans, cleaned text) plus the proposed
registry matches, kept in the shared cache (Redis in production) for :data:`DRAFT_TTL` under a
random key bound to the user who imported it. It is never a visit: nothing is written to the
database until the reviewer saves (``services.save_visit``); an unsaved draft simply expires.
"""

from __future__ import annotations

import io
import os
import secrets
import zipfile
from dataclasses import asdict, dataclass

from django.core.cache import cache
from django.utils import timezone
from django.utils.translation import gettext

from .extractor import ExtractionError, NoVisitFound, UnreadableInput, extract_bytes_with_spans, extract_with_spans
from .extractor.decode import MAX_INPUT_BYTES
from .matching import department_pool, leader_pool, match_departments, match_leaders, match_organisations

DRAFT_TTL = 24 * 60 * 60
REPORT_EXTENSIONS = (".txt", ".text", ".html", ".htm", ".docx")
MAX_ZIP_MEMBERS = 500
_PREFIX = "visits:draft:"
_BATCH_PREFIX = "visits:batch:"


@dataclass
class ImportResult:
    """One report of an import: a draft key, or why there is none."""

    name: str
    draft: str | None = None
    title: str = ""
    code: str = ""
    message: str = ""

    @property
    def ok(self) -> bool:
        return self.draft is not None

    def as_dict(self) -> dict:
        return asdict(self)


def error_message(exc: ExtractionError) -> str:
    """The extractor's reason, introduced in the user's language."""
    if isinstance(exc, NoVisitFound):
        return gettext("No visit found: the text does not report an official's visit, inspection or meeting.")
    if isinstance(exc, UnreadableInput):
        return gettext("The file cannot be read as a report (%(reason)s).") % {"reason": str(exc)}
    return str(exc)


class Matcher:
    """Registry matching for one user, with the small pools (leaders, departments) loaded once."""

    def __init__(self, user):
        self.user = user
        self._leaders = None
        self._departments = None

    def matches(self, record: dict) -> dict:
        if self._leaders is None:
            self._leaders = leader_pool(self.user)
            self._departments = department_pool(self.user)
        return {
            "organisations": match_organisations(record.get("organizations_visited") or [], self.user),
            "leaders": match_leaders(record.get("leaders") or [], self.user, self._leaders),
            "accompanying": match_departments(record.get("accompanying") or [], self.user, self._departments),
        }


def _store(extraction, *, user, source_name: str, matcher: Matcher) -> str:
    key = secrets.token_urlsafe(18)
    draft = {
        "key": key,
        "user": user.pk,
        "source_name": source_name[:200],
        "created": timezone.now().isoformat(),
        "record": extraction.record,
        "spans": extraction.spans,
        "text": extraction.text,
        "matches": matcher.matches(extraction.record),
        "values": None,  # the reviewer's edits, when they refresh the matches before saving
    }
    cache.set(_PREFIX + key, draft, DRAFT_TTL)
    return key


def get_draft(key: str, user) -> dict | None:
    """The draft if it exists, has not expired and was imported by ``user``."""
    if not key or len(key) > 64:
        return None
    draft = cache.get(_PREFIX + key)
    if not draft or draft.get("user") != user.pk:
        return None
    return draft


def update_draft(draft: dict) -> None:
    cache.set(_PREFIX + draft["key"], draft, DRAFT_TTL)


def discard_draft(key: str) -> None:
    cache.delete(_PREFIX + key)


def import_text(text: str, *, user, source_name: str = "", matcher: Matcher | None = None) -> ImportResult:
    name = source_name or gettext("Pasted text")
    try:
        extraction = extract_with_spans(text or "")
    except ExtractionError as exc:
        return ImportResult(name=name, code=exc.code, message=error_message(exc))
    key = _store(extraction, user=user, source_name=source_name, matcher=matcher or Matcher(user))
    return ImportResult(name=name, draft=key, title=extraction.record.get("title") or "")


def import_bytes(data: bytes, name: str, *, user, matcher: Matcher | None = None) -> ImportResult:
    try:
        extraction = extract_bytes_with_spans(data, name)
    except ExtractionError as exc:
        return ImportResult(name=name, code=exc.code, message=error_message(exc))
    key = _store(extraction, user=user, source_name=name, matcher=matcher or Matcher(user))
    return ImportResult(name=name, draft=key, title=extraction.record.get("title") or "")


def _zip_members(data: bytes, name: str):
    """(member name, bytes | ImportResult) for each report in a zip; refusals as results."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = [i for i in archive.infolist() if not i.is_dir() and not _hidden(i.filename)]
    except (zipfile.BadZipFile, OSError, ValueError):
        yield name, ImportResult(name=name, code="bad_zip", message=gettext("The zip file is damaged."))
        return
    if len(infos) > MAX_ZIP_MEMBERS:
        yield (
            name,
            ImportResult(
                name=name,
                code="too_many_files",
                message=gettext("The zip file holds %(n)d files; import at most %(max)d at a time.")
                % {"n": len(infos), "max": MAX_ZIP_MEMBERS},
            ),
        )
        return
    for info in infos:
        member = f"{name}/{info.filename}"
        if not info.filename.lower().endswith(REPORT_EXTENSIONS):
            yield member, _unsupported(member)
        elif info.file_size > MAX_INPUT_BYTES:
            yield member, ImportResult(name=member, code="too_large", message=gettext("The file is too large."))
        else:
            try:
                with archive.open(info) as fh:
                    yield member, fh.read(MAX_INPUT_BYTES + 1)
            except (zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError, EOFError, ValueError):
                yield (
                    member,
                    ImportResult(
                        name=member, code="bad_zip", message=gettext("This file in the zip cannot be unpacked.")
                    ),
                )


def _hidden(filename: str) -> bool:
    base = os.path.basename(filename)
    return filename.startswith("__MACOSX/") or base.startswith(".")


def _unsupported(name: str) -> ImportResult:
    return ImportResult(
        name=name,
        code="file_type",
        message=gettext("Only .txt, .html, .docx files and zip files of them can be imported."),
    )


def import_files(files, *, user) -> list[ImportResult]:
    """``files``: (name, bytes) pairs; a zip contributes one result per report inside it."""
    matcher = Matcher(user)
    results = []
    for name, data in files:
        lower = (name or "").lower()
        if lower.endswith(".zip"):
            for member, content in _zip_members(data, name):
                if isinstance(content, ImportResult):
                    results.append(content)
                else:
                    results.append(import_bytes(content, member, user=user, matcher=matcher))
        elif lower.endswith(REPORT_EXTENSIONS):
            results.append(import_bytes(data, name, user=user, matcher=matcher))
        else:
            results.append(_unsupported(name))
    return results


def store_batch(results: list[ImportResult], *, user) -> str:
    key = secrets.token_urlsafe(12)
    cache.set(_BATCH_PREFIX + key, {"user": user.pk, "results": [r.as_dict() for r in results]}, DRAFT_TTL)
    return key


def get_batch(key: str, user) -> list[ImportResult] | None:
    batch = cache.get(_BATCH_PREFIX + key) if key and len(key) <= 64 else None
    if not batch or batch.get("user") != user.pk:
        return None
    return [ImportResult(**r) for r in batch["results"]]

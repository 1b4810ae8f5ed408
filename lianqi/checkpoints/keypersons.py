"""Import of key-person lists pushed from above (.xlsx).

The file is read in memory and never saved; each ID number is checked, hashed and masked at
once, and the raw values are dropped with the workbook. Rows with an invalid ID are skipped and
reported by row number and reason (never by value)."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from lianqi.accounts.choices import Role

from .models import KeyPerson, KeyPersonList
from .personal import keyed_hash, mask_id, mask_name, normalise_id_number

logger = logging.getLogger(__name__)

MAX_ROWS = 200_000
MAX_BYTES = 20 * 1024 * 1024
ID_HEADERS = {"身份证号", "身份证号码", "证件号码", "公民身份号码", "id_number", "id number", "id"}
NAME_HEADERS = {"姓名", "name"}
CATEGORY_HEADERS = {"类别", "类型", "人员类别", "category"}


@dataclass
class ImportResult:
    key_list: KeyPersonList
    skipped: list[tuple[int, str]] = field(default_factory=list)
    retro_hits: int = 0


def _columns(header) -> dict:
    found = {}
    for index, cell in enumerate(header):
        text = str(cell or "").strip().lower()
        if text in ID_HEADERS and "id" not in found:
            found["id"] = index
        elif text in NAME_HEADERS and "name" not in found:
            found["name"] = index
        elif text in CATEGORY_HEADERS and "category" not in found:
            found["category"] = index
    return found


def _read(upload):
    from openpyxl import load_workbook

    from lianqi.core.uploads import clean_spreadsheet

    if upload.size and upload.size > MAX_BYTES:
        raise ValidationError(_("The file is larger than 20 MB."), code="too_large")
    clean_spreadsheet(upload, extensions=(".xlsx",))  # a renamed file or a zip bomb stops here
    try:
        workbook = load_workbook(upload, read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - any unreadable file gets the same answer
        raise ValidationError(_("This is not a readable .xlsx file."), code="unreadable") from None
    sheet = workbook.worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    header = next(rows, None)
    if header is None:
        raise ValidationError(_("The file is empty."), code="empty")
    columns = _columns(header)
    if "id" not in columns:
        raise ValidationError(
            _("No ID-number column found; name a column 身份证号 (or id_number)."), code="no_id_column"
        )
    return workbook, rows, columns


def import_list(*, actor, upload, name: str, jurisdiction, source_note: str = "") -> ImportResult:
    """Hash the list, store it, and match it against the retained entries at once."""
    from . import services

    office_paths = actor.access.jurisdiction_paths(roles=[Role.OFFICE])
    if not actor.access.is_admin and not any(jurisdiction.path.startswith(p) for p in office_paths):
        raise PermissionDenied(_("Only the command office of this area uploads key-person lists."))
    workbook, rows, columns = _read(upload)
    people: dict[str, KeyPerson] = {}
    skipped: list[tuple[int, str]] = []
    try:
        for number, row in enumerate(rows, start=2):
            if number > MAX_ROWS + 1:
                raise ValidationError(_("The list has more than %(max)d rows.") % {"max": MAX_ROWS}, code="too_many")
            raw = row[columns["id"]] if columns["id"] < len(row) else None
            if raw in (None, ""):
                if any(v not in (None, "") for v in row):
                    skipped.append((number, _("no ID number")))
                continue
            try:
                normalised = normalise_id_number(str(raw))
            except ValidationError as error:
                skipped.append((number, error.messages[0]))
                continue
            digest = keyed_hash("id", normalised)
            if digest in people:
                continue
            person_name = row[columns["name"]] if "name" in columns and columns["name"] < len(row) else ""
            category = row[columns["category"]] if "category" in columns and columns["category"] < len(row) else ""
            people[digest] = KeyPerson(
                id_hash=digest,
                id_masked=mask_id(normalised),
                name_masked=mask_name(str(person_name or ""))[:50],
                category=str(category or "")[:100],
            )
            del raw, normalised
    finally:
        workbook.close()
    if not people:
        raise ValidationError(_("No valid ID number in the list."), code="no_rows")
    with transaction.atomic():
        key_list = KeyPersonList.objects.create(
            name=name,
            jurisdiction=jurisdiction,
            source_note=source_note,
            uploaded_by=actor,
            row_count=len(people),
            skipped_count=len(skipped),
        )
        for person in people.values():
            person.key_list = key_list
        created = KeyPerson.objects.bulk_create(people.values(), batch_size=2000)
    hits = services.match_retained_entries(key_list, created, actor=actor)
    KeyPersonList.objects.filter(pk=key_list.pk).update(retro_hits=hits)
    key_list.retro_hits = hits
    logger.info(
        "key-person list %s: %s people, %s skipped, %s retained matches", key_list.pk, len(people), len(skipped), hits
    )
    return ImportResult(key_list=key_list, skipped=skipped, retro_hits=hits)

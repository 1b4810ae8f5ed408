"""Import enterprises from .xlsx or .csv: read → check every row → (after confirmation) write.

``build_plan`` reads and checks the whole file without writing anything and returns an
:class:`ImportPlan` with per-row errors (row number, column, message) and what would be created
or updated. ``apply_plan`` writes a clean plan in one transaction — all rows or none — with bulk
inserts and updates that still record the audit trail (simple_history's bulk helpers). Rows are
matched on the credit code, so importing the same file again updates instead of duplicating.
The upload page, the background job and ``bench/registry.py`` all go through these functions.
"""

from __future__ import annotations

import codecs
import csv
import io
import logging
import os
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import connections, router, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from lxml import etree
from simple_history.utils import bulk_update_with_history

from lianqi.accounts.choices import Role
from lianqi.industries.models import Industry
from lianqi.jurisdictions.models import Jurisdiction

from . import credit_code
from .columns import BY_KEY, COLUMNS, EXPORT_ONLY_KEYS, HEADER_INDEX, CellError, header_key, text
from .models import Enterprise, pinyin_initials

logger = logging.getLogger(__name__)

MAX_REPORTED_ERRORS = 500
BATCH = 1000
SUPPORTED = (".xlsx", ".csv")


class ImportFileError(Exception):
    """The file as a whole cannot be read (wrong type, encoding, empty)."""


@dataclass
class RowError:
    row: int
    column: str
    message: str


@dataclass
class ImportPlan:
    filename: str = ""
    encoding: str = ""
    rows: int = 0
    columns: list[str] = field(default_factory=list)
    unknown_columns: list[str] = field(default_factory=list)
    missing_columns: list[str] = field(default_factory=list)
    duplicate_columns: list[str] = field(default_factory=list)
    file_error: str = ""
    errors: list[RowError] = field(default_factory=list)
    error_count: int = 0
    creates: list[Enterprise] = field(default_factory=list)
    updates: list[Enterprise] = field(default_factory=list)
    update_fields: set[str] = field(default_factory=set)
    unchanged: int = 0

    @property
    def ok(self) -> bool:
        return not (
            self.file_error
            or self.unknown_columns
            or self.missing_columns
            or self.duplicate_columns
            or self.error_count
        )

    def add_error(self, row: int, column: str, message: str) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_REPORTED_ERRORS:
            self.errors.append(RowError(row, column, str(message)))

    def summary(self) -> dict:
        return {
            "filename": self.filename,
            "encoding": self.encoding,
            "rows": self.rows,
            "columns": self.columns,
            "unknown_columns": self.unknown_columns,
            "missing_columns": self.missing_columns,
            "duplicate_columns": self.duplicate_columns,
            "file_error": self.file_error,
            "errors": [{"row": e.row, "column": e.column, "message": e.message} for e in self.errors],
            "error_count": self.error_count,
            "errors_truncated": self.error_count > len(self.errors),
            "create": len(self.creates),
            "update": len(self.updates),
            "unchanged": self.unchanged,
            "ok": self.ok,
        }


# --- Reading files ---------------------------------------------------------------------------


def decode_csv(data: bytes) -> tuple[str, str]:
    """Text and the encoding found: UTF-8 with or without BOM, UTF-16 with BOM, or GBK/GB18030."""
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8) :].decode("utf-8"), "UTF-8 (BOM)"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16"), "UTF-16"
    try:
        return data.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        pass
    try:
        # GB18030 is a superset of GBK and GB2312, which Excel on Chinese Windows writes.
        return data.decode("gb18030"), "GBK/GB18030"
    except UnicodeDecodeError:
        raise ImportFileError(
            _("The file's text encoding was not recognised; save it as UTF-8 or GBK CSV, or as .xlsx.")
        ) from None


def _csv_rows(fileobj) -> tuple[str, Iterator[tuple[int, list]]]:
    data = fileobj.read()
    content, encoding = decode_csv(data)
    first_line = content.split("\n", 1)[0]
    delimiter = max(",\t;", key=first_line.count) if first_line else ","
    reader = csv.reader(io.StringIO(content, newline=""), delimiter=delimiter)
    return encoding, ((number, row) for number, row in enumerate(reader, start=1))


def _xlsx_rows(fileobj) -> tuple[str, Iterator[tuple[int, list]]]:
    """Rows of the first worksheet, read by :mod:`lianqi.core.xlsx_reader` (lxml, several times
    faster than openpyxl on text cells); openpyxl reads whatever that reader does not understand."""
    from lianqi.core.xlsx_reader import UnsupportedWorkbook, iter_first_sheet

    start = fileobj.tell() if fileobj.seekable() else None
    try:
        fast = iter_first_sheet(fileobj)
    except (UnsupportedWorkbook, zipfile.BadZipFile, OSError, etree.LxmlError) as error:
        if start is None:
            raise ImportFileError(_("This is not a readable .xlsx workbook (%(error)s).") % {"error": error}) from None
        logger.warning("Reading %s with openpyxl: %s", getattr(fileobj, "name", "the workbook"), error)
        fileobj.seek(start)
        return _openpyxl_rows(fileobj)

    def generate():
        done = 0
        try:
            for number, row in fast:
                yield number, row
                done = number
            return
        except (UnsupportedWorkbook, etree.LxmlError, zipfile.BadZipFile) as error:
            if start is None:
                raise ImportFileError(
                    _("This is not a readable .xlsx workbook (%(error)s).") % {"error": error}
                ) from None
            logger.warning("Reading the rest of the workbook with openpyxl after row %d: %s", done, error)
        fileobj.seek(start)
        _encoding, rows = _openpyxl_rows(fileobj)
        for number, row in rows:
            if number > done:
                yield number, row

    return "xlsx", generate()


def _openpyxl_rows(fileobj) -> tuple[str, Iterator[tuple[int, list]]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(fileobj, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises several types for a damaged or foreign file
        raise ImportFileError(_("This is not a readable .xlsx workbook (%(error)s).") % {"error": error}) from None
    sheet = workbook.worksheets[0]

    def generate():
        try:
            for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
                yield number, list(row)
        finally:
            workbook.close()

    return "xlsx", generate()


def open_rows(fileobj, filename: str) -> tuple[str, Iterator[tuple[int, list]]]:
    extension = os.path.splitext(filename.lower())[1]
    if extension == ".xlsx":
        return _xlsx_rows(fileobj)
    if extension == ".csv":
        return _csv_rows(fileobj)
    raise ImportFileError(_("Upload an .xlsx or .csv file (this one is “%(name)s”).") % {"name": filename})


def count_rows(fileobj, filename: str) -> int:
    """Data rows in the file (quick; decides whether the import runs as a background job)."""
    if filename.lower().endswith(".xlsx"):
        from openpyxl import load_workbook

        try:
            workbook = load_workbook(fileobj, read_only=True)
        except Exception:  # a damaged file is reported by the check itself
            return 0
        sheet = workbook.worksheets[0]
        rows = sheet.max_row if sheet.max_row and sheet.max_row > 1 else sum(1 for _row in sheet.iter_rows())
        workbook.close()
        return max(rows - 1, 0)
    return max(sum(chunk.count(b"\n") for chunk in iter(lambda: fileobj.read(1 << 20), b"")) - 1, 0)


# --- Checking --------------------------------------------------------------------------------


def _column_letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1)


class _Lookups:
    """Everything a row is checked against, loaded once per file."""

    def __init__(self, actor):
        access = actor.access
        self.is_admin = access.is_admin
        self.office_paths = access.jurisdiction_paths(roles=[Role.OFFICE])
        self.nodes = {code: (pk, path) for pk, code, path in Jurisdiction.objects.values_list("pk", "code", "path")}
        self.industries = set(Industry.objects.values_list("code", flat=True))
        self._sector_defaults: dict = {}

    def may_change(self, path: str) -> bool:
        return self.is_admin or any(path.startswith(p) for p in self.office_paths)

    def sector_department_id(self, industry_code: str, jurisdiction_id: int):
        key = (industry_code, jurisdiction_id)
        if key not in self._sector_defaults:
            probe = Enterprise(industry_id=industry_code, jurisdiction_id=jurisdiction_id)
            department = probe.default_sector_department()
            self._sector_defaults[key] = department.pk if department else None
        return self._sector_defaults[key]


def _read_header(plan: ImportPlan, header: list) -> dict[int, str] | None:
    mapping: dict[int, str] = {}
    seen: dict[str, int] = {}
    for index, raw in enumerate(header):
        name = text(raw)
        if not name:
            continue
        key = HEADER_INDEX.get(header_key(name))
        if key is None:
            plan.unknown_columns.append(f"{_column_letter(index)}: {name}")
            continue
        if key in seen:
            plan.duplicate_columns.append(f"{_column_letter(index)}: {name}")
            continue
        seen[key] = index
        mapping[index] = key
        plan.columns.append(key)
    for column in COLUMNS:
        if column.required and column.key not in seen:
            plan.missing_columns.append(f"{column.zh} / {column.en}")
    return mapping if not (plan.unknown_columns or plan.missing_columns or plan.duplicate_columns) else None


def build_plan(fileobj, filename: str, *, actor, progress: Callable | None = None, total: int = 0) -> ImportPlan:
    """Read and check the whole file; nothing is written. ``progress(done, total)`` is called as rows are read."""
    plan = ImportPlan(filename=filename)
    try:
        plan.encoding, rows = open_rows(fileobj, filename)
        first = next(rows, None)
    except ImportFileError as error:
        plan.file_error = str(error)
        return plan
    if first is None or not any(text(v) for v in first[1]):
        plan.file_error = _("The first row must hold the column headers; this file's first row is empty.")
        return plan
    mapping = _read_header(plan, first[1])
    if mapping is None:
        return plan

    lookups = _Lookups(actor)
    header_names = {index: text(first[1][index]) for index in mapping}
    parsed: list[tuple[int, dict]] = []
    seen_codes: dict[str, int] = {}
    for number, row in rows:
        if not any(v not in (None, "") and text(v) for v in row):
            continue
        plan.rows += 1
        values = _check_row(plan, lookups, number, row, mapping, header_names, seen_codes)
        if values is not None:
            parsed.append((number, values))
        if progress and plan.rows % BATCH == 0:
            progress(plan.rows, max(total, plan.rows))
    if not plan.rows:
        plan.file_error = _("The file has headers but no rows of data.")
        return plan
    _match_existing(plan, lookups, parsed, {mapping[i] for i in mapping}, header_names, mapping, actor)
    if progress:
        progress(plan.rows, plan.rows)
    return plan


def _check_row(plan, lookups, number, row, mapping, header_names, seen_codes) -> dict | None:
    values: dict = {}
    errors_before = plan.error_count
    for index, key in mapping.items():
        if key in EXPORT_ONLY_KEYS:
            continue
        raw = row[index] if index < len(row) else None
        column_name = header_names[index]
        try:
            values[key] = _read_cell(key, raw, lookups)
        except (CellError, ValidationError) as error:
            message = error.messages[0] if isinstance(error, ValidationError) else str(error)
            plan.add_error(number, column_name, message)
    if plan.error_count == errors_before:
        code = values["credit_code"]
        if code in seen_codes:
            column = next(header_names[i] for i, k in mapping.items() if k == "credit_code")
            plan.add_error(number, column, _("Same credit code as row %(row)d.") % {"row": seen_codes[code]})
        else:
            seen_codes[code] = number
        if (values.get("latitude") is None) != (values.get("longitude") is None) and (
            "latitude" in values and "longitude" in values
        ):
            column = next(header_names[i] for i, k in mapping.items() if k == "latitude")
            plan.add_error(number, column, _("Give both latitude and longitude, or neither."))
    return values if plan.error_count == errors_before else None


def _read_cell(key, raw, lookups):
    if key == "credit_code":
        if isinstance(raw, (int, float)) and not isinstance(raw, bool):
            raise CellError(
                _("The code was stored as a number and lost digits; format the column as text and type it again.")
            )
        return credit_code.validate(text(raw))
    if key in ("jurisdiction", "operating_jurisdiction"):
        code = text(raw)
        if not code:
            if key == "jurisdiction":
                raise CellError(_("Enter the division code of the jurisdiction."))
            return None
        node = lookups.nodes.get(code)
        if node is None:
            raise CellError(_("No jurisdiction has the division code “%(code)s”.") % {"code": code})
        if key == "jurisdiction" and not lookups.may_change(node[1]):
            raise CellError(
                _("Jurisdiction “%(code)s” is outside the jurisdictions where you may register enterprises.")
                % {"code": code}
            )
        return node[0]
    if key == "industry":
        code = text(raw).upper()
        if not code:
            raise CellError(_("Enter the industry code (GB/T 4754-2017)."))
        if code not in lookups.industries:
            raise CellError(_("“%(code)s” is not a GB/T 4754-2017 industry code.") % {"code": code})
        return code
    value = BY_KEY[key].parse(raw)
    if key == "name" and not value:
        raise CellError(_("Enter the enterprise's name."))
    return value


_ATTRIBUTE = {
    "jurisdiction": "jurisdiction_id",
    "operating_jurisdiction": "operating_jurisdiction_id",
    "industry": "industry_id",
}


def _match_existing(plan, lookups, parsed, present, header_names, mapping, actor) -> None:
    codes = [values["credit_code"] for _number, values in parsed]
    existing: dict[str, Enterprise] = {}
    for start in range(0, len(codes), 900):  # SQLite allows ~1000 parameters per query
        batch = codes[start : start + 900]
        for enterprise in Enterprise.objects.filter(credit_code__in=batch).select_related("jurisdiction"):
            existing[enterprise.credit_code] = enterprise
    code_column = next(header_names[i] for i, k in mapping.items() if k == "credit_code")
    now = timezone.now()
    fields = [k for k in present if k not in EXPORT_ONLY_KEYS and k != "credit_code"]
    for number, values in parsed:
        current = existing.get(values["credit_code"])
        if current is None:
            enterprise = Enterprise(credit_code=values["credit_code"])
            for key in fields:
                if values[key] is not None or key not in ("scale", "risk_tier", "status"):
                    setattr(enterprise, _ATTRIBUTE.get(key, key), values[key])
            enterprise.name_initials = pinyin_initials(enterprise.name)
            enterprise.sector_department_id = lookups.sector_department_id(
                enterprise.industry_id, enterprise.jurisdiction_id
            )
            plan.creates.append(enterprise)
            continue
        if not lookups.may_change(current.jurisdiction.path):
            plan.add_error(
                number,
                code_column,
                _("An enterprise with this credit code is registered outside the jurisdictions you may change."),
            )
            continue
        changed = set()
        for key in fields:
            attribute = _ATTRIBUTE.get(key, key)
            value = values[key]
            if value is None and key in ("scale", "risk_tier", "status"):
                continue
            if getattr(current, attribute) != value:
                setattr(current, attribute, value)
                changed.add(attribute)
        if not changed:
            plan.unchanged += 1
            continue
        if "name" in changed:
            current.name_initials = pinyin_initials(current.name)
            changed.add("name_initials")
        if "industry_id" in changed and current.sector_department_id is None:
            current.sector_department_id = lookups.sector_department_id(current.industry_id, current.jurisdiction_id)
            changed.add("sector_department_id")
        current.updated_at = now
        plan.update_fields |= changed | {"updated_at"}
        plan.updates.append(current)
    # Once the file has errors nothing will be written, so do not hold on to the objects.
    if plan.error_count:
        plan.creates, plan.updates = [], []


# --- Writing ---------------------------------------------------------------------------------


class ImportRejected(Exception):
    def __init__(self, plan: ImportPlan):
        super().__init__(_("The file has errors; nothing was imported."))
        self.plan = plan


def apply_plan(plan: ImportPlan, *, actor, progress: Callable | None = None, batch_size: int = BATCH) -> dict:
    """Write a clean plan: everything in one transaction, with one history row per change."""
    if not plan.ok:
        raise ImportRejected(plan)
    reason = _("Imported from %(name)s") % {"name": plan.filename}
    now = timezone.now()
    total = len(plan.creates) + len(plan.updates)
    done = 0
    fields = sorted(f.removesuffix("_id") if f.endswith("_id") else f for f in plan.update_fields)
    with transaction.atomic():
        for start in range(0, len(plan.creates), batch_size):
            batch = plan.creates[start : start + batch_size]
            create_with_history(batch, actor=actor, reason=reason, date=now, batch_size=batch_size)
            done += len(batch)
            if progress:
                progress(done, total)
        for start in range(0, len(plan.updates), batch_size):
            batch = plan.updates[start : start + batch_size]
            bulk_update_with_history(
                batch,
                Enterprise,
                fields,
                batch_size=batch_size,
                default_user=actor,
                default_change_reason=reason,
                default_date=now,
            )
            done += len(batch)
            if progress:
                progress(done, total)
    return {"created": len(plan.creates), "updated": len(plan.updates), "unchanged": plan.unchanged}


def create_with_history(objs: list[Enterprise], *, actor, reason: str, date, batch_size: int = BATCH) -> None:
    """Insert new enterprises and their "+" history rows, as ``bulk_create_with_history`` does.

    The history rows hold what simple_history's ``bulk_history_create`` would write (every tracked
    field, ``history_type`` "+", ``history_date``, ``history_user``, the change reason); only the
    transport differs. On PostgreSQL the primary keys are taken from the table's sequence and both
    tables are filled with ``COPY`` (Django's ``bulk_create`` spends most of a large import
    preparing parameters in Python); elsewhere with ``bulk_create``. The caller holds the
    transaction."""
    if not objs:
        return
    history_model = Enterprise.history.model
    fields = Enterprise._meta.concrete_fields
    automatic = [f for f in fields if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)]
    for obj in objs:
        for timestamp in automatic:  # what bulk_create's pre_save does: created_at, updated_at
            timestamp.pre_save(obj, add=True)
    connection = connections[router.db_for_write(Enterprise)]
    tracked = [f.attname for f in history_model.tracked_fields]
    extra = {
        "history_date": date,
        "history_change_reason": reason,
        "history_type": "+",
        "history_user_id": getattr(actor or history_model.get_default_history_user(objs[0]), "pk", None),
    }
    if connection.vendor != "postgresql":
        Enterprise.objects.bulk_create(objs, batch_size=batch_size)
        if any(obj.pk is None for obj in objs):  # a database that does not return keys
            raise RuntimeError("bulk_create did not return primary keys")
        history_model.objects.bulk_create(
            [history_model(**extra, **{name: getattr(obj, name) for name in tracked}) for obj in objs],
            batch_size=batch_size,
        )
        return
    table = Enterprise._meta.db_table
    pk_column = Enterprise._meta.pk.column
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [table, pk_column, len(objs)],
        )
        for obj, (pk,) in zip(objs, cursor.fetchall(), strict=True):
            obj.pk = pk
        raw = cursor.cursor
        quote = connection.ops.quote_name
        columns = [f.column for f in fields]
        attnames = [f.attname for f in fields]
        with raw.copy(f"COPY {quote(table)} ({', '.join(map(quote, columns))}) FROM STDIN") as copy:
            for obj in objs:
                copy.write_row([getattr(obj, name) for name in attnames])
        history_fields = {f.attname: f.column for f in history_model._meta.concrete_fields}
        history_columns = [history_fields[name] for name in tracked] + [history_fields[name] for name in extra]
        extra_values = list(extra.values())
        sql = f"COPY {quote(history_model._meta.db_table)} ({', '.join(map(quote, history_columns))}) FROM STDIN"
        with raw.copy(sql) as copy:
            for obj in objs:
                copy.write_row([getattr(obj, name) for name in tracked] + extra_values)
    for obj in objs:
        obj._state.adding = False
        obj._state.db = connection.alias


def import_file(fileobj, filename: str, *, actor, progress: Callable | None = None, total: int = 0) -> dict:
    """Check and, when clean, write (for callers that already confirmed: the job and the benchmark)."""
    plan = build_plan(fileobj, filename, actor=actor, progress=progress, total=total)
    return apply_plan(plan, actor=actor, progress=progress)

"""Exports of the enterprise list (inline and as a job) and the import template.

Whatever a user exports is built from ``Enterprise.objects.visible_to(user)`` and the list's own
FilterSet, so an export holds exactly the rows the list would show them."""

from __future__ import annotations

import codecs
import csv
import tempfile
from types import SimpleNamespace

from django.core.files import File
from django.http import QueryDict
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from lianqi.core.exports import CHUNK, _cell, csv_response, write_xlsx, xlsx_response

from .columns import COLUMNS, export_row_functions
from .filtersets import EnterpriseFilterSet
from .models import Enterprise

SORTABLE = {
    "name": "name",
    "credit_code": "credit_code",
    "jurisdiction": "jurisdiction__path",
    "industry": "industry_id",
    "risk": "risk_tier",
    "status": "status",
    "updated": "updated_at",
}


def filtered_enterprises(user, params: QueryDict, *, request=None):
    """The rows the list shows ``user`` for these query parameters, and the bound FilterSet."""
    request = request or SimpleNamespace(user=user, GET=params)
    filterset = EnterpriseFilterSet(params, queryset=Enterprise.objects.visible_to(user), request=request)
    queryset = filterset.qs if filterset.is_valid() else filterset.queryset.active()
    sort = params.get("sort", "")
    if sort.lstrip("-") in SORTABLE:
        queryset = queryset.order_by(("-" if sort.startswith("-") else "") + SORTABLE[sort.lstrip("-")], "pk")
    return queryset, filterset


def export_filename() -> str:
    return f"enterprises-{timezone.localtime().strftime('%Y%m%d-%H%M')}"


def export_rows(queryset, language: str | None = None):
    """Header and a generator of cell lists, read with ``values_list`` in chunks (constant memory)."""
    header, fields, functions = export_row_functions(language)

    def generate():
        for row in queryset.values_list(*fields).iterator(chunk_size=CHUNK):
            yield [_cell(f(row)) for f in functions]

    return header, generate()


def write_export(target, queryset, fmt: str, *, progress=None, total: int = 0) -> int:
    """Write the rows to ``target`` (a binary file) as xlsx or csv; memory does not grow with rows."""
    header, data = export_rows(queryset)

    def counted():
        for count, row in enumerate(data, start=1):
            if progress and count % CHUNK == 0:
                progress(count, total)
            yield row

    if fmt == "xlsx":
        return write_xlsx(target, header, counted(), title=_("Enterprises"))
    stream = codecs.getwriter("utf-8")(target)
    stream.write("\ufeff")
    writer = csv.writer(stream)
    writer.writerow(header)
    count = 0
    for row in counted():
        writer.writerow(["" if v is None else v for v in row])
        count += 1
    return count


def export_response(fmt: str, queryset):
    """The inline (small) export, streamed through lianqi.core.exports."""
    header, data = export_rows(queryset)
    if fmt == "xlsx":
        return xlsx_response(export_filename(), header, data, title=_("Enterprises"))
    return csv_response(export_filename(), header, data)


def run_export_job(job) -> dict:
    """Job handler ``enterprises.export``: the creator's view of the list, written to a file."""
    user = job.created_by
    params = QueryDict(job.params.get("query", ""))
    fmt = job.params.get("format", "xlsx")
    with translation.override(job.params.get("language") or user.language):
        queryset, _filterset = filtered_enterprises(user, params)
        total = queryset.count()
        job.set_progress(0, total)
        with tempfile.TemporaryFile() as spooled:
            count = write_export(spooled, queryset, fmt, progress=job.set_progress, total=total)
            spooled.seek(0)
            name = job.params.get("download_name") or f"{export_filename()}.{fmt}"
            job.result_file.save(name, File(spooled), save=False)
    job.set_progress(count, count)
    return {"rows": count, "format": fmt}


def template_workbook(target, language: str) -> None:
    """The import template: the header row in ``language`` (zh or en) and a sheet explaining each column."""
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "企业名录" if language.startswith("zh") else "Enterprises"
    bold = Font(bold=True)
    required_fill = PatternFill("solid", fgColor="FFE8E8")
    importable = [
        c
        for c in COLUMNS
        if c.parse is not None or c.key in ("credit_code", "jurisdiction", "industry", "operating_jurisdiction")
    ]
    for index, column in enumerate(importable, start=1):
        cell = sheet.cell(row=1, column=index, value=column.header(language) + (" *" if column.required else ""))
        cell.font = bold
        if column.required:
            cell.fill = required_fill
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = max(12, len(cell.value) * (2 if language.startswith("zh") else 1.1))
        sheet.column_dimensions[letter].number_format = "@"  # text: keeps codes' leading zeros and all 18 characters
    sheet.freeze_panes = "A2"
    notes = workbook.create_sheet("说明 Notes")
    notes.append(["列 (中文)", "Column (English)", "必填 Required", "说明 Notes"])
    for cell in notes[1]:
        cell.font = bold
    for column in importable:
        with translation.override(language):
            hint = str(column.hint) if column.hint else ""
        notes.append([column.zh, column.en, "是 yes" if column.required else "", hint])
    for letter, width in zip("ABCD", (22, 30, 14, 60), strict=True):
        notes.column_dimensions[letter].width = width
    workbook.save(target)

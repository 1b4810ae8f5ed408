"""Exports of any list a user may see, in constant memory.

A list view declares ``export_columns`` — ``[(label, accessor), …]`` where the accessor is an
attribute path ("jurisdiction.name_zh") or a callable — and exports run on exactly the queryset
the page shows (``visible_to`` plus the filters), so a user exports only what they may see.
"""

from __future__ import annotations

import csv
import tempfile
from collections.abc import Callable, Iterable, Iterator
from datetime import date, datetime

from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.encoding import force_str

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CHUNK = 2000


def resolve(obj, accessor: str | Callable):
    if callable(accessor):
        return accessor(obj)
    value = obj
    for part in accessor.split("."):
        if value is None:
            return None
        value = getattr(value, part)
        if callable(value) and not hasattr(value, "all"):
            value = value()
    return value


def _cell(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        return value
    if isinstance(value, datetime):
        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    if isinstance(value, date):
        return value
    return force_str(value)


def rows(queryset, columns) -> Iterator[list]:
    """Values of each object, reading the queryset in chunks (never all at once)."""
    for obj in queryset.iterator(chunk_size=CHUNK):
        yield [_cell(resolve(obj, accessor)) for _, accessor in columns]


class _Echo:
    def write(self, value):
        return value


def csv_response(filename: str, header: list[str], data: Iterable[list]) -> StreamingHttpResponse:
    """A streamed UTF-8 CSV with a byte-order mark, so Excel on Chinese Windows opens it right."""
    writer = csv.writer(_Echo())

    def generate():
        yield "\ufeff"
        yield writer.writerow(header)
        for row in data:
            yield writer.writerow(["" if v is None else v for v in row])

    response = StreamingHttpResponse(generate(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


def write_xlsx(target, header: list[str], data: Iterable[list], *, title: str = "Sheet1") -> int:
    """Write rows to an .xlsx with openpyxl's write-only mode (memory does not grow with rows)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    bold = Font(bold=True)
    header_cells = []
    for label in header:
        cell = WriteOnlyCell(sheet, value=force_str(label))
        cell.font = bold
        header_cells.append(cell)
    sheet.append(header_cells)
    count = 0
    for row in data:
        sheet.append(row)
        count += 1
    workbook.save(target)
    return count


def xlsx_response(filename: str, header: list[str], data: Iterable[list], *, title: str = "Sheet1") -> FileResponse:
    spooled = tempfile.TemporaryFile()  # noqa: SIM115 - handed to FileResponse, which closes it
    write_xlsx(spooled, header, data, title=title)
    spooled.seek(0)
    return FileResponse(spooled, as_attachment=True, filename=f"{filename}.xlsx", content_type=XLSX_CONTENT_TYPE)


def export_response(fmt: str, filename: str, queryset, columns, *, title: str = "Sheet1"):
    header = [force_str(label) for label, _ in columns]
    if fmt == "xlsx":
        return xlsx_response(filename, header, rows(queryset, columns), title=title)
    return csv_response(filename, header, rows(queryset, columns))

"""Read the rows of an .xlsx workbook's first worksheet quickly, straight from its XML.

openpyxl stays the library for writing spreadsheets and the fallback for reading; this reader
exists because openpyxl's ``read_only`` mode builds a rich-text object for every inline-string
cell (openpyxl itself writes text that way), which makes a 100,000-row import spend most of its
time in the reader. Here lxml ``iterparse`` walks ``<row>`` elements of the sheet and clears them
as it goes (constant memory), and each cell becomes the value openpyxl's
``iter_rows(values_only=True)`` with ``data_only=True`` would give:

* shared strings (``t="s"``, rich-text runs joined, phonetic runs left out), inline strings
  (``t="inlineStr"``), formula results (``t="str"``), errors (``t="e"``), ISO dates (``t="d"``);
* booleans (``t="b"``); numbers as ``int`` when written without a decimal point or exponent,
  otherwise ``float``; numbers in a date or time format as ``datetime``/``time``/``timedelta``
  (the workbook's 1900 or 1904 epoch);
* cells are placed by their ``r`` reference, so gaps stay ``None`` and missing rows come out
  as empty rows (row numbers match the sheet's).

Anything it does not understand (a strict-OOXML namespace, an unknown cell type, a missing
part) raises :class:`UnsupportedWorkbook`; callers then read the file with openpyxl.
Trailing empty cells are not padded to the sheet's width (openpyxl pads to the ``<dimension>``).
"""

from __future__ import annotations

import posixpath
import zipfile
from collections.abc import Iterator

from lxml import etree

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
WORKSHEET_TYPE = REL + "/worksheet"
SHARED_STRINGS_TYPE = REL + "/sharedStrings"
STYLES_TYPE = REL + "/styles"
OFFICE_DOCUMENT_TYPE = REL + "/officeDocument"

_ROW = f"{{{MAIN}}}row"
_C = f"{{{MAIN}}}c"
_V = f"{{{MAIN}}}v"
_IS = f"{{{MAIN}}}is"
_T = f"{{{MAIN}}}t"
_R = f"{{{MAIN}}}r"
_SI = f"{{{MAIN}}}si"


class UnsupportedWorkbook(Exception):
    """The workbook uses something this reader does not handle; read it with openpyxl instead."""


def _parse(archive: zipfile.ZipFile, name: str):
    try:
        with archive.open(name) as part:
            return etree.parse(part, etree.XMLParser(resolve_entities=False, no_network=True)).getroot()
    except KeyError:
        raise UnsupportedWorkbook(f"missing part {name}") from None


def _relationships(archive: zipfile.ZipFile, part: str) -> dict[str, tuple[str, str]]:
    """Relationship id → (type, target part name) for ``part`` (e.g. ``xl/workbook.xml``)."""
    folder, name = posixpath.split(part)
    rels_name = posixpath.join(folder, "_rels", name + ".rels")
    if rels_name not in archive.NameToInfo:
        return {}
    result = {}
    for rel in _parse(archive, rels_name).iter(f"{{{PKG_REL}}}Relationship"):
        target = rel.get("Target", "")
        if rel.get("TargetMode") == "External":
            continue
        target = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(folder, target))
        result[rel.get("Id")] = (rel.get("Type", ""), target)
    return result


def _text(element) -> str:
    """Text of an ``<si>`` or ``<is>``: its ``<t>`` and the ``<t>`` of its rich-text runs."""
    parts = []
    for child in element:
        if child.tag == _T:
            parts.append(child.text or "")
        elif child.tag == _R:
            for t in child.iter(_T):
                parts.append(t.text or "")
    return "".join(parts)


def _shared_strings(archive: zipfile.ZipFile, name: str | None) -> list[str]:
    if name is None or name not in archive.NameToInfo:
        return []
    strings = []
    with archive.open(name) as part:
        for _event, si in etree.iterparse(part, events=("end",), tag=_SI, resolve_entities=False):
            strings.append(_text(si).replace("x005F_", ""))  # as openpyxl does
            si.clear()
            while si.getprevious() is not None:
                del si.getparent()[0]
    return strings


def _date_styles(archive: zipfile.ZipFile, name: str | None) -> tuple[set[int], set[int]]:
    """Style indices whose number format is a date/time, and those that are durations."""
    from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format, is_timedelta_format

    if name is None or name not in archive.NameToInfo:
        return set(), set()
    root = _parse(archive, name)
    custom = {int(fmt.get("numFmtId")): fmt.get("formatCode", "") for fmt in root.iter(f"{{{MAIN}}}numFmt")}
    dates, durations = set(), set()
    xfs = root.find(f"{{{MAIN}}}cellXfs")
    for index, xf in enumerate(xfs if xfs is not None else ()):
        number_format = int(xf.get("numFmtId", 0))
        code = custom.get(number_format) or BUILTIN_FORMATS.get(number_format, "General")
        if is_date_format(code):
            dates.add(index)
            if is_timedelta_format(code):
                durations.add(index)
    return dates, durations


_COLUMNS: dict[str, int] = {}


def _column_index(reference: str) -> int:
    """0-based column of a cell reference such as ``AB12``."""
    letters = reference.rstrip("0123456789")
    index = _COLUMNS.get(letters)
    if index is None:
        index = 0
        for char in letters.upper():
            if not "A" <= char <= "Z":
                raise UnsupportedWorkbook(f"cell reference {reference!r}")
            index = index * 26 + ord(char) - 64
        index -= 1
        _COLUMNS[letters] = index
    return index


def _number(value: str):
    if "." in value or "E" in value or "e" in value:
        return float(value)
    return int(value)


def iter_first_sheet(fileobj) -> Iterator[tuple[int, list]]:
    """``(row number, [values])`` for every row of the first worksheet, from row 1 on.

    Raises :class:`UnsupportedWorkbook` before the first row if the file's structure is not
    understood, or while reading if a cell is not; ``zipfile.BadZipFile`` if it is no zip."""
    archive = zipfile.ZipFile(fileobj)
    try:
        package = _relationships(archive, "")  # _rels/.rels
        workbook_part = next((t for kind, t in package.values() if kind == OFFICE_DOCUMENT_TYPE), "xl/workbook.xml")
        workbook = _parse(archive, workbook_part)
        if workbook.tag != f"{{{MAIN}}}workbook":
            raise UnsupportedWorkbook(f"workbook element {workbook.tag}")
        rels = _relationships(archive, workbook_part)
        sheet_part = None
        for sheet in workbook.iter(f"{{{MAIN}}}sheet"):
            kind, target = rels.get(sheet.get(f"{{{REL}}}id"), ("", ""))
            if kind == WORKSHEET_TYPE:  # openpyxl's worksheets[0]: chart sheets do not count
                sheet_part = target
                break
        if sheet_part is None or sheet_part not in archive.NameToInfo:
            raise UnsupportedWorkbook("no worksheet found")
        by_type = dict(rels.values())
        strings = _shared_strings(archive, by_type.get(SHARED_STRINGS_TYPE))
        dates, durations = _date_styles(archive, by_type.get(STYLES_TYPE))
        properties = workbook.find(f"{{{MAIN}}}workbookPr")
        epoch_1904 = properties is not None and properties.get("date1904", "") in ("1", "true")
    except BaseException:
        archive.close()
        raise
    return _rows(archive, sheet_part, strings, dates, durations, epoch_1904)


def _rows(archive, sheet_part, strings, dates, durations, epoch_1904):
    from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900, from_excel, from_ISO8601

    epoch = CALENDAR_MAC_1904 if epoch_1904 else CALENDAR_WINDOWS_1900
    column_index = _column_index
    number = _number
    expected = 1
    try:
        with archive.open(sheet_part) as part:
            for _event, row in etree.iterparse(part, events=("end",), tag=_ROW, resolve_entities=False):
                reference = row.get("r")
                row_number = int(reference) if reference else expected
                while expected < row_number:  # rows missing from the file are empty rows
                    yield expected, []
                    expected += 1
                values: list = []
                position = 0
                for cell in row:
                    if cell.tag != _C:
                        continue
                    reference = cell.get("r")
                    column = column_index(reference) if reference else position
                    kind = cell.get("t", "n")
                    if kind == "inlineStr":
                        inline = cell.find(_IS)
                        if inline is None:
                            value = None
                        elif len(inline) == 1 and inline[0].tag == _T:  # the usual <is><t>…</t></is>
                            value = inline[0].text or ""
                        else:
                            value = _text(inline)
                    else:
                        value = cell.findtext(_V) or None
                        if value is not None:
                            if kind == "n":
                                value = number(value)
                                style = cell.get("s")
                                if style and int(style) in dates:
                                    try:
                                        value = from_excel(value, epoch, timedelta=int(style) in durations)
                                    except (OverflowError, ValueError):
                                        value = "#VALUE!"  # as openpyxl, which also warns
                            elif kind == "s":
                                value = strings[int(value)]
                            elif kind == "b":
                                value = bool(int(value))
                            elif kind == "d":
                                value = from_ISO8601(value)
                            elif kind not in ("str", "e"):
                                raise UnsupportedWorkbook(f"cell type {kind!r} in {reference}")
                    if column == len(values):
                        values.append(value)
                    elif column > len(values):
                        values.extend([None] * (column - len(values)))
                        values.append(value)
                    else:
                        values[column] = value
                    position = column + 1
                yield row_number, values
                expected = row_number + 1
                row.clear()
                while row.getprevious() is not None:
                    del row.getparent()[0]
    except (IndexError, ValueError) as error:  # a shared-string index or number out of place
        raise UnsupportedWorkbook(str(error)) from None
    finally:
        archive.close()

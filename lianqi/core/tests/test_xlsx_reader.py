"""The lxml .xlsx reader gives what openpyxl's read-only reader gives, only faster."""

import datetime
import io
import zipfile

import pytest
from openpyxl import Workbook, load_workbook

from lianqi.core.xlsx_reader import UnsupportedWorkbook, iter_first_sheet

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG = "http://schemas.openxmlformats.org/package/2006/relationships"


def build(sheet_data: str, shared: list[str] | None = None, *, first_sheet_chart=False, date1904=False) -> bytes:
    """A minimal workbook by hand, the way Excel/WPS lay it out (shared strings, rels, styles)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/data.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            '<Override PartName="/xl/styles.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
            '<Override PartName="/xl/sharedStrings.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
            "</Types>",
        )
        archive.writestr(
            "_rels/.rels",
            f'<Relationships xmlns="{PKG}"><Relationship Id="rId1" Type="{REL}/officeDocument" '
            'Target="xl/workbook.xml"/></Relationships>',
        )
        sheets = '<sheet name="数据" sheetId="2" r:id="rId7"/>'
        if first_sheet_chart:
            sheets = '<sheet name="图" sheetId="1" r:id="rId9"/>' + sheets
        archive.writestr(
            "xl/workbook.xml",
            f'<workbook xmlns="{MAIN}" xmlns:r="{REL}">'
            + ('<workbookPr date1904="1"/>' if date1904 else "")
            + f"<sheets>{sheets}</sheets></workbook>",
        )
        archive.writestr(
            "xl/_rels/workbook.xml.rels",
            f'<Relationships xmlns="{PKG}">'
            f'<Relationship Id="rId7" Type="{REL}/worksheet" Target="/xl/worksheets/data.xml"/>'
            f'<Relationship Id="rId9" Type="{REL}/chartsheet" Target="chartsheets/sheet1.xml"/>'
            f'<Relationship Id="rId3" Type="{REL}/styles" Target="styles.xml"/>'
            f'<Relationship Id="rId4" Type="{REL}/sharedStrings" Target="sharedStrings.xml"/>'
            "</Relationships>",
        )
        archive.writestr(
            "xl/styles.xml",
            f'<styleSheet xmlns="{MAIN}"><numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy-mm-dd"/>'
            '</numFmts><cellXfs count="3"><xf numFmtId="0"/><xf numFmtId="164" applyNumberFormat="1"/>'
            '<xf numFmtId="2" applyNumberFormat="1"/></cellXfs></styleSheet>',
        )
        items = "".join(s if s.startswith("<") else f"<si><t>{s}</t></si>" for s in (shared or []))
        archive.writestr("xl/sharedStrings.xml", f'<sst xmlns="{MAIN}">{items}</sst>')
        archive.writestr(
            "xl/worksheets/data.xml", f'<worksheet xmlns="{MAIN}"><sheetData>{sheet_data}</sheetData></worksheet>'
        )
    return buffer.getvalue()


def fast(data: bytes):
    return [(number, trimmed(row)) for number, row in iter_first_sheet(io.BytesIO(data))]


def openpyxl_rows(data: bytes):
    workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    rows = [(number, trimmed(row)) for number, row in enumerate(workbook.worksheets[0].iter_rows(values_only=True), 1)]
    workbook.close()
    return rows


def trimmed(row):
    """openpyxl pads rows to the sheet's width; the fast reader stops at the last cell."""
    row = list(row)
    while row and row[-1] is None:
        row.pop()
    return row


def test_shared_strings_rich_text_and_phonetic_runs():
    data = build(
        '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>2</v></c></row>',
        shared=[
            "统一社会信用代码",
            '<si><r><t>江川</t></r><r><rPr><b/></rPr><t xml:space="preserve">化工 </t></r></si>',
            '<si><t>东湖</t><rPh sb="0" eb="2"><t>ドンフ</t></rPh></si>',
        ],
    )
    assert fast(data) == [(1, ["统一社会信用代码", "江川化工 ", "东湖"])]
    assert fast(data) == openpyxl_rows(data)


def test_inline_strings_formula_strings_errors_and_booleans():
    data = build(
        '<row r="1"><c r="A1" t="inlineStr"><is><t>江川市</t></is></c>'
        '<c r="B1" t="inlineStr"><is><r><t>a</t></r><r><t>b</t></r></is></c>'
        '<c r="C1" t="str"><f>A1&amp;"x"</f><v>江川市x</v></c>'
        '<c r="D1" t="b"><v>1</v></c><c r="E1" t="b"><v>0</v></c>'
        '<c r="F1" t="e"><v>#N/A</v></c><c r="G1"><f>1+1</f></c></row>'
    )
    assert fast(data) == [(1, ["江川市", "ab", "江川市x", True, False, "#N/A"])]
    assert fast(data) == openpyxl_rows(data)


def test_gaps_are_kept_by_cell_reference_and_missing_rows_are_empty():
    data = build(
        '<row r="2"><c r="B2" t="inlineStr"><is><t>b</t></is></c><c r="E2"><v>5</v></c></row>'
        '<row r="5"><c r="AA5"><v>27</v></c></row>'
        "<row><c><v>1</v></c><c><v>2</v></c></row>"  # no references: the next row, cells in order
    )
    rows = fast(data)
    assert rows[:5] == [(1, []), (2, [None, "b", None, None, 5]), (3, []), (4, []), (5, [None] * 26 + [27])]
    assert rows[5] == (6, [1, 2])
    assert rows == openpyxl_rows(data)


def test_numbers_ints_floats_and_dates():
    data = build(
        '<row r="1"><c r="A1"><v>42</v></c><c r="B1"><v>3.5</v></c><c r="C1"><v>1E3</v></c>'
        '<c r="D1" s="1"><v>45292</v></c><c r="E1" s="2"><v>7</v></c><c r="F1" t="n"><v>-0.25</v></c>'
        '<c r="G1"><v></v></c></row>'
    )
    rows = fast(data)
    assert rows == [(1, [42, 3.5, 1000.0, datetime.datetime(2024, 1, 1), 7, -0.25])]
    assert isinstance(rows[0][1][0], int) and isinstance(rows[0][1][4], int)
    assert rows == openpyxl_rows(data)


def test_1904_epoch_and_the_first_worksheet_after_a_chart_sheet():
    data = build('<row r="1"><c r="A1" s="1"><v>1</v></c></row>', first_sheet_chart=True, date1904=True)
    assert fast(data) == [(1, [datetime.datetime(1904, 1, 2)])]


def test_a_file_written_by_openpyxl_reads_back_as_openpyxl_reads_it():
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["统一社会信用代码", "企业名称", "从业人数", "纬度", "重点企业", "日期"])
    sheet.append(["91419900MA00000000", "江川（东湖）化工有限公司", 120, 34.7521, True, datetime.datetime(2025, 3, 1)])
    sheet.append([None, "  空格  ", 0, -1.5e-7, False, None])
    sheet["H5"] = "far away"
    sheet["A6"] = "=1+2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    data = buffer.getvalue()
    rows = fast(data)
    assert rows == openpyxl_rows(data)
    assert rows[1][1][:5] == ["91419900MA00000000", "江川（东湖）化工有限公司", 120, 34.7521, True]
    assert rows[4] == (5, [None] * 7 + ["far away"])


def test_unknown_things_are_refused_so_callers_use_openpyxl():
    with pytest.raises(UnsupportedWorkbook):
        list(iter_first_sheet(io.BytesIO(build('<row r="1"><c r="A1" t="x"><v>1</v></c></row>'))))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "not a workbook")
    with pytest.raises(UnsupportedWorkbook):
        iter_first_sheet(io.BytesIO(buffer.getvalue()))

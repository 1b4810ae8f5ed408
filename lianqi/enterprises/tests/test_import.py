"""Import: check everything first, write nothing until confirmed, then all rows or none."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from lianqi.enterprises.importing import apply_plan, build_plan, decode_csv
from lianqi.enterprises.models import Enterprise
from lianqi.enterprises.tests.factories import credit_code_for
from lianqi.jobs.models import Job

from .conftest import csv_bytes, xlsx_bytes

pytestmark = pytest.mark.django_db

ZH_HEADER = [
    "统一社会信用代码",
    "企业名称",
    "属地区划代码",
    "行业代码",
    "地址",
    "风险等级",
    "重点企业",
    "安全负责人电话",
]
EN_HEADER = [
    "Credit code",
    "Name",
    "Jurisdiction code",
    "Industry code",
    "Address",
    "Risk tier",
    "Key enterprise",
    "Safety manager's phone",
]


def row(n, cast, **over):
    values = {
        "code": credit_code_for(1000 + n, "419902"),
        "name": f"东湖导入测试化工有限公司{n}",
        "jurisdiction": cast.street_a.code,
        "industry": "261",
        "address": f"东湖街道工业路{n}号",
        "risk": "一般",
        "key": "否",
        "phone": "13912345678",
    }
    values.update(over)
    return list(values.values())


def plan_for(data: bytes, name: str, user):
    return build_plan(io.BytesIO(data), name, actor=user)


def test_clean_xlsx_is_checked_then_written_with_history(cast):
    data = xlsx_bytes([ZH_HEADER, *[row(n, cast) for n in range(1, 21)]])
    plan = plan_for(data, "clean.xlsx", cast.office)
    assert plan.ok, plan.summary()
    assert (len(plan.creates), len(plan.updates)) == (20, 0)
    assert not Enterprise.objects.filter(name__startswith="东湖导入").exists()  # nothing written by checking

    result = apply_plan(plan, actor=cast.office)
    assert result == {"created": 20, "updated": 0, "unchanged": 0}
    enterprise = Enterprise.objects.get(name="东湖导入测试化工有限公司7")
    assert enterprise.jurisdiction == cast.street_a and enterprise.risk_tier == "general"
    assert enterprise.name_initials.startswith("dhdrcshg")
    record = enterprise.history.get()
    assert record.history_type == "+" and record.history_user == cast.office


def test_three_bad_rows_among_a_thousand_are_reported_and_nothing_is_written(cast):
    rows = [row(n, cast) for n in range(1, 1001)]
    rows[99][0] = rows[99][0][:-1] + ("0" if rows[99][0][-1] != "0" else "1")  # row 101: check character
    rows[499][3] = "9999"  # row 501: unknown industry
    rows[899][7] = "12345"  # row 901: phone
    before = Enterprise.objects.count()
    plan = plan_for(xlsx_bytes([ZH_HEADER, *rows]), "bad.xlsx", cast.office)
    assert not plan.ok
    assert [(e.row, e.column) for e in plan.errors] == [
        (101, "统一社会信用代码"),
        (501, "行业代码"),
        (901, "安全负责人电话"),
    ]
    assert "18th" in plan.errors[0].message and "9999" in plan.errors[1].message
    with pytest.raises(Exception, match="nothing was imported"):
        apply_plan(plan, actor=cast.office)
    assert Enterprise.objects.count() == before


def test_gbk_encoded_csv_with_english_headers(cast):
    data = csv_bytes([EN_HEADER, row(1, cast, name="东湖纺织有限公司"), row(2, cast)], encoding="gbk")
    assert decode_csv(data)[1] == "GBK/GB18030"
    plan = plan_for(data, "gbk.csv", cast.office)
    assert plan.ok and plan.encoding == "GBK/GB18030"
    apply_plan(plan, actor=cast.office)
    assert Enterprise.objects.filter(name="东湖纺织有限公司").exists()


@pytest.mark.parametrize(
    "encoding, label", [("utf-8-sig", "UTF-8 (BOM)"), ("utf-8", "UTF-8"), ("gb18030", "GBK/GB18030")]
)
def test_csv_encodings_are_detected(cast, encoding, label):
    plan = plan_for(
        csv_bytes(
            [ZH_HEADER, row(1, cast, name="𠀀江川食品有限公司" if encoding != "utf-8" else "江川食品有限公司")],
            encoding,
        ),
        "x.csv",
        cast.office,
    )
    assert plan.encoding == label and plan.ok, plan.summary()


def test_unknown_and_missing_columns_are_named(cast):
    header = ["统一社会信用代码", "企业名称", "风险等及", "Industry code", "备注"]
    plan = plan_for(xlsx_bytes([header, [credit_code_for(5), "某公司", "低", "261", ""]]), "cols.xlsx", cast.office)
    assert not plan.ok
    assert plan.unknown_columns == ["C: 风险等及", "E: 备注"]
    assert plan.missing_columns == ["属地区划代码 / Jurisdiction code"]
    assert plan.creates == []


def test_reimport_updates_by_credit_code_without_duplicates_and_records_history(cast):
    rows = [row(n, cast) for n in range(1, 6)]
    apply_plan(plan_for(xlsx_bytes([ZH_HEADER, *rows]), "first.xlsx", cast.office), actor=cast.office)
    rows[2][1] = "东湖导入测试化工有限公司（更名）"
    rows[3][5] = "重大"
    plan = plan_for(xlsx_bytes([ZH_HEADER, *rows]), "second.xlsx", cast.office)
    assert (len(plan.creates), len(plan.updates), plan.unchanged) == (0, 2, 3)
    apply_plan(plan, actor=cast.office)
    assert Enterprise.objects.filter(name__startswith="东湖导入").count() == 5
    renamed = Enterprise.objects.get(credit_code=rows[2][0])
    assert renamed.name == "东湖导入测试化工有限公司（更名）"
    latest = renamed.history.first()
    assert latest.history_type == "~" and latest.history_user == cast.office
    assert "second.xlsx" in latest.history_change_reason
    assert Enterprise.objects.get(credit_code=rows[3][0]).risk_tier == "major"


def test_duplicate_codes_within_the_file_and_other_districts_are_refused(cast):
    rows = [row(1, cast), row(1, cast, name="重复"), row(3, cast, jurisdiction=cast.street_b.code)]
    office_a = cast.official_a  # a leader is not the command office: may register nothing
    plan = plan_for(xlsx_bytes([ZH_HEADER, *rows]), "dup.xlsx", cast.office)
    assert [(e.row, e.column) for e in plan.errors] == [(3, "统一社会信用代码")]
    plan = plan_for(xlsx_bytes([ZH_HEADER, row(4, cast)]), "a.xlsx", office_a)
    assert [(e.row, e.column) for e in plan.errors] == [(2, "属地区划代码")]


def test_existing_enterprise_outside_scope_cannot_be_overwritten(cast):
    from lianqi.accounts.choices import Role
    from lianqi.accounts.tests.factories import MembershipFactory, UserFactory

    office_a = UserFactory(username="office_a")
    MembershipFactory(user=office_a, role=Role.OFFICE, jurisdiction=cast.district_a)
    hijack = row(1, cast, code=cast.enterprise_b.credit_code)
    plan = plan_for(xlsx_bytes([ZH_HEADER, hijack]), "x.xlsx", office_a)
    assert [(e.row, e.column) for e in plan.errors] == [(2, "统一社会信用代码")]


def test_a_failed_write_leaves_the_database_as_it_was(cast, monkeypatch):
    from lianqi.enterprises import importing

    rows = [row(n, cast) for n in range(1, 2501)]
    plan = plan_for(xlsx_bytes([ZH_HEADER, *rows]), "big.xlsx", cast.office)
    before = Enterprise.objects.count()
    calls = {"n": 0}
    real = importing.create_with_history

    def fail_on_second_batch(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("disk full")
        return real(*args, **kwargs)

    monkeypatch.setattr(importing, "create_with_history", fail_on_second_batch)
    with pytest.raises(RuntimeError):
        apply_plan(plan, actor=cast.office)
    assert Enterprise.objects.count() == before
    assert not Enterprise.history.filter(name__startswith="东湖导入").exists()


def test_numbers_stored_as_numbers_in_excel(cast):
    plan = plan_for(
        xlsx_bytes([ZH_HEADER, row(1, cast, code=913501001234567890, jurisdiction=int(cast.street_a.code))]),
        "num.xlsx",
        cast.office,
    )
    assert [(e.row, e.column) for e in plan.errors] == [(2, "统一社会信用代码")]
    assert "number" in plan.errors[0].message


# --- Pages: upload → preview → confirm ------------------------------------------------------


def upload(client, data, name):
    return client.post(reverse("enterprises:import"), {"file": SimpleUploadedFile(name, data)})


def test_upload_preview_confirm_through_the_pages(client, cast):
    client.force_login(cast.office)
    response = upload(client, xlsx_bytes([ZH_HEADER, row(1, cast), row(2, cast)]), "two.xlsx")
    preview = Job.objects.get(kind="enterprises.import_preview")
    assert response.status_code == 302 and response.url == preview.get_absolute_url()
    page = client.get(response.url)
    assert page.status_code == 200 and b"import-confirm" in page.content
    assert not Enterprise.objects.filter(name__startswith="东湖导入").exists()

    confirm = client.post(reverse("enterprises:import_confirm", args=[preview.pk]))
    applied = Job.objects.get(kind="enterprises.import_apply")
    assert confirm.url == applied.get_absolute_url()
    assert applied.status == "done" and applied.result["created"] == 2
    assert Enterprise.objects.filter(name__startswith="东湖导入").count() == 2
    # Confirming again (double click) does not import twice.
    again = client.post(reverse("enterprises:import_confirm", args=[preview.pk]))
    assert again.url == applied.get_absolute_url() and Job.objects.filter(kind="enterprises.import_apply").count() == 1


def test_preview_with_errors_cannot_be_confirmed(client, cast):
    client.force_login(cast.office)
    upload(client, xlsx_bytes([ZH_HEADER, row(1, cast, industry="X")]), "bad.xlsx")
    preview = Job.objects.get(kind="enterprises.import_preview")
    page = client.get(preview.get_absolute_url())
    assert b"import-errors" in page.content and b"import-confirm" not in page.content
    client.post(reverse("enterprises:import_confirm", args=[preview.pk]))
    assert not Job.objects.filter(kind="enterprises.import_apply").exists()


def test_large_files_run_as_background_jobs(client, cast, settings, django_capture_on_commit_callbacks):
    settings.IMPORT_INLINE_MAX_ROWS = 5
    client.force_login(cast.office)
    with django_capture_on_commit_callbacks(execute=True):
        upload(client, csv_bytes([ZH_HEADER, *[row(n, cast) for n in range(1, 11)]]), "ten.csv")
    preview = Job.objects.get(kind="enterprises.import_preview")
    assert preview.status == "done" and preview.result["create"] == 10 and preview.progress_total == 10
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("enterprises:import_confirm", args=[preview.pk]))
    applied = Job.objects.get(kind="enterprises.import_apply")
    assert applied.status == "done" and applied.result["created"] == 10


@pytest.mark.parametrize(
    "name, data, message",
    [
        ("notes.txt", b"hello", "file_type"),
        ("empty.csv", b"", "empty"),
    ],
)
def test_upload_form_field_errors(client, cast, name, data, message):
    client.force_login(cast.office)
    response = upload(client, data, name)
    assert response.status_code == 200
    assert [e.code for e in response.context["form"].errors.as_data()["file"]] == [message]


def test_upload_without_a_file_and_a_damaged_workbook(client, cast):
    client.force_login(cast.office)
    response = client.post(reverse("enterprises:import"), {})
    assert "file" in response.context["form"].errors
    # A damaged or renamed workbook is refused at once by its content, before any job starts.
    response = upload(client, b"PK\x03\x04 not really a zip", "broken.xlsx")
    assert [e.code for e in response.context["form"].errors.as_data()["file"]] == ["file_content"]
    assert not Job.objects.filter(kind="enterprises.import_preview").exists()


def test_template_downloads_in_both_languages_and_reimports(client, cast):
    from openpyxl import load_workbook

    client.force_login(cast.office)
    for language, first in (("zh-hans", "统一社会信用代码 *"), ("en", "Credit code *")):
        response = client.get(reverse("enterprises:import_template"), {"lang": language})
        workbook = load_workbook(io.BytesIO(response.content))
        header = [c.value for c in workbook.worksheets[0][1]]
        assert header[0] == first
        plan = plan_for(xlsx_bytes([header]), "t.xlsx", cast.office)
        assert not plan.unknown_columns and not plan.missing_columns


def test_only_the_office_may_import(client, cast):
    for user in (cast.official_a, cast.inspector_a, cast.enterprise_user, cast.outsider):
        client.force_login(user)
        assert client.get(reverse("enterprises:import")).status_code == 403


def test_history_rows_are_those_simple_history_writes(cast, monkeypatch):
    """``apply_plan`` writes enterprises and "+" history rows itself (COPY on PostgreSQL); the
    rows must be exactly what ``bulk_create_with_history`` writes for the same plan."""
    from django.utils import timezone
    from simple_history.utils import bulk_create_with_history

    fixed = timezone.now()
    monkeypatch.setattr(timezone, "now", lambda: fixed)  # created_at, updated_at and history_date
    header = [*ZH_HEADER, "经营地区划代码", "规模", "状态", "从业人数", "纬度", "经度", "危险化学品", "联系人"]
    rows = [
        row(1, cast) + [cast.street_b.code, "规上", "停产", 120, "34.7521", "113.6253", "是", "王五"],
        row(2, cast, name="东湖导入（测试）食品厂", risk="重大", key="是") + ["", "", "", "", "", "", "", ""],
        row(3, cast, phone="") + ["", "规下", "在营", "1,200", "34.1", "113.2", "否", ""],
    ]
    data = xlsx_bytes([header, *rows])
    office = cast.office

    def written():
        enterprises = Enterprise.objects.filter(name__startswith="东湖导入")
        history = Enterprise.history.filter(name__startswith="东湖导入")
        return (
            [{k: v for k, v in e.items() if k != "id"} for e in enterprises.order_by("credit_code").values()],
            [
                {k: v for k, v in h.items() if k not in ("id", "history_id")}
                for h in history.order_by("credit_code").values()
            ],
            sorted(e.pk for e in enterprises) == sorted(h.id for h in history),
        )

    plan = plan_for(data, "history.xlsx", office)
    assert plan.ok and len(plan.creates) == 3, plan.summary()
    apply_plan(plan, actor=office)
    ours = written()

    Enterprise.objects.filter(name__startswith="东湖导入").delete()
    Enterprise.history.filter(name__startswith="东湖导入").delete()  # after: deleting writes "-" rows
    plan = plan_for(data, "history.xlsx", office)
    bulk_create_with_history(
        plan.creates,
        Enterprise,
        default_user=office,
        default_change_reason="Imported from history.xlsx",
        default_date=fixed,
    )
    reference = written()

    assert ours == reference
    assert len(ours[1]) == 3 and ours[2] is True
    assert {h["history_type"] for h in ours[1]} == {"+"} and {h["history_user_id"] for h in ours[1]} == {office.pk}
    assert {h["history_date"] for h in ours[1]} == {fixed}


@pytest.mark.parametrize("fail_after", [0, 3])
def test_openpyxl_reads_what_the_fast_reader_gives_up_on(cast, monkeypatch, fail_after):
    """Before the first row or part-way through: every row is checked exactly once."""
    from lianqi.core import xlsx_reader

    real = xlsx_reader.iter_first_sheet

    def giving_up(fileobj):
        if not fail_after:
            raise xlsx_reader.UnsupportedWorkbook("something new")
        rows = real(fileobj)

        def generate():
            for number, values in rows:
                if number > fail_after:
                    raise xlsx_reader.UnsupportedWorkbook("something new")
                yield number, values

        return generate()

    monkeypatch.setattr(xlsx_reader, "iter_first_sheet", giving_up)
    rows = [row(n, cast) for n in range(1, 8)]
    rows[4][3] = "9999"  # sheet row 6, read by openpyxl in both cases
    plan = plan_for(xlsx_bytes([ZH_HEADER, *rows]), "fallback.xlsx", cast.office)
    assert plan.rows == 7
    assert [(e.row, e.column) for e in plan.errors] == [(6, "行业代码")]

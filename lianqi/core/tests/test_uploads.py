"""Uploads are judged by content: photos lose their EXIF (GPS above all), renamed and polyglot
files are refused with a message naming the problem, sizes follow the per-kind settings."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from lianqi.core.uploads import clean_document, clean_image, clean_spreadsheet

# 31°13'N 121°28'E: a GPS position that must never reach the disk.
GPS_LATITUDE = (31.0, 13.0, 54.12)
GPS_LONGITUDE = (121.0, 28.0, 30.21)
CAMERA_SERIAL = "SN-LIANQI-4711"
EXE = (
    b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00"
    + b"\x00" * 48
    + b"This program cannot be run in DOS mode"
)
HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"


def photo_with_gps(fmt="JPEG", size=(64, 48), orientation=None) -> bytes:
    """A real photo carrying EXIF with a GPS position and a camera serial number."""
    from PIL import Image

    image = Image.new("RGB", size, (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "LianqiCam"  # Make
    exif[0xA431] = CAMERA_SERIAL  # BodySerialNumber
    if orientation:
        exif[0x0112] = orientation
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2], gps[3], gps[4] = "N", GPS_LATITUDE, "E", GPS_LONGITUDE
    buffer = io.BytesIO()
    image.save(buffer, format=fmt, exif=exif.tobytes())
    return buffer.getvalue()


def assert_no_metadata(data: bytes):
    from PIL import Image

    with Image.open(io.BytesIO(data)) as image:
        exif = image.getexif()
        assert not exif, dict(exif)
        assert not exif.get_ifd(0x8825)
        assert "exif" not in image.info
    assert CAMERA_SERIAL.encode() not in data and b"LianqiCam" not in data
    assert b"Exif\x00\x00" not in data


def upload(name, data, content_type="application/octet-stream"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def xlsx_bytes(rows=(("身份证号", "姓名"),)) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    for row in rows:
        workbook.active.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def zip_bytes(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def codes(callable_, *args, **kwargs) -> list[str]:
    with pytest.raises(ValidationError) as caught:
        callable_(*args, **kwargs)
    return [error.code for error in caught.value.error_list]


# --- Photos ------------------------------------------------------------------------------------
def test_the_test_photo_really_carries_gps():
    from PIL import Image

    data = photo_with_gps()
    with Image.open(io.BytesIO(data)) as image:
        assert image.getexif().get_ifd(0x8825)[2] == (31.0, 13.0, 54.12)
    assert CAMERA_SERIAL.encode() in data


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP"])
def test_photos_are_re_encoded_without_exif(fmt):
    cleaned = clean_image(upload(f"site.{fmt.lower()}", photo_with_gps(fmt), f"image/{fmt.lower()}"))
    assert_no_metadata(cleaned.read())


def test_the_orientation_the_camera_meant_is_kept():
    from PIL import Image

    cleaned = clean_image(upload("portrait.jpg", photo_with_gps(orientation=6)))  # rotated 90°
    with Image.open(cleaned) as image:
        assert image.size == (48, 64)
        assert not image.getexif()


def test_the_stored_inspection_photo_has_no_gps(client, cast, settings, tmp_path):
    from lianqi.checklists.tests.factories import make_version
    from lianqi.inspections.choices import InspectionKind
    from lianqi.inspections.models import Photo
    from lianqi.inspections.services import plan_inspection

    settings.MEDIA_ROOT = tmp_path
    inspection = plan_inspection(
        actor=cast.office,
        kind=InspectionKind.ROUTINE,
        enterprise=cast.enterprise_a,
        template_version=make_version(),
        planned_date=timezone.localdate(),
        inspectors=[cast.inspector_a],
    )
    client.force_login(cast.inspector_a)
    response = client.post(
        f"/inspections/{inspection.pk}/photo/", {"code": "S1.6", "photo": upload("IMG_0001.JPG", photo_with_gps())}
    )
    assert response.status_code == 302
    stored = Photo.objects.get(inspection=inspection)
    assert_no_metadata(stored.image.read())
    # What the browser gets back is the stored, clean file.
    served = b"".join(client.get(reverse("inspections:photo_file", args=[stored.pk])).streaming_content)
    assert_no_metadata(served)


def test_evidence_and_public_report_photos_are_stored_without_gps(client, cast, settings, tmp_path, as_token):
    from lianqi.hazards.models import Hazard
    from lianqi.workflows.models import Attachment

    settings.MEDIA_ROOT = tmp_path
    response = client.post(
        reverse("hazards:public_report"),
        {
            "jurisdiction": cast.street_a.pk,
            "location": "东湖路1号",
            "category": "gas_lpg",
            "description": "燃气泄漏气味",
            "photos": [upload("leak.jpg", photo_with_gps(), "image/jpeg")],
        },
    )
    assert response.status_code == 200
    hazard = Hazard.objects.get(source="public")
    attachment = Attachment.objects.get()
    assert attachment.is_image and attachment.file.name.endswith(".jpg")
    assert_no_metadata(attachment.file.read())
    # The office (who may see it) downloads the clean file through the attachment URL.
    client.force_login(cast.office)
    served = b"".join(client.get(attachment.get_absolute_url()).streaming_content)
    assert_no_metadata(served)
    assert hazard.pk


def test_the_public_report_takes_photos_only(client, cast, settings, tmp_path):
    from lianqi.hazards.models import Hazard

    settings.MEDIA_ROOT = tmp_path
    response = client.post(
        reverse("hazards:public_report"),
        {
            "jurisdiction": cast.street_a.pk,
            "location": "东湖路1号",
            "category": "gas_lpg",
            "description": "燃气泄漏气味",
            "photos": [upload("report.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf")],
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    assert "“report.pdf” is not an image" in response.content.decode()
    assert not Hazard.objects.exists()


@pytest.mark.parametrize(
    "name, data, code",
    [
        ("setup.jpg", EXE, "not_an_image"),  # an executable renamed
        ("page.jpg", HTML, "not_an_image"),  # HTML renamed
        ("page.png", b"\x89PNG\r\n\x1a\n" + HTML, "not_an_image"),  # a PNG signature in front of HTML
        ("logo.jpg", b"%PDF-1.4\n", "not_an_image"),
    ],
)
def test_renamed_files_are_not_images(name, data, code):
    assert codes(clean_image, upload(name, data, "image/jpeg")) == [code]


def test_a_polyglot_photo_loses_what_it_carried():
    """A real JPEG with HTML and a zip appended is accepted as the photo it also is; the stored
    file holds the pixels only."""
    payload = HTML + zip_bytes({"payload.exe": EXE})
    cleaned = clean_image(upload("holiday.jpg", photo_with_gps() + payload)).read()
    assert b"<script>" not in cleaned and b"payload.exe" not in cleaned and b"PK\x03\x04" not in cleaned
    assert_no_metadata(cleaned)


def test_a_pixel_bomb_is_refused_before_decoding(settings):
    from PIL import Image

    settings.IMAGE_MAX_PIXELS = 1_000_000
    buffer = io.BytesIO()
    Image.new("1", (2000, 1000)).save(buffer, format="PNG")  # tiny file, two megapixels
    assert len(buffer.getvalue()) < 10_000
    with pytest.raises(ValidationError) as caught:
        clean_image(upload("bomb.png", buffer.getvalue()))
    assert caught.value.code == "too_many_pixels"
    assert "2000 × 1000" in caught.value.messages[0]


def test_image_size_follows_the_setting(settings):
    settings.MAX_UPLOAD_MB = 1
    big = photo_with_gps(size=(10, 10)) + b"\x00" * (1024 * 1024)
    assert codes(clean_image, upload("big.jpg", big)) == ["too_large"]
    assert codes(clean_image, upload("empty.jpg", b"")) == ["empty"]


# --- Documents ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "name, data",
    [
        ("report.pdf", b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n%%EOF\n"),
        ("notes.txt", "整改完成，已复查。\n".encode()),
        ("notes-gbk.txt", "整改完成，已复查。\n".encode("gbk")),
        ("list.csv", b"name,count\nmasks,20\n"),
        ("list-utf16.csv", "名称,数量\n口罩,20\n".encode("utf-16")),  # with its byte-order mark
        ("long.txt", ("a" + "整改" * 40_000).encode("gb18030")),  # the 64 kB sample ends inside a character
        ("long-utf8.txt", ("整改" * 40_000).encode()),
        ("old.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504),
        ("sheet.xlsx", xlsx_bytes()),
        ("letter.docx", zip_bytes({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"})),
    ],
)
def test_genuine_documents_pass_with_our_content_type(name, data):
    cleaned = clean_document(upload(name, data, "image/png"))  # the browser's claim is ignored
    assert not cleaned.content_type.startswith("image/")
    assert cleaned.read() == data


@pytest.mark.parametrize(
    "name, data, code",
    [
        ("invoice.pdf", EXE, "file_content"),
        ("invoice.pdf", HTML, "file_content"),
        ("sheet.xlsx", EXE, "file_content"),
        ("sheet.xlsx", HTML, "file_content"),
        ("sheet.xlsx", zip_bytes({"payload.exe": EXE}), "file_content"),  # a zip, but no workbook
        ("letter.docx", xlsx_bytes(), "file_content"),  # a workbook renamed .docx
        ("old.doc", HTML, "file_content"),
        ("notes.txt", EXE, "file_content"),  # binary: NUL bytes
        ("notes.txt", bytes(range(128, 256)) * 4, "file_content"),  # neither UTF-8 nor GB 18030
        ("photo.jpg", HTML, "not_an_image"),
        ("payload.exe", EXE, "file_type"),
        ("page.html", HTML, "file_type"),
        ("vector.svg", b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>", "file_type"),
    ],
)
def test_renamed_and_polyglot_documents_are_refused(name, data, code):
    assert codes(clean_document, upload(name, data)) == [code]


def test_the_message_names_the_file_and_the_problem(english):
    with pytest.raises(ValidationError) as caught:
        clean_document(upload("invoice.pdf", HTML))
    assert caught.value.messages == ["“invoice.pdf” is not a real .pdf file: its content does not match its name."]


def test_a_zip_bomb_workbook_is_refused_before_it_is_read(settings):
    settings.MAX_IMPORT_MB = 1
    bomb = zip_bytes(
        {
            "[Content_Types].xml": b"<Types/>",
            "xl/workbook.xml": b"<workbook/>",
            "xl/worksheets/sheet1.xml": b"<row/>" * (4 * 1024 * 1024),  # 24 MB unpacked, ~25 kB packed
        }
    )
    assert len(bomb) < 100_000
    assert codes(clean_spreadsheet, upload("bomb.xlsx", bomb)) == ["zip_bomb"]
    assert clean_spreadsheet(upload("ok.xlsx", xlsx_bytes()))


def test_spreadsheet_size_follows_the_import_setting(settings):
    settings.MAX_IMPORT_MB = 1
    big = b"a,b\n" * (300 * 1024)
    assert codes(clean_spreadsheet, upload("big.csv", big)) == ["too_large"]
    settings.MAX_IMPORT_MB = 2
    assert clean_spreadsheet(upload("big.csv", big))
    assert codes(clean_spreadsheet, upload("list.csv", b"a,b\n"), extensions=(".xlsx",)) == ["file_type"]


# --- Entry points ------------------------------------------------------------------------------
def test_workflow_evidence_refuses_a_renamed_file_and_trusts_no_content_type(cast, as_token, settings, tmp_path):
    from lianqi.appeals.models import Appeal
    from lianqi.workflows.models import Attachment

    settings.MEDIA_ROOT = tmp_path
    api = as_token(cast.enterprise_user)
    base = {
        "title": "原料短缺",
        "description": "缺少原料",
        "appeal_type": "raw_materials",
        "enterprise": cast.enterprise_a.pk,
    }
    bad = api.post(
        "/api/v1/appeals/",
        {**base, "attachments": [upload("contract.pdf", HTML, "application/pdf")]},
        format="multipart",
    )
    assert bad.status_code == 400, bad.content
    assert "contract.pdf" in str(bad.json())
    assert not Appeal.objects.exists() and not Attachment.objects.exists()
    # A real PDF that claims to be an image is stored as a document (downloaded, never inline).
    good = api.post(
        "/api/v1/appeals/",
        {**base, "attachments": [upload("contract.pdf", b"%PDF-1.4\n%%EOF\n", "image/png")]},
        format="multipart",
    )
    assert good.status_code == 201, good.content
    attachment = Attachment.objects.get()
    assert not attachment.is_image
    response = api.get(attachment.get_absolute_url())
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment")


def test_registry_import_refuses_a_renamed_workbook(client, cast, english):
    from lianqi.jobs.models import Job

    client.force_login(cast.office)
    response = client.post(reverse("enterprises:import"), {"file": upload("企业名录.xlsx", HTML)})
    assert response.status_code == 200
    errors = response.context["form"].errors.as_data()["file"]
    assert [e.code for e in errors] == ["file_content"]
    assert "is not a real .xlsx file" in errors[0].messages[0]
    assert not Job.objects.exists()


def test_key_person_list_refuses_a_renamed_file_on_page_and_api(client, cast, as_token, english):
    from lianqi.checkpoints.models import KeyPersonList

    api = as_token(cast.office)
    response = api.post(
        "/api/v1/key-person-lists/",
        {"name": "名单", "jurisdiction": cast.city.pk, "file": upload("名单.xlsx", EXE)},
        format="multipart",
    )
    assert response.status_code == 400
    assert "is not a real .xlsx file" in str(response.json())
    client.force_login(cast.office)
    response = client.post(
        reverse("checkpoints:key_person_lists"),
        {"name": "名单", "jurisdiction": cast.city.pk, "file": upload("名单.xlsx", zip_bytes({"a.txt": b"x"}))},
    )
    assert "is not a real .xlsx file" in response.content.decode()
    assert not KeyPersonList.objects.exists()


def test_checklist_template_import_reads_no_more_than_its_limit(client, cast, english):
    from lianqi.checklists.transfer import MAX_IMPORT_BYTES

    client.force_login(cast.office)
    huge = b"[" + b"0," * (MAX_IMPORT_BYTES // 2 + 10) + b"0]"
    response = client.post(reverse("checklists:import"), {"file": upload("t.json", huge)})
    assert response.status_code == 400
    assert "larger than 2 MB" in response.content.decode()


# --- Request bodies ----------------------------------------------------------------------------
def test_a_json_body_above_the_limit_is_refused_before_it_is_read(cast, as_token, settings, english):
    from lianqi.appeals.models import Appeal

    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 20_000
    api = as_token(cast.enterprise_user)
    body = {"title": "原料短缺", "appeal_type": "raw_materials", "enterprise": cast.enterprise_a.pk}
    response = api.post("/api/v1/appeals/", {**body, "description": "缺" * 10_000}, format="json")  # 30 kB
    assert response.status_code == 413
    assert response.json() == {"code": "too_large", "message": "The request body is too large."}
    assert not Appeal.objects.exists()
    assert api.post("/api/v1/appeals/", {**body, "description": "缺" * 1_000}, format="json").status_code == 201


def test_a_form_body_above_the_limit_is_refused(client, cast, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 20_000
    client.force_login(cast.office)
    response = client.post("/visits/import/", {"text": "报告" * 10_000})
    assert response.status_code == 400

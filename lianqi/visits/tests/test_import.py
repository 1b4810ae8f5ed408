"""Import robustness through the page and the API: each bad input gives a clear result, no
crash, and nothing is stored until the user saves."""

import io
import time
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from lianqi.inspections.models import Inspection, Requirement
from lianqi.visits import drafts
from lianqi.visits.models import VisitOrganisation, VisitReport

from .conftest import report

pytestmark = pytest.mark.django_db

NO_VISIT = "The weather in spring is mild. Markets opened on time and the river is calm.\n" * 20
HTML_WITH_SCRIPTS = (
    "<!doctype html><html><head><title>x</title><script>alert('pwned'); var leaders='Mayor Evil';</script>"
    "<style>body{color:red}</style></head><body><nav>Home | News</nav><article><h1>"
    + report("004").replace("\n", "</p><p>")
    + "</h1></article><script>document.write('tracking')</script></body></html>"
)


def nothing_stored():
    return not (
        Inspection.objects.exists()
        or VisitReport.objects.exists()
        or VisitOrganisation.objects.exists()
        or Requirement.objects.exists()
    )


def zip_bytes(members: dict) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def gbk_report() -> bytes:
    return report("100").encode("gbk", errors="replace")  # the © of the footer is not in GBK


# --- Through the page ----------------------------------------------------------------------------
@pytest.fixture
def office(client, cast):
    client.force_login(cast.office)
    return client


@pytest.mark.parametrize(
    ("text", "code"),
    [("", "empty"), ("   \n\t ", "empty"), (NO_VISIT, "no_visit_found")],
    ids=["empty", "blank", "no-visit"],
)
def test_page_paste_without_a_visit_says_so(office, text, code):
    response = office.post("/visits/import/", {"text": text})
    assert response.status_code == 400
    html = response.content.decode()
    assert f'data-code="{code}"' in html
    assert "Nothing was saved" in html or "没有保存" in html or 'data-testid="import-error"' in html
    assert nothing_stored()


def test_page_paste_5_mb_is_read_quickly(office):
    text = report("004") + ("\nPadding line of a very long page that goes on and on. " * 95_000)
    assert len(text.encode()) > 5_000_000
    start = time.perf_counter()
    response = office.post("/visits/import/", {"text": text})
    assert time.perf_counter() - start < 10
    assert response.status_code == 302
    assert nothing_stored()
    page = office.get(response.url)
    assert page.status_code == 200
    assert "He Zhongwei" in page.content.decode()


def test_page_paste_5_mb_without_visit(office):
    response = office.post("/visits/import/", {"text": "lorem ipsum dolor sit amet " * 200_000})
    assert response.status_code == 400
    assert 'data-code="no_visit_found"' in response.content.decode()
    assert nothing_stored()


def test_page_binary_upload_is_refused_clearly(office):
    garbage = bytes(range(256)) * 400
    response = office.post("/visits/import/", {"files": [SimpleUploadedFile("report.txt", garbage)]}, follow=True)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-code="unreadable_input"' in html
    assert nothing_stored()


def test_page_gbk_upload_is_decoded(office):
    response = office.post("/visits/import/", {"files": [SimpleUploadedFile("report.txt", gbk_report())]})
    assert response.status_code == 302
    assert "/visits/drafts/" in response.url
    html = office.get(response.url).content.decode()
    assert "王海涛" in html and "华盛化工有限公司" in html
    assert nothing_stored()


def test_page_html_with_scripts_keeps_no_script(office):
    upload = SimpleUploadedFile("page.html", HTML_WITH_SCRIPTS.encode())
    response = office.post("/visits/import/", {"files": [upload]})
    assert response.status_code == 302
    html = office.get(response.url).content.decode()
    assert "He Zhongwei" in html
    assert "pwned" not in html and "tracking" not in html and "Mayor Evil" not in html
    assert nothing_stored()


def test_page_zip_with_one_bad_member(office):
    archive = zip_bytes(
        {
            "a/004.txt": report("004"),
            "a/003.txt": report("003"),
            "bad.txt": bytes(range(256)) * 100,
            "notes.pdf": b"%PDF-1.4",
            "empty.txt": b"",
        }
    )
    response = office.post("/visits/import/", {"files": [SimpleUploadedFile("reports.zip", archive)]}, follow=True)
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count('data-code="ok"') == 2
    assert 'data-code="unreadable_input"' in html
    assert 'data-code="file_type"' in html
    assert 'data-code="no_visit_found"' in html
    assert nothing_stored()


def test_page_damaged_zip(office):
    response = office.post(
        "/visits/import/", {"files": [SimpleUploadedFile("x.zip", b"PK\x03\x04 not really")]}, follow=True
    )
    assert 'data-code="bad_zip"' in response.content.decode()
    assert nothing_stored()


def test_page_many_files_make_a_batch(office):
    files = [SimpleUploadedFile(f"r{i}.txt", report(p).encode()) for i, p in enumerate(["000", "001", "003"])]
    response = office.post("/visits/import/", {"files": files}, follow=True)
    assert response.content.decode().count('data-code="ok"') == 3
    assert nothing_stored()


def test_draft_belongs_to_its_importer(client, cast):
    result = drafts.import_text(report("004"), user=cast.office)
    client.force_login(cast.official_a)
    assert client.get(f"/visits/drafts/{result.draft}/").status_code == 404
    client.force_login(cast.office)
    assert client.get(f"/visits/drafts/{result.draft}/").status_code == 200


def test_discard_leaves_nothing(office, cast):
    result = drafts.import_text(report("004"), user=cast.office)
    office.post(f"/visits/drafts/{result.draft}/discard/")
    assert drafts.get_draft(result.draft, cast.office) is None
    assert office.get(f"/visits/drafts/{result.draft}/").status_code == 404
    assert nothing_stored()


@pytest.mark.parametrize("who", ["dept_a", "enterprise_user", "outsider"])
def test_only_leaders_and_offices_import(client, cast, who):
    client.force_login(getattr(cast, who))
    assert client.get("/visits/import/").status_code == 403
    assert client.post("/visits/import/", {"text": report("004")}).status_code == 403
    assert nothing_stored()


# --- Through the API -----------------------------------------------------------------------------
URL = "/api/v1/visits/extract"


@pytest.fixture
def api(cast, as_token):
    return as_token(cast.office)


def test_api_text_in_draft_out(api):
    response = api.post(URL, {"text": report("004")}, format="json")
    assert response.status_code == 200
    draft = response.json()["draft"]
    assert draft["leaders"][0]["name"] == "He Zhongwei"
    assert draft["date"]["iso"] == "2020-02-25"
    assert draft["requirements"]
    assert {"organisations", "leaders", "accompanying"} <= set(draft["matches"])
    assert all(draft["text"][s["start"] : s["end"]] == s["text"] for s in draft["spans"])
    assert api.post(URL + "/", {"text": report("004")}, format="json").status_code == 200
    assert nothing_stored()


@pytest.mark.parametrize(
    "text", ["", "   ", NO_VISIT, "lorem ipsum " * 450_000], ids=["empty", "blank", "no-visit", "5MB"]
)
def test_api_no_visit_is_422(api, text):
    response = api.post(URL, {"text": text}, format="json")
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "no_visit_found"
    assert body["message"]
    assert nothing_stored()


def test_api_5_mb_report(api):
    text = report("003") + "\n" + ("页面底部的导航链接与版权声明。\n" * 200_000)
    response = api.post(URL, {"text": text}, format="json")
    assert response.status_code == 200
    assert response.json()["draft"]["leaders"][0]["name"] == "朱是西"
    assert nothing_stored()


def test_api_files_each_get_a_result(api):
    archive = zip_bytes({"004.txt": report("004"), "garbage.txt": bytes(range(256)) * 50})
    files = [
        SimpleUploadedFile("reports.zip", archive),
        SimpleUploadedFile("gbk.txt", gbk_report()),
        SimpleUploadedFile("page.html", HTML_WITH_SCRIPTS.encode()),
        SimpleUploadedFile("bin.docx", b"\x00\x01garbage"),
    ]
    response = api.post(URL, {"files": files}, format="multipart")
    assert response.status_code == 200
    results = {r["file"]: r for r in response.json()["results"]}
    assert results["reports.zip/004.txt"]["code"] == "ok"
    assert results["reports.zip/garbage.txt"]["code"] == "unreadable_input"
    assert results["gbk.txt"]["draft"]["leaders"][0]["name"] == "王海涛"
    page = results["page.html"]["draft"]
    assert "pwned" not in page["text"] and "tracking" not in page["text"]
    assert results["bin.docx"]["code"] == "unreadable_input"
    assert nothing_stored()


def test_api_extract_needs_an_importer(cast, as_token):
    assert as_token(cast.dept_a).post(URL, {"text": report("004")}, format="json").status_code == 403
    from rest_framework.test import APIClient

    assert APIClient().post(URL, {"text": report("004")}, format="json").status_code in (401, 403)

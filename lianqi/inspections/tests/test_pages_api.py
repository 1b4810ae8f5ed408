import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from lianqi.inspections import services
from lianqi.inspections.choices import InspectionKind, InspectionStatus
from lianqi.inspections.models import Answer, Finding, Inspection, Photo

from .conftest import png_bytes

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture(autouse=True)
def english(cast):
    """Messages are checked in English (the source language)."""
    from lianqi.accounts.models import User

    User.objects.update(language="en")


def complete(inspection, user):
    for code, value in {"S1.1": "no", "S1.3": 3}.items():
        services.save_answer(inspection.pk, code, value, actor=user)
    services.add_photo(inspection.pk, "S1.6", SimpleUploadedFile("a.png", png_bytes()), actor=user)


# --- Scoping -----------------------------------------------------------------------------------
def test_sibling_district_gets_404_on_page_and_api(client, cast, inspection, as_token):
    client.force_login(cast.official_b)
    assert client.get(inspection.get_absolute_url()).status_code == 404
    assert client.post(f"/inspections/{inspection.pk}/answer/", {"code": "S1.1", "value": "yes"}).status_code == 404
    api = as_token(cast.official_b)
    assert api.get(f"/api/v1/inspections/{inspection.pk}/").status_code == 404
    assert api.post(f"/api/v1/inspections/{inspection.pk}/submit/").status_code == 404
    ids = [row["id"] for row in api.get("/api/v1/inspections/").json()["results"]]
    assert inspection.pk not in ids


def test_read_only_roles_get_403_on_change(client, cast, inspection, as_token):
    cast.enterprise_a.sector_department = cast.department_a  # department A supervises enterprise A
    cast.enterprise_a.save()
    for user in (cast.official_a, cast.dept_a):
        client.force_login(user)
        assert client.get(inspection.get_absolute_url()).status_code == 200
        assert client.post(f"/inspections/{inspection.pk}/answer/", {"code": "S1.1", "value": "yes"}).status_code == 403
        assert client.post(f"/inspections/{inspection.pk}/cancel/", {"reason": "x"}).status_code == 403
        api = as_token(user)
        assert (
            api.post(f"/api/v1/inspections/{inspection.pk}/answers/", {"answers": []}, format="json").status_code == 403
        )
    # The office may see and plan but does not fill in others' checklists.
    client.force_login(cast.office)
    assert client.get(f"/inspections/{inspection.pk}/conduct/").status_code == 403
    assert not Answer.objects.exists()


def test_enterprise_user_sees_only_own_enterprise(client, cast, inspection, inspection_b, as_token):
    api = as_token(cast.enterprise_user)
    ids = {row["id"] for row in api.get("/api/v1/inspections/").json()["results"]}
    assert ids == {inspection.pk}
    client.force_login(cast.enterprise_user)
    assert client.get(inspection_b.get_absolute_url()).status_code == 404
    listing = client.get("/inspections/").content.decode()
    assert cast.enterprise_a.name in listing and cast.enterprise_b.name not in listing


def test_outsider_sees_nothing(client, cast, inspection, as_token):
    assert as_token(cast.outsider).get("/api/v1/inspections/").json()["count"] == 0
    client.force_login(cast.outsider)
    assert client.get(inspection.get_absolute_url()).status_code == 404


def test_enterprise_does_its_own_self_inspection(client, cast, version):
    client.force_login(cast.enterprise_user)
    response = client.post("/inspections/self/", {"template": version.template_id})
    inspection = Inspection.objects.get(kind=InspectionKind.SELF)
    assert response.status_code == 302 and response["Location"].endswith(f"/inspections/{inspection.pk}/conduct/")
    assert (
        client.post(f"/inspections/{inspection.pk}/answer/", {"code": "S1.1", "value": "no"}, **HTMX).status_code == 200
    )
    assert Answer.objects.get(inspection=inspection).value == "no"
    home = client.get("/").content.decode()
    assert 'data-testid="card-self-inspection"' in home


def test_list_query_count_does_not_grow_with_rows(client, cast, version):
    for _n in range(3):
        services.plan_inspection(
            actor=cast.office,
            kind=InspectionKind.ROUTINE,
            enterprise=cast.enterprise_a,
            template_version=version,
            planned_date=timezone.localdate(),
            inspectors=[cast.inspector_a],
            leaders=[cast.official_a],
        )
    client.force_login(cast.office)
    client.get("/inspections/")  # warm caches (content types, sessions)
    with CaptureQueriesContext(connection) as few:
        assert client.get("/inspections/").status_code == 200
    for _n in range(12):
        services.plan_inspection(
            actor=cast.office,
            kind=InspectionKind.ROUTINE,
            enterprise=cast.enterprise_b,
            template_version=version,
            planned_date=timezone.localdate(),
            inspectors=[cast.official_b],
        )
    with CaptureQueriesContext(connection) as many:
        assert client.get("/inspections/").status_code == 200
    assert len(many) == len(few) <= 14, [q["sql"] for q in many.captured_queries]


# --- The phone form --------------------------------------------------------------------------
def test_autosave_returns_the_item_and_a_bad_number_shows_an_error_without_saving(client, cast, inspection):
    client.force_login(cast.inspector_a)
    page = client.get(f"/inspections/{inspection.pk}/conduct/").content.decode()
    assert 'capture="environment"' in page and 'accept="image/*"' in page
    response = client.post(
        f"/inspections/{inspection.pk}/answer/", {"code": "S1.3", "value": "4", "note": "三间"}, **HTMX
    )
    assert response.status_code == 200 and 'data-testid="saved-S1.3"' in response.content.decode()
    response = client.post(f"/inspections/{inspection.pk}/answer/", {"code": "S1.3", "value": "80"}, **HTMX)
    body = response.content.decode()
    assert 'data-testid="error-S1.3"' in body and "0–50" in body and 'value="80"' in body
    answer = Answer.objects.get(inspection=inspection, item_code="S1.3")
    assert answer.value == 4 and answer.note == "三间"


def test_photo_upload_on_the_page_checks_content_and_size(client, cast, inspection, settings):
    client.force_login(cast.inspector_a)
    url = f"/inspections/{inspection.pk}/photo/"
    fake = SimpleUploadedFile("fake.jpg", b"GIF89 nope, a text file", content_type="image/jpeg")
    body = client.post(url, {"code": "S1.6", "photo": fake}, **HTMX).content.decode()
    assert "is not an image" in body
    settings.MAX_UPLOAD_MB = 1
    big = SimpleUploadedFile("big.jpg", b"\xff\xd8" + b"1" * (1024 * 1024 + 1), content_type="image/jpeg")
    body = client.post(url, {"code": "S1.6", "photo": big}, **HTMX).content.decode()
    assert "the limit is 1 MB" in body
    assert not Photo.objects.exists()
    good = SimpleUploadedFile("ok.png", png_bytes(), content_type="image/png")
    body = client.post(url, {"code": "S1.6", "photo": good}, **HTMX).content.decode()
    assert 'data-testid="photo-S1.6"' in body and Photo.objects.count() == 1


def test_submit_page_lists_what_is_missing_then_submits_once(client, cast, inspection):
    client.force_login(cast.inspector_a)
    response = client.post(f"/inspections/{inspection.pk}/submit/", follow=True)
    assert "S1.1 is not answered" in response.content.decode()
    complete(inspection, cast.inspector_a)
    services.save_answer(inspection.pk, "S1.3", 7, actor=cast.inspector_a)
    client.post(f"/inspections/{inspection.pk}/submit/")
    response = client.post(f"/inspections/{inspection.pk}/submit/", follow=True)
    assert "already submitted" in response.content.decode()
    assert Finding.objects.filter(inspection=inspection).count() == 1
    inspection.refresh_from_db()
    assert inspection.status == InspectionStatus.SUBMITTED


def test_record_saves_sites_and_requirements(client, cast, inspection):
    client.force_login(cast.inspector_a)
    client.post(
        f"/inspections/{inspection.pk}/record/",
        {
            "sites_inspected": "调度室\n焙烧车间",
            "requirements": "落实防护措施\n\n储备防疫物资",
            "summary": "",
            "accompanied_by": "李国谦",
        },
        **HTMX,
    )
    inspection.refresh_from_db()
    assert inspection.sites_list() == ["调度室", "焙烧车间"]
    assert [r.text for r in inspection.requirements.all()] == ["落实防护措施", "储备防疫物资"]


# --- API -------------------------------------------------------------------------------------
def test_api_answers_all_or_nothing_photo_and_idempotent_submit(cast, inspection, as_token, settings):
    api = as_token(cast.inspector_a)
    url = f"/api/v1/inspections/{inspection.pk}"
    bad = api.post(
        f"{url}/answers/", {"answers": [{"item": "S1.1", "value": "no"}, {"item": "S1.3", "value": 500}]}, format="json"
    )
    assert bad.status_code == 400 and bad.json()["errors"]["S1.3"][0]["code"] == "out_of_range"
    assert not Answer.objects.exists()
    ok = api.post(
        f"{url}/answers/", {"answers": [{"item": "S1.1", "value": "no"}, {"item": "S1.3", "value": 9}]}, format="json"
    )
    assert ok.status_code == 200 and len(ok.json()) == 2
    fake = SimpleUploadedFile("x.png", b"not really a png", content_type="image/png")
    response = api.post(f"{url}/photos/", {"item": "S1.6", "photo": fake}, format="multipart")
    assert response.status_code == 400 and response.json()["errors"]["photo"][0]["code"] == "not_an_image"
    settings.MAX_UPLOAD_MB = 1
    big = SimpleUploadedFile("big.png", b"\x89PNG" + b"0" * (1024 * 1024 + 5), content_type="image/png")
    response = api.post(f"{url}/photos/", {"item": "S1.6", "photo": big}, format="multipart")
    assert response.status_code == 400 and response.json()["errors"]["photo"][0]["code"] == "too_large"
    missing = api.post(f"{url}/submit/")
    assert missing.status_code == 400 and "S1.6" in missing.json()["errors"]["answers"][0]["message"]
    good = SimpleUploadedFile("ok.png", png_bytes(), content_type="image/png")
    assert api.post(f"{url}/photos/", {"item": "S1.6", "photo": good}, format="multipart").status_code == 201
    first = api.post(f"{url}/submit/").json()
    second = api.post(f"{url}/submit/").json()
    assert first["status"] == "submitted" and not first["already_submitted"] and second["already_submitted"]
    assert [f["item_code"] for f in second["findings"]] == ["S1.3"]


def test_api_plans_an_inspection(cast, version, as_token):
    api = as_token(cast.office)
    body = {
        "kind": "routine",
        "template": version.template.code,
        "enterprise": cast.enterprise_a.pk,
        "planned_date": str(timezone.localdate()),
        "inspectors": [cast.inspector_a.pk],
    }
    response = api.post("/api/v1/inspections/", body, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["template"] == {"id": version.template_id, "code": "test-sample", "version": 1}
    assert as_token(cast.inspector_a).post("/api/v1/inspections/", body, format="json").status_code == 403


def test_calendar_due_and_home_widgets(client, cast, inspection):
    Inspection.objects.filter(pk=inspection.pk).update(
        planned_date=timezone.localdate() - timezone.timedelta(days=3),
        due_date=timezone.localdate() - timezone.timedelta(days=1),
    )
    client.force_login(cast.inspector_a)
    home = client.get("/").content.decode()
    assert 'data-testid="today-inspection"' in home and cast.enterprise_a.name in home
    client.force_login(cast.office)
    assert cast.enterprise_a.name in client.get("/inspections/calendar/").content.decode()
    due = client.get("/inspections/due/").content.decode()
    assert "inspector_a" in due or str(cast.inspector_a) in due
    assert client.get("/inspections/?overdue=true").context["object_list"].count() == 1
    export = client.get("/inspections/?export=csv")
    assert export.status_code == 200


def test_photos_are_served_only_to_those_who_see_the_inspection(client, cast, inspection):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from lianqi.inspections.models import Photo
    from lianqi.inspections.tests.conftest import png_bytes

    photo = Photo.objects.create(
        inspection=inspection,
        item_code="S1.1",
        image=SimpleUploadedFile("p.png", png_bytes(), content_type="image/png"),
    )
    client.force_login(cast.inspector_a)
    response = client.get(photo.get_absolute_url())
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    client.force_login(cast.official_b)
    assert client.get(photo.get_absolute_url()).status_code == 404

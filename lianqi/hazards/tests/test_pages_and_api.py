import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from lianqi.hazards.choices import HazardStatus
from lianqi.hazards.models import Hazard

pytestmark = pytest.mark.django_db


def future(days=5):
    return (timezone.localdate() + datetime.timedelta(days=days)).isoformat()


# --- scoping: page, API, export ----------------------------------------------------------


def test_ledger_detail_and_export_are_scoped(client, cast, hazard):
    client.force_login(cast.official_b)
    assert client.get(reverse("hazards:detail", args=[hazard.pk])).status_code == 404
    assert hazard.number not in client.get(reverse("hazards:ledger")).content.decode()
    export = client.get(reverse("hazards:ledger"), {"export": "csv"})
    assert hazard.number not in b"".join(export.streaming_content).decode("utf-8-sig")
    client.force_login(cast.official_a)
    assert client.get(reverse("hazards:detail", args=[hazard.pk])).status_code == 200
    export = client.get(reverse("hazards:ledger"), {"export": "xlsx"})
    from openpyxl import load_workbook

    rows = list(load_workbook(io.BytesIO(b"".join(export.streaming_content))).active.iter_rows(values_only=True))
    assert rows[1][0] == hazard.number


def test_api_is_scoped_and_sibling_gets_404(as_token, cast, hazard):
    assert as_token(cast.official_b).get(f"/api/v1/hazards/{hazard.pk}/").status_code == 404
    numbers = [h["number"] for h in as_token(cast.official_a).get("/api/v1/hazards/").json()["results"]]
    assert numbers == [hazard.number]
    mine = as_token(cast.enterprise_user).get("/api/v1/hazards/").json()["results"]
    assert [h["number"] for h in mine] == [hazard.number]


def test_enterprise_sees_only_its_own_hazards(cast, hazard):
    from lianqi.hazards import services

    services.report_hazard(actor=cast.admin, enterprise=cast.enterprise_b, category="fire", description="B")
    assert list(Hazard.objects.visible_to(cast.enterprise_user)) == [hazard]


def test_overdue_filter_and_rates(client, cast, in_rectification):
    Hazard.objects.filter(pk=in_rectification.pk).update(deadline=timezone.localdate() - datetime.timedelta(days=2))
    client.force_login(cast.office)
    page = client.get(reverse("hazards:ledger"), {"overdue": "true"})
    assert page.context["rates"]["overdue"] == 1
    assert "lq-overdue" in page.content.decode()
    assert client.get(reverse("hazards:ledger"), {"overdue": "false"}).context["rates"]["total"] == 0


# --- workflow through the page ----------------------------------------------------------


def test_order_through_the_page_and_a_failed_step_keeps_the_database(client, cast, hazard):
    client.force_login(cast.inspector_a)
    url = reverse("hazards:act", args=[hazard.pk, "issue_order"])
    bad = client.post(url, {"issue_order-version": hazard.version}, HTTP_ACCEPT_LANGUAGE="en")
    assert bad.status_code == 400
    assert "deadline" in bad.context["form"].errors
    assert Hazard.objects.get(pk=hazard.pk).status == HazardStatus.REPORTED
    ok = client.post(url, {"issue_order-version": hazard.version, "issue_order-deadline": future()})
    assert ok.status_code == 302
    assert Hazard.objects.get(pk=hazard.pk).status == HazardStatus.RECTIFYING


def test_stale_page_gets_a_reload_message(client, cast, hazard):
    client.force_login(cast.inspector_a)
    url = reverse("hazards:act", args=[hazard.pk, "issue_order"])
    response = client.post(url, {"issue_order-version": hazard.version - 1, "issue_order-deadline": future()})
    assert response.status_code == 400
    assert any(e.code == "stale" for e in response.context["form"].non_field_errors().as_data())


def test_leader_gets_403_on_a_step(client, cast, hazard):
    client.force_login(cast.official_a)
    response = client.post(
        reverse("hazards:act", args=[hazard.pk, "issue_order"]),
        {"issue_order-version": hazard.version, "issue_order-deadline": future()},
    )
    assert response.status_code == 403


def test_report_form_rejects_bad_input_field_by_field(client, cast):
    client.force_login(cast.inspector_a)
    response = client.post(reverse("hazards:report"), {"category": "nonsense"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert {"enterprise", "category", "description"} <= set(response.context["form"].errors)
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("x.png", b"not a picture", content_type="image/png")
    response = client.post(
        reverse("hazards:report"),
        {"enterprise": cast.enterprise_a.pk, "category": "fire", "description": "x", "photos": [fake]},
    )
    assert response.status_code == 400
    assert not Hazard.objects.exists()


def test_public_report_form_needs_no_login_and_is_rate_limited(client, cast):
    data = {
        "jurisdiction": cast.street_a.pk,
        "location": "东湖路1号",
        "category": "gas_lpg",
        "description": "燃气泄漏气味",
    }
    response = client.post(reverse("hazards:public_report"), data)
    assert response.status_code == 200 and "YH-" in response.content.decode()
    assert Hazard.objects.filter(source="public").count() == 1
    for _ in range(6):
        response = client.post(reverse("hazards:public_report"), data)
    assert response.status_code == 429
    assert Hazard.objects.filter(source="public").count() == 5
    bad = client.post(reverse("hazards:public_report"), {"location": ""})
    assert bad.status_code in (400, 429)


# --- API transitions ---------------------------------------------------------------------


def test_api_transitions_with_errors_as_json(as_token, cast, hazard, photo):
    inspector = as_token(cast.inspector_a)
    wrong = inspector.post(f"/api/v1/hazards/{hazard.pk}/transitions/accept/", {"note": "x"}, format="json")
    assert wrong.status_code == 400
    assert wrong.json()["errors"]["non_field_errors"][0]["code"] == "wrong_state"
    missing = inspector.post(f"/api/v1/hazards/{hazard.pk}/transitions/issue_order/", {}, format="json")
    assert missing.status_code == 400 and "deadline" in missing.json()["errors"]
    unknown = inspector.post(f"/api/v1/hazards/{hazard.pk}/transitions/explode/", {}, format="json")
    assert unknown.status_code == 400
    stale = inspector.post(
        f"/api/v1/hazards/{hazard.pk}/transitions/issue_order/", {"deadline": future(), "version": 99}, format="json"
    )
    assert stale.status_code == 409 and stale.json()["code"] == "stale"
    ok = inspector.post(f"/api/v1/hazards/{hazard.pk}/transitions/issue_order/", {"deadline": future()}, format="json")
    assert ok.status_code == 200 and ok.json()["status"] == "rectifying"
    assert ok.json()["available_actions"] == []

    enterprise = as_token(cast.enterprise_user)
    assert enterprise.get(f"/api/v1/hazards/{hazard.pk}/").json()["available_actions"] == ["submit_rectification"]
    forbidden = as_token(cast.official_a).post(
        f"/api/v1/hazards/{hazard.pk}/transitions/return/", {"note": "x"}, format="json"
    )
    assert forbidden.status_code in (400, 403)
    submitted = enterprise.post(
        f"/api/v1/hazards/{hazard.pk}/transitions/submit_rectification/",
        {"note": "已整改", "photos": [photo()]},
        format="multipart",
    )
    assert submitted.status_code == 200, submitted.json()
    timeline = enterprise.get(f"/api/v1/hazards/{hazard.pk}/timeline/").json()
    assert [e["action"] for e in timeline] == ["reported", "issue_order", "submit_rectification"]
    photo_url = timeline[-1]["attachments"][0]
    assert enterprise.get(photo_url).status_code == 200
    assert as_token(cast.official_b).get(photo_url).status_code == 404


def test_api_create_validates_and_scopes(as_token, cast):
    inspector = as_token(cast.inspector_a)
    bad = inspector.post("/api/v1/hazards/", {"enterprise": cast.enterprise_b.pk, "category": "x"}, format="json")
    assert bad.status_code == 400
    assert {"enterprise", "category", "description"} <= set(bad.json()["errors"])
    ok = inspector.post(
        "/api/v1/hazards/",
        {"enterprise": cast.enterprise_a.pk, "category": "fire", "description": "通道堵塞"},
        format="json",
    )
    assert ok.status_code == 201 and ok.json()["status"] == "reported"
    assert as_token(cast.official_a).post("/api/v1/hazards/", {}, format="json").status_code == 403


def test_ledger_query_count_is_bounded(client, cast, django_assert_max_num_queries):
    from lianqi.hazards import services

    for i in range(12):
        services.report_hazard(
            actor=cast.inspector_a, enterprise=cast.enterprise_a, category="fire", description=f"#{i}"
        )
    client.force_login(cast.office)
    with django_assert_max_num_queries(14):
        assert client.get(reverse("hazards:ledger")).status_code == 200


def test_extension_request_and_decision_through_the_pages(client, cast, in_rectification):
    from lianqi.hazards.models import DeadlineExtension

    hazard = in_rectification
    client.force_login(cast.enterprise_user)
    bad = client.post(reverse("hazards:request_extension", args=[hazard.pk]), {"reason": ""}, follow=True)
    assert [m.level_tag for m in bad.context["messages"]] == ["error"]
    assert not DeadlineExtension.objects.exists()
    new = (hazard.deadline + datetime.timedelta(days=4)).isoformat()
    client.post(reverse("hazards:request_extension", args=[hazard.pk]), {"new_deadline": new, "reason": "设备到货延迟"})
    extension = DeadlineExtension.objects.get()
    client.force_login(cast.inspector_a)
    client.post(reverse("hazards:decide_extension", args=[hazard.pk, extension.pk]), {"approve": "1", "note": ""})
    hazard.refresh_from_db()
    assert hazard.deadline.isoformat() == new and hazard.original_deadline != hazard.deadline

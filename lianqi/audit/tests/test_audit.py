import pytest
from django.urls import reverse
from django.utils import timezone

from lianqi.audit import services

pytestmark = pytest.mark.django_db


def _edit_department(client, cast, **changes):
    data = {
        "name_zh": cast.department_a.name_zh,
        "name_en": "",
        "short_name": "",
        "kind": "sector",
        "jurisdiction": cast.district_a.pk,
        "is_active": "on",
        **changes,
    }
    return client.post(reverse("departments:edit", args=[cast.department_a.pk]), data)


def test_history_page_shows_before_and_after_of_an_edit(client, cast):
    client.force_login(cast.office)
    assert _edit_department(client, cast, name_zh="东湖区应急管理局（改）").status_code == 302
    page = client.get(reverse("audit:object_history", args=["departments", "department", cast.department_a.pk]))
    assert page.status_code == 200
    latest = page.context["entries"][0]
    assert latest.user == cast.office
    change = next(c for c in latest.changes if c.field == "name_zh")
    assert (change.before, change.after) == ("东湖区应急管理局", "东湖区应急管理局（改）")
    body = page.content.decode()
    assert "东湖区应急管理局（改）" in body and "lq-diff-before" in body


def test_history_of_a_record_outside_scope_is_404(client, cast):
    client.force_login(cast.official_b)
    url = reverse("audit:object_history", args=["departments", "department", cast.department_a.pk])
    assert client.get(url).status_code == 404
    assert client.get(reverse("audit:object_history", args=["nope", "thing", 1])).status_code == 404


def test_audit_search_is_for_admins_only_and_filters_by_user_and_date(client, cast):
    client.force_login(cast.office)
    _edit_department(client, cast, short_name="应急")
    assert client.get(reverse("audit:search")).status_code == 403
    client.force_login(cast.admin)
    today = timezone.localdate().isoformat()
    page = client.get(reverse("audit:search"), {"user": cast.office.pk, "since": today, "until": today})
    entries = page.context["entries"]
    assert entries and all(e.user == cast.office for e in entries)
    assert any(c.field == "short_name" and c.after == "应急" for e in entries for c in e.changes)
    empty = client.get(reverse("audit:search"), {"user": cast.office.pk, "until": "2001-01-01"})
    assert empty.context["entries"] == []


def test_audit_search_rejects_an_inverted_date_range(client, cast):
    cast.admin.language = "en"
    cast.admin.save(update_fields=["language"])
    client.force_login(cast.admin)
    page = client.get(
        reverse("audit:search"), {"since": "2026-02-01", "until": "2026-01-01"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert page.context["form"].errors["until"] == ["The end date is before the start date."]


def test_every_domain_model_is_tracked():
    labels = {m._meta.label for m in services.history_models()}
    assert {"jurisdictions.Jurisdiction", "departments.Department", "accounts.User", "accounts.Membership"} <= labels

"""Scoping: one district never sees its sibling; read-only roles get 403 on change."""

import csv
import io

import pytest
from django.urls import reverse

from lianqi.accounts.access import forget_access
from lianqi.accounts.choices import Role
from lianqi.accounts.models import Membership, User
from lianqi.departments.models import Department
from lianqi.jurisdictions.models import Jurisdiction

pytestmark = pytest.mark.django_db


def test_official_sees_own_district_and_below_never_the_sibling(cast):
    visible = set(Jurisdiction.objects.visible_to(cast.official_a))
    assert visible == {cast.district_a, cast.street_a}
    assert cast.district_b not in visible and cast.city not in visible


def test_city_office_sees_the_whole_city(cast):
    assert set(Jurisdiction.objects.visible_to(cast.office)) == set(Jurisdiction.objects.all())


def test_department_staff_see_their_departments_jurisdiction(cast):
    assert set(Jurisdiction.objects.visible_to(cast.dept_a)) == {cast.district_a, cast.street_a}


def test_enterprise_user_guard_outsider_and_anonymous_see_no_jurisdiction(cast):
    from django.contrib.auth.models import AnonymousUser

    for user in (cast.enterprise_user, cast.outsider, AnonymousUser()):
        assert not Jurisdiction.objects.visible_to(user).exists()


def test_several_memberships_add_up(cast):
    Membership.objects.create(user=cast.official_a, role=Role.INSPECTOR, jurisdiction=cast.street_b)
    forget_access(cast.official_a)
    assert set(Jurisdiction.objects.visible_to(cast.official_a)) == {cast.district_a, cast.street_a, cast.street_b}


def test_expired_membership_gives_nothing(cast):
    import datetime

    Membership.objects.filter(user=cast.official_a).update(valid_until=datetime.date(2020, 1, 1))
    user = User.objects.get(pk=cast.official_a.pk)
    assert not Jurisdiction.objects.visible_to(user).exists()


def test_departments_above_are_visible_siblings_are_not(cast):
    city_department = Department.objects.create(name_zh="江川市应急管理局", kind="sector", jurisdiction=cast.city)
    visible = set(Department.objects.visible_to(cast.official_a))
    assert visible == {cast.department_a, city_department}


# --- Pages ---------------------------------------------------------------------------------


def test_sibling_jurisdiction_page_is_404_own_is_200(client, cast):
    client.force_login(cast.official_a)
    assert client.get(reverse("jurisdictions:detail", args=[cast.district_a.pk])).status_code == 200
    assert client.get(reverse("jurisdictions:detail", args=[cast.district_b.pk])).status_code == 404
    assert client.get(reverse("jurisdictions:detail", args=[cast.street_b.pk])).status_code == 404


def test_list_page_never_lists_the_sibling(client, cast):
    client.force_login(cast.official_a)
    body = client.get(reverse("jurisdictions:list")).content.decode()
    assert "东湖区" in body and "西山区" not in body


def test_filter_choices_do_not_reveal_sibling_names(client, cast):
    client.force_login(cast.official_a)
    body = client.get(reverse("departments:list")).content.decode()
    assert "西山" not in body


def test_sibling_department_page_and_edit_are_404(client, cast):
    client.force_login(cast.official_a)
    assert client.get(reverse("departments:detail", args=[cast.department_b.pk])).status_code == 404
    assert client.get(reverse("departments:edit", args=[cast.department_b.pk])).status_code == 404


def test_read_only_role_gets_403_on_change_page(client, cast):
    client.force_login(cast.official_a)  # a leader may look at department A but not change it
    url = reverse("departments:edit", args=[cast.department_a.pk])
    assert client.get(url).status_code == 403
    response = client.post(url, {"name_zh": "改名", "kind": "sector", "jurisdiction": cast.district_a.pk})
    assert response.status_code == 403
    cast.department_a.refresh_from_db()
    assert cast.department_a.name_zh == "东湖区应急管理局"


def test_office_may_change_departments_of_its_jurisdiction(client, cast):
    client.force_login(cast.office)
    url = reverse("departments:edit", args=[cast.department_a.pk])
    response = client.post(
        url,
        {
            "name_zh": "东湖区应急管理局（新）",
            "name_en": "X",
            "kind": "sector",
            "jurisdiction": cast.district_a.pk,
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    cast.department_a.refresh_from_db()
    assert cast.department_a.name_zh == "东湖区应急管理局（新）"


def test_export_contains_only_what_the_user_may_see(client, cast):
    client.force_login(cast.official_a)
    response = client.get(reverse("departments:list"), {"export": "csv"})
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    names = [row[0] for row in csv.reader(io.StringIO(text))][1:]
    assert names == ["东湖区应急管理局"]


def test_xlsx_export_reads_back_and_is_scoped(client, cast):
    from openpyxl import load_workbook

    client.force_login(cast.official_b)
    response = client.get(reverse("departments:list"), {"export": "xlsx"})
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    values = list(workbook.active.iter_rows(values_only=True))
    assert values[0][0] in {"名称（中文）", "Name (Chinese)"}
    assert [row[0] for row in values[1:]] == ["西山区应急管理局"]


# --- API -----------------------------------------------------------------------------------


def test_api_sibling_is_404_list_is_scoped(as_token, cast):
    client = as_token(cast.official_a)
    assert client.get(f"/api/v1/jurisdictions/{cast.district_a.pk}/").status_code == 200
    response = client.get(f"/api/v1/jurisdictions/{cast.district_b.pk}/")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    codes = {row["code"] for row in client.get("/api/v1/jurisdictions/").json()["results"]}
    assert codes == {cast.district_a.code, cast.street_a.code}
    assert client.get(f"/api/v1/departments/{cast.department_b.pk}/").status_code == 404


def test_api_read_only_role_gets_403_on_change(as_token, cast):
    response = as_token(cast.official_a).patch(
        f"/api/v1/departments/{cast.department_a.pk}/", {"name_zh": "改"}, format="json"
    )
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"
    cast.department_a.refresh_from_db()
    assert cast.department_a.name_zh == "东湖区应急管理局"


def test_api_office_changes_and_cannot_move_out_of_scope(as_token, cast):
    from lianqi.departments.tests.factories import DepartmentFactory
    from lianqi.jurisdictions.tests.factories import JurisdictionFactory

    district_office = User.objects.create_user("district_office", password="x" * 12)
    Membership.objects.create(user=district_office, role=Role.OFFICE, jurisdiction=cast.district_a)
    client = as_token(district_office)
    ok = client.patch(f"/api/v1/departments/{cast.department_a.pk}/", {"short_name": "应急"}, format="json")
    assert ok.status_code == 200, ok.json()
    moved = client.patch(
        f"/api/v1/departments/{cast.department_a.pk}/", {"jurisdiction": cast.district_b.pk}, format="json"
    )
    assert moved.status_code == 400
    assert moved.json()["errors"]["jurisdiction"][0]["code"] == "out_of_scope"
    assert JurisdictionFactory and DepartmentFactory  # factories importable for other tests


def test_api_anonymous_is_rejected_with_a_code(api_client, cast):
    response = api_client.get("/api/v1/jurisdictions/")
    assert response.status_code in (401, 403)
    assert response.json()["code"] == "not_authenticated"

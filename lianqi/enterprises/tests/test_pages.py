"""Pages of the registry: scoping on list, export, map and detail; forms with field errors."""

import csv
import io

import pytest
from django.urls import reverse

from lianqi.accounts.choices import Role
from lianqi.accounts.tests.factories import MembershipFactory, UserFactory
from lianqi.enterprises.models import Assignment, Enterprise
from lianqi.enterprises.tests.factories import AssignmentFactory, EnterpriseFactory, credit_code_for
from lianqi.jobs.models import Job

pytestmark = pytest.mark.django_db

LIST = reverse("enterprises:list")


def names(response):
    return {e.name for e in response.context["object_list"]}


def exported_names(response):
    content = b"".join(response.streaming_content).decode("utf-8-sig")
    return {row[1] for row in list(csv.reader(io.StringIO(content)))[1:]}


def test_district_official_sees_only_their_district_on_list_export_and_map(client, cast):
    client.force_login(cast.official_a)
    assert names(client.get(LIST)) == {"东湖精细化工有限公司"}
    assert exported_names(client.get(LIST, {"export": "csv"})) == {"东湖精细化工有限公司"}
    Enterprise.objects.update(latitude="34.75", longitude="113.66")
    points = client.get(reverse("enterprises:map_points")).json()
    assert [p[3] for p in points["points"]] == ["东湖精细化工有限公司"]
    # Even asking for district B's subtree returns nothing of it.
    assert "西山食品有限公司" not in names(client.get(LIST, {"within": cast.district_b.pk}))


def test_xlsx_export_holds_what_the_list_shows(client, cast):
    from openpyxl import load_workbook

    client.force_login(cast.official_b)
    response = client.get(LIST, {"export": "xlsx"})
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = list(workbook.active.iter_rows(values_only=True))
    assert rows[0][0] == "统一社会信用代码" and [r[1] for r in rows[1:]] == ["西山食品有限公司"]


def test_large_export_runs_as_a_job_with_the_same_scope(client, cast, settings, django_capture_on_commit_callbacks):
    settings.EXPORT_INLINE_MAX_ROWS = 1
    for n in range(3):
        EnterpriseFactory(jurisdiction=cast.street_a, credit_code=credit_code_for(500 + n, "419902"))
    EnterpriseFactory(jurisdiction=cast.street_b, credit_code=credit_code_for(600, "419903"), name="西山另一家")
    client.force_login(cast.official_a)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(LIST, {"export": "csv"})
    job = Job.objects.get(kind="enterprises.export")
    assert response.url == job.get_absolute_url()
    assert job.status == "done" and job.result["rows"] == 4
    content = job.result_file.open("rb").read().decode("utf-8-sig")
    assert "西山" not in content and content.count("\n") == 5
    download = client.get(reverse("jobs:download", args=[job.pk]))
    assert download.status_code == 200
    client.force_login(cast.official_b)
    assert client.get(reverse("jobs:download", args=[job.pk])).status_code == 404


def test_enterprise_user_sees_only_their_own(client, cast):
    client.force_login(cast.enterprise_user)
    assert set(Enterprise.objects.visible_to(cast.enterprise_user)) == {cast.enterprise_a}
    assert client.get(cast.enterprise_a.get_absolute_url()).status_code == 200
    assert client.get(cast.enterprise_b.get_absolute_url()).status_code == 404


def test_department_staff_see_their_sector_within_their_jurisdiction(cast):
    from lianqi.industries.models import Industry

    cast.department_a.sectors.set([Industry.objects.get(code="26")])
    food = EnterpriseFactory(
        jurisdiction=cast.street_a,
        industry=Industry.objects.get(code="143"),
        credit_code=credit_code_for(700, "419902"),
    )
    visible = set(Enterprise.objects.visible_to(cast.dept_a))
    assert cast.enterprise_a in visible  # 261 basic chemicals, under division 26
    assert food not in visible and cast.enterprise_b not in visible


def test_closed_enterprises_are_hidden_by_default_and_shown_by_the_filter(client, cast):
    Enterprise.objects.filter(pk=cast.enterprise_a.pk).update(status="closed")
    client.force_login(cast.office)
    assert names(client.get(LIST)) == {"西山食品有限公司"}
    assert names(client.get(LIST, {"status": "closed"})) == {"东湖精细化工有限公司"}
    assert len(names(client.get(LIST, {"status": "all"}))) == 2
    assert client.get(cast.enterprise_a.get_absolute_url()).status_code == 200


@pytest.mark.parametrize(
    "params, expected",
    [
        ({"q": "精细"}, {"东湖精细化工有限公司"}),
        ({"q": "dhjx"}, {"东湖精细化工有限公司"}),  # pinyin initials
        ({"q": "91419902"}, {"东湖精细化工有限公司"}),  # credit code prefix
        ({"q": "西山"}, {"西山食品有限公司"}),
        ({"industry": "C"}, {"东湖精细化工有限公司", "西山食品有限公司"}),
        ({"industry": "14"}, set()),
        ({"risk_tier": ["low"]}, {"东湖精细化工有限公司", "西山食品有限公司"}),
        ({"flags": ["is_key"]}, {"东湖精细化工有限公司"}),
        ({"assigned": "yes"}, {"西山食品有限公司"}),
        ({"assigned": "no"}, {"东湖精细化工有限公司"}),
        ({"within": "district_a"}, {"东湖精细化工有限公司"}),
        ({"sort": "-name"}, {"东湖精细化工有限公司", "西山食品有限公司"}),
    ],
)
def test_filters(client, cast, params, expected):
    Enterprise.objects.filter(pk=cast.enterprise_a.pk).update(is_key=True)
    AssignmentFactory(enterprise=cast.enterprise_b, official=cast.official_b)
    if params.get("within") == "district_a":
        params = {"within": cast.district_a.pk}
    client.force_login(cast.office)
    assert names(client.get(LIST, params)) == expected


def test_bad_filter_values_are_field_errors_not_500(client, cast):
    client.force_login(cast.office)
    response = client.get(LIST, {"within": "abc", "risk_tier": "purple", "status": "x"})
    assert response.status_code == 200
    assert set(response.context["filterset"].errors) == {"within", "risk_tier", "status"}


def test_list_htmx_partial_and_query_count(client, cast, django_assert_max_num_queries):
    for n in range(60):
        e = EnterpriseFactory(jurisdiction=cast.street_a, credit_code=credit_code_for(800 + n, "419902"))
        AssignmentFactory(enterprise=e, official=cast.inspector_a)
    client.force_login(cast.office)
    client.get(LIST)  # warm the session and caches
    with django_assert_max_num_queries(12):
        response = client.get(LIST)
    assert response.status_code == 200 and len(response.context["object_list"]) == 50
    partial = client.get(LIST, {"page": 2}, HTTP_HX_REQUEST="true")
    assert b"<html" not in partial.content and b"enterprise-table" in partial.content


def test_detail_tabs_and_outsider(client, cast):
    AssignmentFactory(enterprise=cast.enterprise_a, official=cast.inspector_a)
    client.force_login(cast.official_a)
    page = client.get(cast.enterprise_a.get_absolute_url())
    assert page.status_code == 200 and b"enterprise-tabs" in page.content
    tab = client.get(reverse("enterprises:tab", args=[cast.enterprise_a.pk, "officials"]))
    assert tab.status_code == 200 and cast.inspector_a.display_name in tab.content.decode()
    assert client.get(reverse("enterprises:tab", args=[cast.enterprise_a.pk, "nope"])).status_code == 404
    assert client.get(cast.enterprise_b.get_absolute_url()).status_code == 404
    client.force_login(cast.outsider)
    assert client.get(cast.enterprise_a.get_absolute_url()).status_code == 404
    assert client.get(reverse("enterprises:edit", args=[cast.enterprise_a.pk])).status_code == 404
    assert names(client.get(LIST)) == set()


def test_map_page_works_without_tiles(client, cast, settings):
    settings.MAP_TILE_URL = ""
    client.force_login(cast.office)
    page = client.get(reverse("enterprises:map"), {"risk_tier": "low"})
    assert page.status_code == 200 and b"vendor/leaflet/leaflet.js" in page.content and b'data-tiles=""' in page.content


# --- Create and edit -----------------------------------------------------------------------


def form_data(cast, **over):
    data = {
        "credit_code": "９１３５０１００ｍ０００１００ｙ４３",  # pasted full-width, lower case
        "name": "江川新材料有限公司",
        "jurisdiction": cast.street_a.pk,
        "industry": "261",
        "scale": "below",
        "risk_tier": "general",
        "status": "operating",
        "safety_manager_phone": "13912345678",
    }
    data.update(over)
    return data


def test_office_creates_with_normalised_code_and_default_sector_department(client, cast):
    from lianqi.industries.models import Industry

    cast.department_a.kind = "sector"
    cast.department_a.save()
    cast.department_a.sectors.set([Industry.objects.get(code="26")])
    client.force_login(cast.office)
    response = client.post(reverse("enterprises:create"), form_data(cast))
    enterprise = Enterprise.objects.get(name="江川新材料有限公司")
    assert response.url == enterprise.get_absolute_url()
    assert enterprise.credit_code == "91350100M000100Y43"
    assert enterprise.sector_department == cast.department_a
    assert enterprise.history.get().history_user == cast.office


@pytest.mark.parametrize(
    "over, field, fragment",
    [
        ({"credit_code": "91350100M000100Y44"}, "credit_code", "18"),
        ({"credit_code": "91350100M000100Y4"}, "credit_code", "17"),
        ({"credit_code": "91350100M00010OY43"}, "credit_code", "“O”"),
        ({"credit_code": ""}, "credit_code", ""),
        ({"name": ""}, "name", ""),
        ({"industry": "ZZZ"}, "industry", ""),
        ({"jurisdiction": ""}, "jurisdiction", ""),
        ({"safety_manager_phone": "12345"}, "safety_manager_phone", ""),
        ({"latitude": "34.7"}, None, ""),
        ({"latitude": "134.7", "longitude": "113"}, "latitude", ""),
        ({"headcount": "-3"}, "headcount", ""),
    ],
)
def test_form_field_errors(client, cast, over, field, fragment):
    client.force_login(cast.office)
    response = client.post(reverse("enterprises:create"), form_data(cast, **over))
    assert response.status_code == 200
    errors = response.context["form"].errors
    key = field or "__all__"
    assert key in errors, errors
    assert fragment in " ".join(errors[key])
    assert not Enterprise.objects.filter(name="江川新材料有限公司").exists()


def test_duplicate_credit_code_is_a_field_error(client, cast):
    client.force_login(cast.office)
    response = client.post(reverse("enterprises:create"), form_data(cast, credit_code=cast.enterprise_b.credit_code))
    assert "credit_code" in response.context["form"].errors


def test_jurisdiction_outside_scope_is_refused(client, cast):
    office_a = UserFactory(username="office_a")
    MembershipFactory(user=office_a, role=Role.OFFICE, jurisdiction=cast.district_a)
    client.force_login(office_a)
    response = client.post(reverse("enterprises:create"), form_data(cast, jurisdiction=cast.street_b.pk))
    assert "jurisdiction" in response.context["form"].errors


def test_read_only_roles_get_403_on_edit_and_create(client, cast):
    Enterprise.objects.filter(pk=cast.enterprise_a.pk).update(sector_department=cast.department_a)
    for user in (cast.official_a, cast.inspector_a, cast.dept_a, cast.enterprise_user):
        client.force_login(user)
        assert client.get(reverse("enterprises:edit", args=[cast.enterprise_a.pk])).status_code == 403
        assert client.post(reverse("enterprises:edit", args=[cast.enterprise_a.pk]), form_data(cast)).status_code == 403
        assert client.get(reverse("enterprises:create")).status_code == 403


def test_office_edits(client, cast):
    client.force_login(cast.office)
    data = form_data(cast, credit_code=cast.enterprise_a.credit_code, name="东湖精细化工（集团）有限公司")
    response = client.post(reverse("enterprises:edit", args=[cast.enterprise_a.pk]), data)
    assert response.status_code == 302
    cast.enterprise_a.refresh_from_db()
    assert (
        cast.enterprise_a.name == "东湖精细化工（集团）有限公司" and cast.enterprise_a.name_initials == "dhjxhgjtyxgs"
    )


# --- Assignments ---------------------------------------------------------------------------


def test_assign_end_and_official_page(client, cast):
    client.force_login(cast.office)
    url = reverse("enterprises:assign", args=[cast.enterprise_a.pk])
    response = client.post(url, {"official": cast.inspector_a.pk, "role": "resident_instructor"})
    assert response.status_code == 302
    assignment = Assignment.objects.get()
    again = client.post(url, {"official": cast.inspector_a.pk, "role": "resident_instructor"})
    assert again.status_code == 200 and again.context["form"].errors  # one open assignment per role
    bad = client.post(url, {"official": cast.outsider.pk, "role": "nope", "start": "2026-05-01", "end": "2026-04-01"})
    assert {"official", "role"} <= set(bad.context["form"].errors)
    page = client.get(reverse("enterprises:official", args=[cast.inspector_a.pk]))
    assert [a.enterprise for a in page.context["assignments"]] == [cast.enterprise_a]
    client.post(reverse("enterprises:assignment_end", args=[assignment.pk]))
    assignment.refresh_from_db()
    from django.utils import timezone

    assert assignment.end == timezone.localdate()  # responsible until the end of today
    assert assignment.history.first().history_user == cast.office


def test_official_page_shows_only_what_the_viewer_may_see(client, cast):
    AssignmentFactory(enterprise=cast.enterprise_a, official=cast.inspector_a)
    AssignmentFactory(enterprise=cast.enterprise_b, official=cast.inspector_a)
    client.force_login(cast.official_a)
    page = client.get(reverse("enterprises:official", args=[cast.inspector_a.pk]))
    assert [a.enterprise for a in page.context["assignments"]] == [cast.enterprise_a]
    client.force_login(cast.official_b)
    assert client.get(reverse("enterprises:official", args=[cast.inspector_a.pk])).status_code == 404


def test_read_only_user_cannot_assign_or_end(client, cast):
    assignment = AssignmentFactory(enterprise=cast.enterprise_a, official=cast.inspector_a)
    client.force_login(cast.official_a)
    assert client.get(reverse("enterprises:assign", args=[cast.enterprise_a.pk])).status_code == 403
    assert client.post(reverse("enterprises:assignment_end", args=[assignment.pk])).status_code == 403
    client.force_login(cast.official_b)
    assert client.post(reverse("enterprises:assignment_end", args=[assignment.pk])).status_code == 404


def test_bulk_assign_page(client, cast):
    for n in range(5):
        EnterpriseFactory(jurisdiction=cast.street_a, is_key=True, credit_code=credit_code_for(900 + n, "419902"))
    other = UserFactory(username="inspector_a2")
    MembershipFactory(user=other, role=Role.INSPECTOR, jurisdiction=cast.street_a)
    client.force_login(cast.office)
    url = reverse("enterprises:bulk_assign")
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "within": cast.district_a.pk,
            "key_only": "on",
            "role": "resident_instructor",
            "officials": [cast.inspector_a.pk, other.pk],
        },
    )
    assert response.status_code == 200 and len(response.context["result"].created) == 5
    invalid = client.post(url, {"within": "", "role": "x", "officials": [], "per_official": "0"})
    assert {"within", "role", "officials", "per_official"} <= set(invalid.context["form"].errors)
    client.force_login(cast.official_a)
    assert client.get(url).status_code == 403


def test_home_widgets(client, cast):
    client.force_login(cast.official_a)
    home = client.get(reverse("core:home"))
    assert b"enterprise-overview" in home.content
    client.force_login(cast.enterprise_user)
    home = client.get(reverse("core:home"))
    assert b"my-enterprise" in home.content and "东湖精细化工有限公司" in home.content.decode()

"""/api/v1/enterprises/ and /api/v1/assignments/: same filters and scope as the pages."""

import pytest

from lianqi.enterprises.models import Assignment, Enterprise
from lianqi.enterprises.tests.factories import AssignmentFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/enterprises/"


def body(cast, **over):
    data = {
        "credit_code": "9144030071526726xg",
        "name": "深圳样例有限公司",
        "jurisdiction": cast.street_a.pk,
        "industry": "261",
    }
    data.update(over)
    return data


def test_district_official_never_gets_another_districts_enterprises(as_token, cast):
    response = as_token(cast.official_a).get(URL, {"page_size": 500})
    assert [e["name"] for e in response.json()["results"]] == ["东湖精细化工有限公司"]
    response = as_token(cast.official_a).get(URL, {"within": cast.district_b.pk})
    assert response.status_code == 400 or response.json()["results"] == []
    assert as_token(cast.official_a).get(f"{URL}{cast.enterprise_b.pk}/").status_code == 404


def test_filters_are_the_pages(as_token, cast):
    Enterprise.objects.filter(pk=cast.enterprise_a.pk).update(status="closed")
    client = as_token(cast.office)
    assert [e["name"] for e in client.get(URL).json()["results"]] == ["西山食品有限公司"]
    assert [e["name"] for e in client.get(URL, {"status": "closed"}).json()["results"]] == ["东湖精细化工有限公司"]
    assert client.get(f"{URL}{cast.enterprise_a.pk}/").json()["status"] == "closed"  # detail finds closed ones
    assert [e["name"] for e in client.get(URL, {"q": "xssp"}).json()["results"]] == ["西山食品有限公司"]


def test_office_creates_with_normalised_credit_code(as_token, cast):
    response = as_token(cast.office).post(URL, body(cast), format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["credit_code"] == "9144030071526726XG"
    assert Enterprise.objects.get(credit_code="9144030071526726XG").history.get().history_user == cast.office


@pytest.mark.parametrize(
    "over, field, code",
    [
        ({"credit_code": "9144030071526726XA"}, "credit_code", "check_digit"),
        ({"credit_code": "91440300"}, "credit_code", "length"),
        ({"credit_code": "914403007152672OXG"}, "credit_code", "character"),
        ({"name": ""}, "name", "blank"),
        ({"industry": "ZZZ"}, "industry", "does_not_exist"),
        ({"jurisdiction": 999999}, "jurisdiction", "does_not_exist"),
        ({"safety_manager_phone": "123"}, "safety_manager_phone", "invalid"),
        ({"latitude": "34.75"}, "non_field_errors", None),
        ({"risk_tier": "purple"}, "risk_tier", "invalid_choice"),
        ({"headcount": -1}, "headcount", "min_value"),
    ],
)
def test_field_level_errors(as_token, cast, over, field, code):
    response = as_token(cast.office).post(URL, body(cast, **over), format="json")
    assert response.status_code == 400
    data = response.json()
    assert data["code"] == "invalid" and field in data["errors"], data
    if code:
        assert data["errors"][field][0]["code"] == code


def test_duplicate_and_out_of_scope(as_token, cast):
    client = as_token(cast.office)
    response = client.post(URL, body(cast, credit_code=cast.enterprise_a.credit_code.lower()), format="json")
    assert response.status_code == 400 and response.json()["errors"]["credit_code"][0]["code"] == "unique"
    from lianqi.accounts.choices import Role
    from lianqi.accounts.tests.factories import MembershipFactory, UserFactory

    office_a = UserFactory(username="office_a")
    MembershipFactory(user=office_a, role=Role.OFFICE, jurisdiction=cast.district_a)
    response = as_token(office_a).post(URL, body(cast, jurisdiction=cast.street_b.pk), format="json")
    assert response.status_code == 400 and "jurisdiction" in response.json()["errors"]


def test_read_only_403_outsider_404(as_token, cast):
    url = f"{URL}{cast.enterprise_a.pk}/"
    for user in (cast.official_a, cast.inspector_a, cast.enterprise_user):
        assert as_token(user).patch(url, {"name": "x"}, format="json").status_code == 403
        assert as_token(user).post(URL, body(cast), format="json").status_code == 403
    assert as_token(cast.outsider).patch(url, {"name": "x"}, format="json").status_code == 404
    assert as_token(cast.outsider).get(URL).json()["results"] == []
    response = as_token(cast.office).patch(
        url, {"name": "东湖精细化工（新）有限公司", "risk_tier": "high"}, format="json"
    )
    assert response.status_code == 200 and response.json()["name_initials"] == "dhjxhgxyxgs"


def test_patch_bad_input_is_field_errors(as_token, cast):
    url = f"{URL}{cast.enterprise_a.pk}/"
    response = as_token(cast.office).patch(url, {"longitude": "113.1"}, format="json")
    assert response.status_code == 400 and response.json()["code"] == "invalid"


def test_assignments_api(as_token, cast):
    client = as_token(cast.office)
    response = client.post(
        "/api/v1/assignments/",
        {"official": cast.inspector_a.pk, "enterprise": cast.enterprise_a.pk, "role": "resident_instructor"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    again = client.post(
        "/api/v1/assignments/",
        {"official": cast.inspector_a.pk, "enterprise": cast.enterprise_a.pk, "role": "resident_instructor"},
        format="json",
    )
    assert again.status_code == 400 and again.json()["code"] == "invalid"
    bad = client.post(
        "/api/v1/assignments/",
        {"official": cast.outsider.pk, "enterprise": 0, "role": "x", "start": "2026-05-01", "end": "2026-04-01"},
        format="json",
    )
    assert {"official", "enterprise", "role"} <= set(bad.json()["errors"])
    pk = response.json()["id"]
    assert (
        client.patch(
            f"/api/v1/assignments/{pk}/", {"end": "2000-01-01", "start": "2001-01-01"}, format="json"
        ).status_code
        == 400
    )
    assert as_token(cast.official_a).get("/api/v1/assignments/").json()["count"] == 1
    assert as_token(cast.official_b).get("/api/v1/assignments/").json()["count"] == 0
    assert (
        as_token(cast.official_a).patch(f"/api/v1/assignments/{pk}/", {"note": "x"}, format="json").status_code == 403
    )
    assert (
        as_token(cast.official_b).patch(f"/api/v1/assignments/{pk}/", {"note": "x"}, format="json").status_code == 404
    )
    # The official themself sees their assignment.
    assert (
        as_token(cast.inspector_a).get("/api/v1/assignments/", {"official": cast.inspector_a.pk}).json()["count"] == 1
    )


def test_assignment_for_enterprise_outside_scope_is_refused(as_token, cast):
    AssignmentFactory(enterprise=cast.enterprise_b, official=cast.official_b)
    from lianqi.accounts.choices import Role
    from lianqi.accounts.tests.factories import MembershipFactory, UserFactory

    office_a = UserFactory(username="office_a")
    MembershipFactory(user=office_a, role=Role.OFFICE, jurisdiction=cast.district_a)
    response = as_token(office_a).post(
        "/api/v1/assignments/",
        {"official": cast.inspector_a.pk, "enterprise": cast.enterprise_b.pk, "role": "service_officer"},
        format="json",
    )
    assert response.status_code == 400 and "enterprise" in response.json()["errors"]
    assert Assignment.objects.count() == 1


def test_schema_builds(client, cast):
    client.force_login(cast.admin)
    assert client.get("/api/schema/").status_code == 200

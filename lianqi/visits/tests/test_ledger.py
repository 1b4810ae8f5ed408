"""Saving reviewed visits, scoping, requirements → tasks, inspections consistency, coverage."""

import datetime

import pytest
from django.utils import timezone

from lianqi.accounts.choices import Role
from lianqi.accounts.tests.factories import MembershipFactory, UserFactory
from lianqi.enterprises.tests.factories import AssignmentFactory
from lianqi.inspections.choices import InspectionKind
from lianqi.inspections.services import plan_inspection
from lianqi.tasks.models import Task
from lianqi.visits import matching, services
from lianqi.visits.coverage import compute, parse_period
from lianqi.visits.models import CoverageRule
from lianqi.visits.services import LeaderInput, OrganisationInput, VisitInput

pytestmark = pytest.mark.django_db


def visit_input(cast, **overrides):
    values = {
        "title": "区长走访东湖精细化工",
        "date": timezone.localdate() - datetime.timedelta(days=3),
        "jurisdiction": cast.district_a,
        "leaders": [
            LeaderInput(name="", title="区长", user=cast.official_a),
            LeaderInput(name="李副区长", title="副区长"),
        ],
        "departments": [cast.department_a],
        "organisations": [OrganisationInput(name="东湖精细化工", enterprise=cast.enterprise_a, score=92.0)],
        "places": ["东湖街道"],
        "topics": ["production_safety"],
        "requirements": ["落实安全生产主体责任", "加强危化品储罐区巡查"],
        "difficulties": ["原料运输受阻"],
        "source_text": "…",
    }
    values.update(overrides)
    return VisitInput(**values)


@pytest.fixture
def visit(cast):
    return services.save_visit(actor=cast.office, data=visit_input(cast))


def test_save_visit_is_a_leader_visit_inspection(cast, visit):
    assert visit.kind == InspectionKind.LEADER_VISIT
    assert visit.enterprise == cast.enterprise_a
    assert list(visit.leaders.all()) == [cast.official_a]
    assert visit.leader_names == "李副区长 (副区长)"
    assert [r.text for r in visit.requirements.all()] == ["落实安全生产主体责任", "加强危化品储罐区巡查"]
    assert visit.visit_report.difficulties_list() == ["原料运输受阻"]
    assert visit.visit_organisations.get().match_score == 92.0


def test_save_refuses_other_jurisdictions_and_roles(cast):
    from django.core.exceptions import PermissionDenied, ValidationError

    with pytest.raises(PermissionDenied):
        services.save_visit(actor=cast.official_b, data=visit_input(cast))
    with pytest.raises(PermissionDenied):
        services.save_visit(actor=cast.dept_a, data=visit_input(cast))
    with pytest.raises(ValidationError) as error:
        services.save_visit(actor=cast.office, data=visit_input(cast, leaders=[LeaderInput(name=" ")]))
    assert "leaders" in error.value.message_dict
    from lianqi.inspections.models import Inspection

    assert not Inspection.objects.exists()


@pytest.mark.parametrize(
    ("who", "status"), [("office", 200), ("official_a", 200), ("admin", 200), ("official_b", 404), ("outsider", 404)]
)
def test_visit_page_scoping(client, cast, visit, who, status):
    client.force_login(getattr(cast, who))
    assert client.get(f"/visits/{visit.pk}/").status_code == status
    listed = f'/visits/{visit.pk}/"' in client.get("/visits/").content.decode()
    assert listed == (status == 200)


@pytest.mark.parametrize(("who", "status"), [("office", 200), ("official_a", 200), ("official_b", 404)])
def test_visit_api_scoping(cast, as_token, visit, who, status):
    api = as_token(getattr(cast, who))
    assert api.get(f"/api/v1/visits/{visit.pk}/").status_code == status
    ids = [v["id"] for v in api.get("/api/v1/visits/").json()["results"]]
    assert (visit.pk in ids) == (status == 200)


def test_leader_sees_own_visit_elsewhere(cast):
    # A visit official_a led in district B (recorded by the city office) is theirs to see.
    visit = services.save_visit(
        actor=cast.office,
        data=visit_input(
            cast,
            jurisdiction=cast.district_b,
            organisations=[OrganisationInput(name="西山食品", enterprise=cast.enterprise_b)],
        ),
    )
    from lianqi.inspections.models import Inspection

    assert Inspection.objects.visible_to(cast.official_a).filter(pk=visit.pk).exists()


def test_requirement_becomes_a_task_in_one_click(client, cast, visit, on_commit_now):
    client.force_login(cast.office)
    requirement = visit.requirements.first()
    response = client.post(f"/visits/{visit.pk}/requirements/{requirement.pk}/task/")
    assert response.status_code == 302
    requirement.refresh_from_db()
    task = requirement.task
    assert task.source == "visit" and task.title == "落实安全生产主体责任"
    assert [a.department for a in task.assignments.all()] == [cast.department_a]
    # twice: still one task
    client.post(f"/visits/{visit.pk}/requirements/{requirement.pk}/task/")
    assert Task.objects.count() == 1
    client.post(f"/visits/{visit.pk}/tasks/")
    assert Task.objects.count() == 2
    page = client.get(f"/visits/{visit.pk}/").content.decode()
    assert page.count('data-testid="requirement-task"') == 2


def test_requirement_task_denied_to_sibling_and_department(client, cast, visit):
    requirement = visit.requirements.first()
    client.force_login(cast.official_b)
    assert client.post(f"/visits/{visit.pk}/requirements/{requirement.pk}/task/").status_code == 404
    client.force_login(cast.dept_a)
    client.post(f"/visits/{visit.pk}/requirements/{requirement.pk}/task/")
    assert not Task.objects.exists()


def test_api_create_and_task(cast, as_token, on_commit_now):
    api = as_token(cast.office)
    body = {
        "title": "He Zhongwei went to Putuo",
        "date": str(timezone.localdate()),
        "jurisdiction": cast.district_a.pk,
        "leaders": [{"name": "He Zhongwei", "title": "Mayor"}, {"user": cast.official_a.pk}],
        "organisations": [
            {"name": "Guanhai Foods"},
            {"name": "东湖精细化工", "enterprise": cast.enterprise_a.pk, "score": 90},
        ],
        "requirements": ["Strengthen grass-roots gridding"],
        "topics": ["epidemic_prevention"],
    }
    response = api.post("/api/v1/visits/", body, format="json")
    assert response.status_code == 201, response.json()
    visit = response.json()
    assert visit["organisations"][1]["enterprise"] == cast.enterprise_a.pk
    rid = visit["requirements"][0]["id"]
    response = api.post(f"/api/v1/visits/{visit['id']}/requirements/{rid}/task/", {}, format="json")
    assert response.status_code == 201
    assert response.json()["requirements"][0]["task"]["title"] == "Strengthen grass-roots gridding"
    assert api.post(f"/api/v1/visits/{visit['id']}/requirements/{rid}/task/", {}, format="json").status_code == 200


def test_api_create_refuses_invisible_records_and_bad_input(cast, as_token):
    api = as_token(cast.official_a)
    body = {
        "date": str(timezone.localdate()),
        "jurisdiction": cast.district_a.pk,
        "leaders": [{"name": "X"}],
        "organisations": [{"name": "西山食品", "enterprise": cast.enterprise_b.pk}],
    }
    response = api.post("/api/v1/visits/", body, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    body["organisations"] = []
    body["jurisdiction"] = cast.district_b.pk
    assert api.post("/api/v1/visits/", body, format="json").status_code == 400
    assert as_token(cast.dept_a).post("/api/v1/visits/", body, format="json").status_code == 403
    response = api.post("/api/v1/visits/", {**body, "jurisdiction": cast.district_a.pk, "leaders": []}, format="json")
    assert response.status_code == 400 and "leaders" in response.json()["errors"]


def test_inspections_and_ledger_agree(client, cast, visit):
    client.force_login(cast.office)
    assert f"/inspections/{visit.pk}/" in client.get("/inspections/?kind=leader_visit").content.decode()
    assert f"/visits/{visit.pk}/" in client.get(f"/inspections/{visit.pk}/").content.decode()
    planned = plan_inspection(
        actor=cast.office,
        kind=InspectionKind.LEADER_VISIT,
        enterprise=cast.enterprise_a,
        planned_date=timezone.localdate(),
        leaders=[cast.official_a],
        title="计划走访",
    )
    routine = plan_inspection(
        actor=cast.office, kind=InspectionKind.ROUTINE, enterprise=cast.enterprise_a, planned_date=timezone.localdate()
    )
    ledger = client.get("/visits/").content.decode()
    assert f"/visits/{planned.pk}/" in ledger and f"/visits/{routine.pk}/" not in ledger
    assert client.get(f"/visits/{planned.pk}/").status_code == 200
    assert client.get(f"/visits/{routine.pk}/").status_code == 404


def test_ledger_summaries_and_filters(client, cast, visit):
    client.force_login(cast.office)
    html = client.get("/visits/").content.decode()
    assert "李副区长" in html and str(cast.official_a) in html
    month = visit.planned_date.strftime("%Y-%m")
    assert f"/visits/{visit.pk}/" in client.get(f"/visits/?month={month}").content.decode()
    assert f"/visits/{visit.pk}/" not in client.get("/visits/?month=1999-01").content.decode()
    assert f"/visits/{visit.pk}/" in client.get(f"/visits/?enterprise={cast.enterprise_a.pk}").content.decode()
    assert client.get("/visits/?export=csv").status_code == 200


def test_ledger_query_count_does_not_grow(client, cast, django_assert_max_num_queries):
    services.save_visit(actor=cast.office, data=visit_input(cast))
    client.force_login(cast.office)
    client.get("/visits/")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        client.get("/visits/")
    for _ in range(5):
        services.save_visit(actor=cast.office, data=visit_input(cast))
    with django_assert_max_num_queries(len(one.captured_queries)):
        client.get("/visits/")


def test_leader_sees_what_became_of_requirements(client, cast, visit, on_commit_now):
    services.requirement_to_task(visit.requirements.first().pk, actor=cast.office)
    client.force_login(cast.official_a)
    html = client.get("/visits/").content.decode()
    assert 'data-testid="my-requirements"' in html
    assert "落实安全生产主体责任" in html


# --- Matching ------------------------------------------------------------------------------------
def test_organisation_matching_is_fuzzy_with_scores(cast):
    found = matching.match_organisations(
        ["東湖精細化工", "东湖精细化工有限公司", "Guanhai Foods", "西山食品"], cast.office
    )
    assert found[0]["enterprise"] == cast.enterprise_a.pk and found[0]["score"] >= 85
    assert found[1]["enterprise"] == cast.enterprise_a.pk and found[1]["score"] == 100
    assert found[2]["enterprise"] is None
    # Sibling enterprises are never candidates for a district official.
    assert matching.match_organisations(["西山食品"], cast.official_a)[0]["candidates"] == []


def test_leader_matching_by_pinyin_and_title(cast):
    cast.official_a.display_name = "何中伟"
    cast.official_a.save()
    MembershipFactory(
        user=UserFactory(display_name="王海涛"), role=Role.LEADER, jurisdiction=cast.district_a, title="副区长"
    )
    found = matching.match_leaders(
        [{"name": "He Zhongwei", "title": "Mayor"}, {"name": "王海濤", "title": None}], cast.office
    )
    assert found[0]["user"] == cast.official_a.pk
    assert found[1]["user_name"] == "王海涛"
    assert found[1]["score"] >= 85


def test_department_matching(cast):
    cast.department_a.name_en = "Donghu District Emergency Management Bureau"
    cast.department_a.save()
    found = matching.match_departments(["区应急管理局", "the Emergency Management Bureau", "张三"], cast.official_a)
    assert found[0]["department"] == cast.department_a.pk
    assert found[1]["department"] == cast.department_a.pk
    assert found[2]["department"] is None


# --- Coverage ------------------------------------------------------------------------------------
@pytest.fixture
def rule(cast):
    return services.save_coverage_rule(
        actor=cast.office,
        name="重点企业每季度包联领导走访",
        jurisdiction=cast.city,
        scope="key",
        period="quarter",
        min_visits=1,
    )


def test_coverage_lists_gaps_until_the_contact_visits(cast, rule):
    cast.enterprise_a.is_key = True
    cast.enterprise_a.save()
    cast.enterprise_b.is_key = True
    cast.enterprise_b.save()
    AssignmentFactory(enterprise=cast.enterprise_a, official=cast.official_a, role="leader_contact")
    period = parse_period("quarter", None)
    result = compute(rule, user=cast.office, period=period)
    statuses = {r.enterprise: r.status for r in result.rows}
    assert statuses == {cast.enterprise_a: "gap", cast.enterprise_b: "no_contact"}
    assert result.rate == 0
    # A visit by someone else does not count …
    services.save_visit(
        actor=cast.office, data=visit_input(cast, date=period.start, leaders=[LeaderInput(name="某人")])
    )
    assert compute(rule, user=cast.office, period=period).covered == 0
    # … the contact's own visit does, also when the enterprise is one of several organisations.
    services.save_visit(
        actor=cast.office,
        data=visit_input(
            cast,
            date=period.start,
            organisations=[
                OrganisationInput(name="某园区"),
                OrganisationInput(name="东湖精细化工", enterprise=cast.enterprise_a),
            ],
        ),
    )
    result = compute(rule, user=cast.office, period=period)
    row = next(r for r in result.rows if r.enterprise == cast.enterprise_a)
    assert row.covered and row.visits == 1 and row.other_visits == 1
    assert result.rate == 50
    # The previous quarter is not covered.
    assert compute(rule, user=cast.office, period=period.previous("quarter")).covered == 0


def test_coverage_page_and_scoping(client, cast, rule):
    cast.enterprise_a.is_key = cast.enterprise_b.is_key = True
    cast.enterprise_a.save()
    cast.enterprise_b.save()
    client.force_login(cast.official_a)
    html = client.get("/visits/coverage/").content.decode()
    assert cast.enterprise_a.name in html and cast.enterprise_b.name not in html
    client.force_login(cast.office)
    html = client.get(f"/visits/coverage/?rule={rule.pk}&period=2020-Q1").content.decode()
    assert "2020 Q1" in html and cast.enterprise_b.name in html


def test_coverage_rules_are_the_offices(client, cast, rule):
    client.force_login(cast.official_a)
    assert client.get("/visits/coverage/rules/new/").status_code == 403
    client.force_login(cast.office)
    response = client.post(
        "/visits/coverage/rules/new/",
        {
            "name": "规上企业每月",
            "jurisdiction": cast.district_a.pk,
            "scope": "above_scale",
            "period": "month",
            "assignment_role": "leader_contact",
            "min_visits": 1,
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    assert CoverageRule.objects.filter(name="规上企业每月", period="month").exists()
    response = client.post(
        f"/visits/coverage/rules/{rule.pk}/",
        {
            "name": rule.name,
            "jurisdiction": cast.city.pk,
            "scope": "key",
            "period": "quarter",
            "assignment_role": "leader_contact",
            "min_visits": 0,
        },
    )
    assert response.status_code == 400
    client.force_login(cast.official_b)
    other = CoverageRule.objects.create(name="x", jurisdiction=cast.district_a)
    assert client.get(f"/visits/coverage/?rule={other.pk}").status_code == 404


def test_difficulty_becomes_an_appeal_of_the_visited_enterprise(client, cast, visit, on_commit_now):
    pytest.importorskip("lianqi.appeals")
    client.force_login(cast.office)
    client.post(f"/visits/{visit.pk}/difficulties/0/appeal/")
    client.post(f"/visits/{visit.pk}/difficulties/0/appeal/")
    appeal = visit.appeals.get()
    assert appeal.enterprise == cast.enterprise_a and appeal.channel == "visit"
    assert 'data-testid="difficulty-appeal"' in client.get(f"/visits/{visit.pk}/").content.decode()
    client.force_login(cast.official_b)
    assert client.post(f"/visits/{visit.pk}/difficulties/0/appeal/").status_code == 404

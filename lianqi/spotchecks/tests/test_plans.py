from datetime import date, timedelta

import pytest
from django.utils import timezone

from lianqi.accounts.choices import Role
from lianqi.accounts.tests.factories import MembershipFactory, UserFactory
from lianqi.checklists.tests.factories import make_version
from lianqi.enterprises.tests.factories import EnterpriseFactory
from lianqi.inspections.choices import InspectionKind
from lianqi.spotchecks import services
from lianqi.spotchecks.choices import CheckResult, PlanStatus
from lianqi.spotchecks.models import CheckItem, Conflict, Draw, InspectorProfile, SpotCheckPlan, SpotCheckTarget

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english(cast):
    """Messages are checked in English (the source language)."""
    from lianqi.accounts.models import User

    User.objects.update(language="en")


@pytest.fixture
def setup(cast):
    version = make_version()
    item = CheckItem.objects.create(
        code="AQ-01",
        name_zh="安全生产主体责任落实情况",
        jurisdiction=cast.city,
        department=cast.department_a,
        template=version.template,
    )
    today = timezone.localdate()
    profiles = []
    for n in range(5):
        user = UserFactory(username=f"enforcer{n}")
        MembershipFactory(user=user, role=Role.DEPARTMENT, department=cast.department_a)
        profiles.append(
            InspectorProfile.objects.create(
                user=user,
                department=cast.department_a,
                certificate_number=f"41990200{n}",
                certificate_expiry=today + timedelta(days=365),
            )
        )
    expired = profiles[4]
    expired.certificate_expiry = today - timedelta(days=1)
    expired.save()
    for _n in range(10):
        EnterpriseFactory(jurisdiction=cast.street_a)
    Conflict.objects.create(inspector=profiles[0], enterprise=cast.enterprise_a, reason="亲属任职")
    plan = SpotCheckPlan.objects.create(
        name="2024年安全生产双随机抽查",
        batch="2024-1",
        jurisdiction=cast.district_a,
        department=cast.department_a,
        ratio=50,
        inspectors_per_target=2,
        period_start=today,
        period_end=today + timedelta(days=60),
    )
    plan.items.set([item])
    return plan, profiles


def test_draw_excludes_expired_certificates_and_conflicts_and_is_recorded(cast, setup):
    plan, profiles = setup
    record = services.draw(plan.pk, actor=cast.office)
    assert record.inputs["candidates"] == sorted(record.inputs["candidates"])
    assert profiles[4].pk not in record.inputs["inspectors"]
    assert [profiles[4].pk, "certificate_expires"] in record.inputs["excluded_inspectors"]
    assert len(record.result["targets"]) == 6  # 11 candidates × 50 % → 6
    for target in SpotCheckTarget.objects.filter(plan=plan):
        ids = set(target.inspectors.values_list("pk", flat=True))
        assert len(ids) == 2 and profiles[4].pk not in ids
        if target.enterprise_id == cast.enterprise_a.pk:
            assert profiles[0].pk not in ids
        assert target.inspection.kind == InspectionKind.SPOT_CHECK
        assert set(target.inspection.inspectors.all()) == {p.user for p in target.inspectors.all()}
    assert services.verify(record)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAWN


def test_same_seed_same_draw_on_a_copy_of_the_plan(cast, setup):
    plan, _ = setup
    items = list(plan.items.all())
    first = services.draw(plan.pk, actor=cast.office, seed="20240506")
    twin = SpotCheckPlan.objects.get(pk=plan.pk)
    twin.pk, twin.status = None, PlanStatus.DRAFT
    twin.save()
    twin.items.set(items)
    second = services.draw(twin.pk, actor=cast.office, seed="20240506")
    assert second.result == first.result


def test_a_plan_is_drawn_once_and_only_by_its_office(cast, setup):
    plan, _ = setup
    with pytest.raises(Exception) as error:
        services.draw(plan.pk, actor=cast.official_a)
    assert "command office" in str(error.value) or "指挥办公室" in str(error.value)
    services.draw(plan.pk, actor=cast.office)
    with pytest.raises(Exception) as error:
        services.draw(plan.pk, actor=cast.office)
    assert "already" in str(error.value) or "已完成抽取" in str(error.value)
    assert Draw.objects.count() == 1


def test_not_enough_inspectors_fails_clearly_and_saves_nothing(cast, setup):
    plan, profiles = setup
    InspectorProfile.objects.filter(pk__in=[p.pk for p in profiles[1:4]]).update(is_active=False)
    with pytest.raises(Exception) as error:
        services.draw(plan.pk, actor=cast.office)
    assert "needs 2 inspectors" in str(error.value) or "需要 2 名" in str(error.value)
    assert not Draw.objects.exists() and not SpotCheckTarget.objects.exists()


def test_results_published_publicly_and_withdrawn_after_five_years(client, cast, setup):
    plan, _ = setup
    services.draw(plan.pk, actor=cast.office)
    target = plan.targets.first()
    services.record_result(
        target.pk,
        actor=cast.office,
        checked_on=timezone.localdate(),
        result=CheckResult.CORRECTED,
        handling="责令限期整改",
    )
    assert services.publish(plan.pk, actor=cast.office) == 1
    page = client.get("/spot-checks/public/")  # no login
    body = page.content.decode()
    assert page.status_code == 200
    for text in (
        target.enterprise.name,
        target.enterprise.credit_code,
        "安全生产主体责任落实情况",
        "东湖区应急管理局",
        "责令限期整改",
    ):
        assert text in body
    assert client.get(f"/spot-checks/{plan.pk}/draw.json").json()["seed"]
    SpotCheckTarget.objects.filter(pk=target.pk).update(published_at=timezone.now() - timedelta(days=5 * 366))
    assert target.enterprise.name not in client.get("/spot-checks/public/").content.decode()


def test_pages_and_api(client, cast, setup, as_token):
    plan, _ = setup
    client.force_login(cast.official_b)
    assert client.get(plan.get_absolute_url()).status_code == 404
    client.force_login(cast.official_a)
    assert client.get(plan.get_absolute_url()).status_code == 200
    assert client.post(f"/spot-checks/{plan.pk}/draw/").status_code == 403  # a leader may look, not draw
    assert not Draw.objects.exists()
    api = as_token(cast.office)
    undrawn = api.get(f"/api/v1/spot-check-plans/{plan.pk}/verify/")
    assert undrawn.status_code == 404
    assert undrawn.json() == {"code": "not_drawn", "message": "The plan has not been drawn."}
    response = api.post(f"/api/v1/spot-check-plans/{plan.pk}/draw/", {"seed": "abc"}, format="json")
    assert response.status_code == 201 and response.json()["draw"]["seed"] == "abc"
    again = api.post(f"/api/v1/spot-check-plans/{plan.pk}/draw/", {}, format="json")
    assert again.status_code == 400 and again.json()["errors"]["draw"][0]["code"] == "already_drawn"
    assert api.get(f"/api/v1/spot-check-plans/{plan.pk}/verify/").json()["same_result"] is True
    assert as_token(cast.official_b).get(f"/api/v1/spot-check-plans/{plan.pk}/").status_code == 404
    client.force_login(cast.office)
    assert "verified" in client.get(plan.get_absolute_url()).content.decode()


def test_api_refuses_one_inspector_per_target(cast, setup, as_token):
    plan, _ = setup
    body = {
        "name": "x",
        "batch": "1",
        "jurisdiction": cast.district_a.pk,
        "items": [plan.items.get().pk],
        "mode": "undirected",
        "ratio": "10",
        "inspectors_per_target": 1,
        "period_start": str(date(2024, 1, 1)),
        "period_end": str(date(2024, 3, 1)),
    }
    response = as_token(cast.office).post("/api/v1/spot-check-plans/", body, format="json")
    assert response.status_code == 400
    assert "two inspectors" in str(response.json())

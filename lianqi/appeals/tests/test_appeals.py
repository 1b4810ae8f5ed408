import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from lianqi.appeals import services
from lianqi.appeals.choices import AppealStatus
from lianqi.appeals.models import Appeal, RoutingRule, TimeLimitRule
from lianqi.appeals.routing import route_for, time_limit
from lianqi.appeals.tests.conftest import raise_for
from lianqi.appeals.workflow import APPEAL_WORKFLOW
from lianqi.departments.tests.factories import DepartmentFactory
from lianqi.notifications.models import Notification
from lianqi.workflows.engine import WorkflowError

pytestmark = pytest.mark.django_db
TZ = timezone.get_fixed_timezone(480)


def on(day, hour=10):
    return time_machine.travel(datetime.datetime.combine(day, datetime.time(hour), tzinfo=TZ), tick=False)


# --- routing -----------------------------------------------------------------------------


def test_no_rule_leaves_it_in_the_office_queue(cast):
    appeal = raise_for(cast)
    assert appeal.status == AppealStatus.SUBMITTED and appeal.lead_department is None
    assert Notification.objects.filter(recipient=cast.office, event__kind="appeal.submitted").exists()
    assert appeal.channel == "portal" and appeal.first_receiver is None


def test_a_matching_rule_routes_at_once(cast, rule_a):
    appeal = raise_for(cast)
    assert appeal.status == AppealStatus.ASSIGNED and appeal.lead_department == cast.department_a
    assert appeal.time_limit_days == 3 and appeal.due_date
    assert Notification.objects.filter(recipient=cast.dept_a, event__kind="appeal.route").exists()


def test_rule_precedence_most_specific_wins(cast, rule_a):
    general = DepartmentFactory(jurisdiction=cast.city, name_zh="市发改委")
    industry = DepartmentFactory(jurisdiction=cast.city, name_zh="市工信局")
    local = DepartmentFactory(jurisdiction=cast.district_a, name_zh="东湖区商务局")
    RoutingRule.objects.create(jurisdiction=cast.city, lead_department=general)  # anything, anywhere
    RoutingRule.objects.create(
        appeal_type="raw_materials", jurisdiction=cast.city, industry_prefix="26", lead_department=industry
    )
    # type + industry beats type + deeper jurisdiction
    assert route_for("raw_materials", cast.enterprise_a).lead_department == industry
    # for another type only the catch-all matches
    assert route_for("staff", cast.enterprise_a).lead_department == general
    # a section letter matches too (C = manufacturing, the section of 261)
    RoutingRule.objects.create(
        appeal_type="sales", jurisdiction=cast.city, industry_prefix="C", lead_department=industry
    )
    assert route_for("sales", cast.enterprise_a).lead_department == industry
    # with equal specificity, priority decides
    RoutingRule.objects.create(appeal_type="staff", jurisdiction=cast.district_a, lead_department=local, priority=0)
    RoutingRule.objects.create(appeal_type="staff", jurisdiction=cast.district_a, lead_department=general, priority=5)
    assert route_for("staff", cast.enterprise_a).lead_department == general
    # rules of another district never apply
    assert route_for("raw_materials", cast.enterprise_b).lead_department == industry


def test_time_limits_defaults_rules_and_the_30_day_cap(cast):
    assert time_limit("policy", "normal") == 1
    assert time_limit("capital", "normal") == 3
    assert time_limit("capital", "normal", is_complex=True) == 15
    TimeLimitRule.objects.create(appeal_type="capital", urgency="urgent", working_days=2)
    TimeLimitRule.objects.create(appeal_type="", urgency="", working_days=5)
    assert time_limit("capital", "urgent") == 2
    assert time_limit("staff", "normal") == 5
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        TimeLimitRule(appeal_type="land", urgency="", working_days=31).full_clean()


def test_due_date_counts_working_days_across_the_holiday_and_its_make_up_day(cast, rule_a):
    # Friday 2026-09-18: 3 working days → Sunday 20th is worked (make-up day) → Tuesday 22nd.
    with on(datetime.date(2026, 9, 18)):
        appeal = raise_for(cast)
    assert appeal.due_date == datetime.date(2026, 9, 22)
    # Routed on Wednesday 30 September: the National Day week does not count; Thursday 8th,
    # Friday 9th and the make-up Saturday 10th do.
    with on(datetime.date(2026, 9, 30)):
        second = raise_for(cast)
    assert second.due_date == datetime.date(2026, 10, 10)


# --- the life cycle ------------------------------------------------------------------------


def test_objection_and_reassignment(cast, rule_a):
    appeal = raise_for(cast)
    with pytest.raises(WorkflowError):
        APPEAL_WORKFLOW.perform(appeal, "object", actor=cast.dept_a)  # needs a reason
    appeal = APPEAL_WORKFLOW.perform(appeal, "object", actor=cast.dept_a, note="原料协调属工信部门职责")
    assert appeal.status == AppealStatus.OBJECTED
    assert Notification.objects.filter(recipient=cast.office, event__kind="appeal.object").exists()
    with pytest.raises(PermissionDenied):
        APPEAL_WORKFLOW.perform(appeal, "route", actor=cast.dept_a, lead_department=cast.department_b)
    other = DepartmentFactory(jurisdiction=cast.district_a, name_zh="东湖区工信局")
    appeal = APPEAL_WORKFLOW.perform(
        appeal, "route", actor=cast.office, lead_department=other, supporting_departments=[cast.department_a]
    )
    assert appeal.status == AppealStatus.ASSIGNED and appeal.lead_department == other
    assert list(appeal.supporting_departments.all()) == [cast.department_a]


def test_objection_window_closes(cast, rule_a):
    with on(datetime.date(2026, 11, 2)):
        appeal = raise_for(cast)
    with on(datetime.date(2026, 11, 4)), pytest.raises(WorkflowError) as error:
        APPEAL_WORKFLOW.perform(appeal, "object", actor=cast.dept_a, note="too late")
    assert error.value.code == "objection_too_late"


def test_reply_rate_low_reopens_to_the_office_queue(cast, rule_a):
    appeal = raise_for(cast)
    appeal = APPEAL_WORKFLOW.perform(appeal, "accept", actor=cast.dept_a)
    with pytest.raises(PermissionDenied):
        APPEAL_WORKFLOW.perform(appeal, "reply", actor=cast.official_b, note="x")
    appeal = APPEAL_WORKFLOW.perform(appeal, "reply", actor=cast.dept_a, note="已联系两家供应商，下周到货")
    assert Notification.objects.filter(recipient=cast.enterprise_user, event__kind="appeal.reply").exists()
    with pytest.raises(PermissionDenied):
        services.rate(appeal, actor=cast.official_a, rating=5)
    appeal = services.rate(appeal, actor=cast.enterprise_user, rating=2, comment="仍未到货")
    assert appeal.status == AppealStatus.REOPENED and appeal.rating == 2
    assert Notification.objects.filter(recipient=cast.office, event__kind="appeal.rate_unsatisfied").exists()
    assert Appeal.objects.filter(status__in=["submitted", "objected", "reopened"]).count() == 1


def test_high_rating_but_not_solved_also_reopens_and_a_good_one_closes(cast, rule_a):
    appeal = raise_for(cast)
    appeal = APPEAL_WORKFLOW.perform(appeal, "accept", actor=cast.dept_a)
    appeal = APPEAL_WORKFLOW.perform(appeal, "reply", actor=cast.dept_a, note="答复")
    appeal = services.rate(appeal, actor=cast.enterprise_user, rating=4, solved=False)
    assert appeal.status == AppealStatus.REOPENED
    appeal = APPEAL_WORKFLOW.perform(appeal, "route", actor=cast.office, lead_department=cast.department_a)
    appeal = APPEAL_WORKFLOW.perform(appeal, "accept", actor=cast.dept_a)
    appeal = APPEAL_WORKFLOW.perform(appeal, "reply", actor=cast.dept_a, note="已到货")
    with pytest.raises(WorkflowError):
        services.rate(appeal, actor=cast.enterprise_user, rating=9)
    appeal = services.rate(appeal, actor=cast.enterprise_user, rating=5)
    assert appeal.status == AppealStatus.CLOSED and appeal.closed_at
    appeal = APPEAL_WORKFLOW.perform(appeal, "follow_up", actor=cast.office, note="电话回访，企业满意")
    assert appeal.followed_up_at and appeal.status == AppealStatus.CLOSED


def test_extension_before_and_after_the_due_date(cast, rule_a):
    with on(datetime.date(2026, 11, 2)):
        appeal = raise_for(cast)
        appeal = APPEAL_WORKFLOW.perform(appeal, "accept", actor=cast.dept_a)
    due = appeal.due_date
    with pytest.raises(WorkflowError) as late:
        services.request_extension(
            appeal,
            actor=cast.dept_a,
            until=due + datetime.timedelta(days=5),
            reason="x",
            today=due + datetime.timedelta(days=1),
        )
    assert late.value.code == "too_late"
    with pytest.raises(PermissionDenied):
        services.request_extension(
            appeal, actor=cast.enterprise_user, until=due + datetime.timedelta(days=5), reason="x", today=due
        )
    appeal = services.request_extension(
        appeal, actor=cast.dept_a, until=due + datetime.timedelta(days=5), reason="需要协调外省企业", today=due
    )
    with pytest.raises(PermissionDenied):
        services.decide_extension(appeal, actor=cast.dept_a, approve=True)
    appeal = services.decide_extension(appeal, actor=cast.office, approve=True)
    assert appeal.due_date == due + datetime.timedelta(days=5) and appeal.extension_until is None


# --- scoping -------------------------------------------------------------------------------


def test_enterprise_sees_only_its_own_and_departments_what_they_lead_or_support(cast, rule_a):
    mine = raise_for(cast)
    other = services.raise_appeal(
        actor=cast.admin, enterprise=cast.enterprise_b, appeal_type="staff", title="缺工", description="缺工 30 人"
    )
    assert list(Appeal.objects.visible_to(cast.enterprise_user)) == [mine]
    assert list(Appeal.objects.visible_to(cast.dept_a)) == [mine]
    APPEAL_WORKFLOW.perform(
        other, "route", actor=cast.admin, lead_department=cast.department_b, supporting_departments=[cast.department_a]
    )
    # supporting, but outside department A's jurisdiction (district B): still not visible
    assert list(Appeal.objects.visible_to(cast.dept_a)) == [mine]
    assert list(Appeal.objects.visible_to(cast.official_b)) == [other]


# --- bad input -----------------------------------------------------------------------------


def test_bad_input_is_refused_with_nothing_saved(cast):
    with pytest.raises(WorkflowError) as error:
        raise_for(cast, description="  ")
    assert "description" in error.value.message_dict
    exe = SimpleUploadedFile("tool.exe", b"MZ\x90\x00", content_type="application/octet-stream")
    with pytest.raises(WorkflowError) as error:
        raise_for(cast, attachments=[exe])
    assert "attachments" in error.value.message_dict
    big = SimpleUploadedFile("scan.pdf", b"%PDF-1.4" + b"0" * (11 * 1024 * 1024), content_type="application/pdf")
    with pytest.raises(WorkflowError):
        raise_for(cast, attachments=[big])
    assert not Appeal.objects.exists()


def test_pages_and_api(client, as_token, cast, rule_a):
    client.force_login(cast.enterprise_user)
    bad = client.post(
        "/appeals/new/",
        {"enterprise": cast.enterprise_a.pk, "appeal_type": "raw_materials", "title": "x", "description": ""},
    )
    assert bad.status_code == 400 and "description" in bad.context["form"].errors
    ok = client.post(
        "/appeals/new/",
        {
            "enterprise": cast.enterprise_a.pk,
            "appeal_type": "raw_materials",
            "urgency": "normal",
            "title": "缺原料",
            "description": "请协调",
        },
    )
    assert ok.status_code == 302
    appeal = Appeal.objects.get()
    client.force_login(cast.official_b)
    assert client.get(f"/appeals/{appeal.pk}/").status_code == 404
    assert as_token(cast.official_b).get(f"/api/v1/appeals/{appeal.pk}/").status_code == 404
    api = as_token(cast.dept_a)
    assert api.get(f"/api/v1/appeals/{appeal.pk}/").json()["available_actions"] == ["object", "accept"]
    assert api.post(f"/api/v1/appeals/{appeal.pk}/transitions/accept/", {}, format="json").status_code == 200
    missing = api.post(f"/api/v1/appeals/{appeal.pk}/transitions/reply/", {}, format="json")
    assert missing.status_code == 400 and "note" in missing.json()["errors"]
    assert (
        api.post(f"/api/v1/appeals/{appeal.pk}/transitions/reply/", {"note": "已协调"}, format="json").status_code
        == 200
    )
    rated = as_token(cast.enterprise_user).post(f"/api/v1/appeals/{appeal.pk}/rate/", {"rating": 7}, format="json")
    assert rated.status_code == 400 and "rating" in rated.json()["errors"]
    rated = as_token(cast.enterprise_user).post(
        f"/api/v1/appeals/{appeal.pk}/rate/", {"rating": 1, "solved": False}, format="json"
    )
    assert rated.json()["status"] == "reopened"
    client.force_login(cast.office)
    stats_page = client.get("/appeals/statistics/")
    assert stats_page.status_code == 200 and stats_page.context["figures"]["total"] == 1
    weekly = client.get("/appeals/weekly/")
    import io

    from openpyxl import load_workbook

    rows = list(load_workbook(io.BytesIO(b"".join(weekly.streaming_content))).active.iter_rows(values_only=True))
    assert rows[1][0] == appeal.number
    client.force_login(cast.enterprise_user)
    assert client.get("/appeals/statistics/").status_code == 403


def test_routing_rules_page_for_the_office_only(client, cast):
    client.force_login(cast.official_a)
    assert client.get("/appeals/rules/").status_code == 403
    client.force_login(cast.office)
    bad = client.post(
        "/appeals/rules/",
        {"appeal_type": "capital", "industry_prefix": "ZZ9", "lead_department": cast.department_a.pk, "priority": 0},
    )
    assert bad.status_code == 400 and "industry_prefix" in bad.context["form"].errors
    ok = client.post(
        "/appeals/rules/",
        {
            "appeal_type": "capital",
            "jurisdiction": cast.district_a.pk,
            "industry_prefix": "26",
            "lead_department": cast.department_a.pk,
            "priority": 0,
            "is_active": "on",
        },
    )
    assert ok.status_code == 302 and RoutingRule.objects.count() == 1


def test_overdue_escalates(cast, rule_a):
    from lianqi.notifications.deadlines import check_deadlines

    with on(datetime.date(2026, 11, 2)):
        appeal = raise_for(cast)
    with on(appeal.due_date + datetime.timedelta(days=5)):
        check_deadlines()
    assert Notification.objects.filter(recipient=cast.office, event__kind="appeal.escalation2").exists()
    assert Notification.objects.filter(recipient=cast.dept_a, event__kind="appeal.overdue").exists()

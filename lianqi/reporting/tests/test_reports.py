"""Submitting daily reports: checks, one tap, on behalf, appeals, reminders, pages and API, scoping."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from lianqi.notifications.models import Event, Notification
from lianqi.reporting import services
from lianqi.reporting.models import DailyReport, MaterialReport, TrackingRule

from .scenario import TZ, at

pytestmark = pytest.mark.django_db
DAY = datetime.date(2024, 3, 4)
FIGURES = {"resumed": True, "staff_total": 100, "staff_on_post": 80, "capacity_pct": Decimal("60")}


@pytest.fixture
def tracked(cast):
    from lianqi.enterprises.choices import Scale

    for e in (cast.enterprise_a, cast.enterprise_b):
        e.scale = Scale.ABOVE
        e.save()
    TrackingRule.objects.create(name="规上", jurisdiction=cast.city, start=DAY, scale=Scale.ABOVE)
    with at(DAY, 0, 5):
        services.sync_tracking()
    return cast


def test_enterprise_reports_on_time_and_office_late_on_behalf(tracked):
    with at(DAY, 11, 59):
        own = services.submit_report(tracked.enterprise_a, actor=tracked.enterprise_user, date=DAY, **FIGURES)
    with at(DAY, 12, 1):
        behalf = services.submit_report(tracked.enterprise_b, actor=tracked.office, date=DAY, **FIGURES)
    assert (own.channel, own.late) == ("enterprise", False)
    assert (behalf.channel, behalf.late) == ("on_behalf", True)


def test_others_may_not_report(tracked):
    for user in (tracked.official_b, tracked.inspector_a, tracked.outsider):
        with pytest.raises(PermissionDenied):
            services.submit_report(tracked.enterprise_a, actor=user, **FIGURES)
    with pytest.raises(PermissionDenied):
        services.submit_report(tracked.enterprise_b, actor=tracked.enterprise_user, **FIGURES)


@pytest.mark.parametrize(
    ("figures", "field", "code"),
    [
        ({"staff_on_post": 101}, "staff_on_post", "on_post_exceeds_total"),
        ({"capacity_pct": Decimal("120")}, "capacity_note", "capacity_unexplained"),
    ],
)
def test_sanity_checks(tracked, figures, field, code):
    with pytest.raises(ValidationError) as error:
        services.submit_report(tracked.enterprise_a, actor=tracked.enterprise_user, **{**FIGURES, **figures})
    assert error.value.error_dict[field][0].code == code
    assert not DailyReport.objects.exists()


def test_capacity_above_100_with_an_explanation_is_accepted(tracked):
    report = services.submit_report(
        tracked.enterprise_a,
        actor=tracked.enterprise_user,
        capacity_note="三班倒赶制订单",
        **{**FIGURES, "capacity_pct": Decimal("115")},
    )
    assert report.capacity_pct == Decimal("115")


def test_jump_from_yesterday_asks_for_confirmation(tracked, settings):
    settings.DAILY_REPORT_JUMP_FACTOR = 3.0
    with at(DAY, 9):
        services.submit_report(tracked.enterprise_a, actor=tracked.enterprise_user, date=DAY, **FIGURES)
    next_day = DAY + datetime.timedelta(days=1)
    jumped = {**FIGURES, "staff_total": 1000, "staff_on_post": 900}
    with at(next_day, 9):
        with pytest.raises(ValidationError) as error:
            services.submit_report(tracked.enterprise_a, actor=tracked.enterprise_user, date=next_day, **jumped)
        assert {e.code for e in error.value.error_dict["staff_on_post"]} == {"confirm_jump"}
        report = services.submit_report(
            tracked.enterprise_a, actor=tracked.enterprise_user, date=next_day, confirmed=True, **jumped
        )
    assert report.staff_on_post == 900


def test_one_tap_repeats_yesterday_and_a_correction_keeps_the_time(tracked):
    with at(DAY, 9):
        services.submit_report(tracked.enterprise_a, actor=tracked.enterprise_user, date=DAY, **FIGURES)
    next_day = DAY + datetime.timedelta(days=1)
    with at(next_day, 8):
        again = services.repeat_yesterday(tracked.enterprise_a, actor=tracked.enterprise_user)
    assert (again.date, again.staff_on_post, again.capacity_pct, again.late) == (next_day, 80, Decimal("60"), False)
    with at(next_day, 14):
        corrected = services.submit_report(
            tracked.enterprise_a, actor=tracked.enterprise_user, date=next_day, **{**FIGURES, "staff_on_post": 82}
        )
    assert (corrected.pk, corrected.revisions, corrected.late) == (again.pk, 1, False)


def test_difficulties_become_appeals(tracked):
    from lianqi.appeals.models import Appeal

    report = services.submit_report(
        tracked.enterprise_a, actor=tracked.enterprise_user, difficulties="原料缺口：环氧乙烷短缺", **FIGURES
    )
    appeal = Appeal.objects.get()
    assert report.appeal_reference == appeal.number
    assert (appeal.channel, appeal.appeal_type, appeal.enterprise) == ("daily_report", "other", tracked.enterprise_a)
    assert appeal.description == "原料缺口：环氧乙烷短缺"
    # A correction with the same text raises nothing new; a new text does.
    services.submit_report(
        tracked.enterprise_a, actor=tracked.enterprise_user, difficulties="原料缺口：环氧乙烷短缺", **FIGURES
    )
    assert Appeal.objects.count() == 1
    services.submit_report(tracked.enterprise_a, actor=tracked.enterprise_user, difficulties="物流受阻", **FIGURES)
    assert Appeal.objects.count() == 2


def test_material_shortfall_becomes_a_raw_materials_appeal(tracked):
    from lianqi.appeals.models import Appeal

    tracked.enterprise_a.material_producer = True
    tracked.enterprise_a.save()
    report = services.submit_material(
        tracked.enterprise_a,
        actor=tracked.enterprise_user,
        material="mask_n95",
        capacity=1000,
        output=600,
        stock=200,
        shortfall="熔喷布缺口 2 吨",
    )
    assert Appeal.objects.get(number=report.appeal_reference).appeal_type == "raw_materials"


def test_reminders_before_and_after_the_due_hour_once_each(tracked, on_commit_now):
    with time_machine.travel(datetime.datetime(2024, 3, 4, 9, 0, tzinfo=TZ), tick=False):
        assert services.remind_missing() == 0  # too early
    with time_machine.travel(datetime.datetime(2024, 3, 4, 10, 30, tzinfo=TZ), tick=False):
        services.submit_report(tracked.enterprise_b, actor=tracked.office, **FIGURES)
        assert services.remind_missing() == 1  # A only: B has reported
        assert services.remind_missing() == 0
    with time_machine.travel(datetime.datetime(2024, 3, 4, 12, 30, tzinfo=TZ), tick=False):
        assert services.remind_missing() == 1
    kinds = sorted(Event.objects.values_list("kind", flat=True))
    assert kinds == ["daily_report.overdue", "daily_report.reminder"]
    reminded = set(
        Notification.objects.filter(event__kind="daily_report.reminder").values_list("recipient__username", flat=True)
    )
    overdue = set(
        Notification.objects.filter(event__kind="daily_report.overdue").values_list("recipient__username", flat=True)
    )
    assert reminded == {"enterprise_user"}
    assert {"enterprise_user", "inspector_a"} <= overdue and "official_b" not in overdue


def test_materials_and_supply_demand(tracked):
    from lianqi.reporting.materials import supply_demand

    producer = tracked.enterprise_a
    producer.material_producer = True
    producer.save()
    with at(DAY, 9):
        services.submit_report(producer, actor=tracked.enterprise_user, date=DAY, **FIGURES)
        services.submit_material(
            producer,
            actor=tracked.enterprise_user,
            date=DAY,
            material="mask_medical",
            capacity=500,
            output=400,
            stock=1000,
            quality="passed",
        )
        with pytest.raises(ValidationError):
            services.submit_material(
                tracked.enterprise_b, actor=tracked.office, date=DAY, material="suit", capacity=1, output=1, stock=1
            )
    with at(DAY, 20):
        view = supply_demand(tracked.city, DAY)
    masks = view["rows"][0]
    assert view["staff_on_post"] == 80
    assert (masks["output"], masks["need"], masks["coverage"], masks["stock_days"]) == (
        400,
        Decimal("160.0"),
        250.0,
        6.3,
    )
    assert MaterialReport.objects.count() == 1


# --- Pages and API ----------------------------------------------------------------------------


def test_enterprise_home_card_and_one_tap_page(tracked, client):
    with at(DAY, 9):
        services.submit_report(tracked.enterprise_a, actor=tracked.enterprise_user, date=DAY, **FIGURES)
    client.force_login(tracked.enterprise_user)
    with at(DAY + datetime.timedelta(days=1), 8):
        home = client.get("/")
        assert b'data-testid="one-tap"' in home.content
        response = client.post(f"/reports/enterprise/{tracked.enterprise_a.pk}/repeat/")
        assert response.status_code == 302
        assert DailyReport.objects.filter(date=DAY + datetime.timedelta(days=1)).count() == 1
        assert "Sent" in client.get("/").content.decode() or "已" in client.get("/").content.decode()


def test_form_page_jump_needs_confirmation(tracked, client):
    with at(DAY, 9):
        services.submit_report(tracked.enterprise_a, actor=tracked.enterprise_user, date=DAY, **FIGURES)
    client.force_login(tracked.enterprise_user)
    url = f"/reports/enterprise/{tracked.enterprise_a.pk}/"
    data = {"resumed": "on", "staff_total": 1000, "staff_on_post": 900, "capacity_pct": "60"}
    with at(DAY + datetime.timedelta(days=1), 9):
        page = client.get(url)
        assert b'value="80"' in page.content  # pre-filled from yesterday
        response = client.post(url, data)
        assert response.status_code == 200, response
        assert b'data-testid="confirm-jump"' in response.content
        response = client.post(url, {**data, "confirmed": "on"})
        assert response.status_code == 302


def test_pages_scope(tracked, client):
    client.force_login(tracked.official_b)
    assert client.get(f"/reports/enterprise/{tracked.enterprise_a.pk}/").status_code == 404
    client.force_login(tracked.inspector_a)
    assert client.get(f"/reports/enterprise/{tracked.enterprise_a.pk}/").status_code == 403
    with at(DAY, 13):
        page = client.get("/reports/?date=2024-03-04&state=missing")
    assert page.status_code == 200 and "东湖精细化工有限公司" in page.content.decode()
    assert "西山食品有限公司" not in page.content.decode()
    client.force_login(tracked.outsider)
    assert client.get("/reports/").status_code == 403


def test_api_submit_list_and_scope(tracked, as_token):
    api = as_token(tracked.enterprise_user)
    with at(DAY, 9):
        response = api.post(
            "/api/v1/daily-reports/",
            {
                "enterprise": tracked.enterprise_a.pk,
                "resumed": True,
                "staff_total": 10,
                "staff_on_post": 11,
                "capacity_pct": "50",
            },
            format="json",
        )
        assert response.status_code == 400
        assert response.json()["errors"]["staff_on_post"][0]["code"] == "on_post_exceeds_total"
        response = api.post(
            "/api/v1/daily-reports/",
            {
                "enterprise": tracked.enterprise_a.pk,
                "resumed": True,
                "staff_total": 10,
                "staff_on_post": 9,
                "capacity_pct": "50",
            },
            format="json",
        )
        assert response.status_code == 201, response.json()
        assert response.json()["channel"] == "system"
        assert (
            api.post(
                "/api/v1/daily-reports/",
                {
                    "enterprise": tracked.enterprise_b.pk,
                    "resumed": True,
                    "staff_total": 10,
                    "staff_on_post": 9,
                    "capacity_pct": "50",
                },
                format="json",
            ).status_code
            == 404
        )
        services.submit_report(tracked.enterprise_b, actor=tracked.office, **FIGURES)
    assert [r["enterprise"] for r in api.get("/api/v1/daily-reports/").json()["results"]] == [tracked.enterprise_a.pk]
    assert len(as_token(tracked.office).get("/api/v1/daily-reports/").json()["results"]) == 2
    assert (
        as_token(tracked.official_b).get("/api/v1/daily-reports/").json()["results"][0]["enterprise"]
        == tracked.enterprise_b.pk
    )
    assert as_token(tracked.inspector_a).post("/api/v1/daily-reports/", {}, format="json").status_code == 403

"""Reminders and escalation with a frozen clock; a job run twice or late does the right thing once."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from lianqi.notifications.deadlines import check_deadlines, stages_due
from lianqi.notifications.models import DeadlinePolicy, Event, Notification

pytestmark = pytest.mark.django_db
TZ = timezone.get_fixed_timezone(480)


def at(day: datetime.date):
    return time_machine.travel(datetime.datetime.combine(day, datetime.time(9, 0), tzinfo=TZ), tick=False)


def kinds(user):
    return sorted(Notification.objects.filter(recipient=user, channel="inapp").values_list("event__kind", flat=True))


def test_stage_arithmetic():
    policy = DeadlinePolicy(kind="x", remind_days_before=1, first_escalation_days=1, second_escalation_days=3)
    d = datetime.date(2026, 12, 10)
    assert stages_due(d, datetime.date(2026, 12, 8), policy) == []
    assert stages_due(d, datetime.date(2026, 12, 9), policy) == ["reminder"]
    assert stages_due(d, datetime.date(2026, 12, 10), policy) == ["reminder"]
    assert stages_due(d, datetime.date(2026, 12, 11), policy) == ["overdue", "escalation1"]
    assert stages_due(d, datetime.date(2026, 12, 13), policy) == ["overdue", "escalation1", "escalation2"]


def test_reminder_overdue_and_two_escalations_each_sent_once(in_rectification, cast):
    hazard = in_rectification
    DeadlinePolicy.objects.create(
        kind="hazard", remind_days_before=1, first_escalation_days=2, second_escalation_days=4
    )
    deadline = hazard.deadline
    Notification.objects.all().delete()

    with at(deadline - datetime.timedelta(days=3)):
        assert check_deadlines() == 0
    with at(deadline - datetime.timedelta(days=1)):
        assert check_deadlines() == 1
        assert check_deadlines() == 0  # twice: nothing new
    assert kinds(cast.enterprise_user) == ["hazard.reminder"]

    with at(deadline + datetime.timedelta(days=1)):
        assert check_deadlines() == 1
    assert kinds(cast.enterprise_user) == ["hazard.overdue", "hazard.reminder"]
    assert not Notification.objects.filter(recipient=cast.dept_a).exists()

    with at(deadline + datetime.timedelta(days=2)):
        check_deadlines()
        check_deadlines()
    assert kinds(cast.dept_a) == ["hazard.escalation1"]  # the supervising department
    assert not Notification.objects.filter(recipient=cast.office).exists()

    with at(deadline + datetime.timedelta(days=4)):
        check_deadlines()
    assert kinds(cast.office) == ["hazard.escalation2"]  # the command office
    assert (
        Event.objects.filter(kind__startswith="hazard.", object_id=hazard.pk).count() == 1 + 4 + 1
    )  # steps + stages + order
    assert (
        Notification.objects.filter(
            recipient=cast.enterprise_user, event__kind="hazard.overdue", channel="inapp"
        ).count()
        == 1
    )


def test_a_late_job_sends_no_stale_reminder(in_rectification, cast):
    hazard = in_rectification
    Notification.objects.all().delete()
    with at(hazard.deadline + datetime.timedelta(days=5)):
        check_deadlines()
    sent = kinds(cast.enterprise_user)
    assert "hazard.reminder" not in sent and "hazard.overdue" in sent
    assert kinds(cast.office) == ["hazard.escalation2"]


def test_an_extended_deadline_starts_the_sequence_again(in_rectification, cast):
    from lianqi.hazards import services

    hazard = in_rectification
    with at(hazard.deadline - datetime.timedelta(days=1)):
        check_deadlines()
        extension = services.request_extension(
            hazard,
            actor=cast.enterprise_user,
            new_deadline=hazard.deadline + datetime.timedelta(days=10),
            reason="设备",
        )
        services.decide_extension(extension, actor=cast.inspector_a, approve=True)
    hazard.refresh_from_db()
    with at(hazard.deadline + datetime.timedelta(days=1 - 10)):  # the old deadline has passed: no longer overdue
        check_deadlines()
    assert "hazard.overdue" not in kinds(cast.enterprise_user)
    with at(hazard.deadline - datetime.timedelta(days=1)):
        check_deadlines()
    assert kinds(cast.enterprise_user).count("hazard.reminder") == 2


def test_closed_hazards_get_no_reminders(in_rectification, cast, photo):
    from lianqi.hazards.workflow import HAZARD_WORKFLOW

    hazard = HAZARD_WORKFLOW.perform(
        in_rectification, "submit_rectification", actor=cast.enterprise_user, note="x", photos=[photo()]
    )
    with at(hazard.deadline + datetime.timedelta(days=9)):
        assert check_deadlines() == 0


def test_person_without_email_gets_in_app_notice_and_the_office_is_told(in_rectification, cast):
    from django.core import mail

    cast.enterprise_user.email = ""
    cast.enterprise_user.save()
    cast.inspector_a.email = "inspector@example.gov.cn"
    cast.inspector_a.save()
    mail.outbox.clear()
    with at(in_rectification.deadline - datetime.timedelta(days=1)):
        check_deadlines()
    mine = Notification.objects.get(recipient=cast.enterprise_user, event__kind="hazard.reminder", channel="email")
    assert mine.status == "unreachable"
    assert Notification.objects.filter(
        recipient=cast.enterprise_user, event__kind="hazard.reminder", channel="inapp"
    ).exists()
    told = Notification.objects.filter(recipient=cast.office, event__kind="user.unreachable")
    assert told.count() == 1
    assert [m.to for m in mail.outbox] == [["inspector@example.gov.cn"]]  # the issuer, who has an address


def test_notifications_are_in_the_recipients_language(in_rectification, cast):
    cast.enterprise_user.language = "en"
    cast.enterprise_user.save()
    cast.inspector_a.language = "zh-hans"
    cast.inspector_a.save()
    with at(in_rectification.deadline - datetime.timedelta(days=1)):
        check_deadlines()
    english = Notification.objects.get(recipient=cast.enterprise_user, event__kind="hazard.reminder", channel="inapp")
    chinese = Notification.objects.get(recipient=cast.inspector_a, event__kind="hazard.reminder", channel="inapp")
    assert english.title.startswith(f"Hazard {in_rectification.number} is due on")
    assert chinese.title != english.title and in_rectification.number in chinese.title
    assert english.url.endswith(in_rectification.get_absolute_url())


def test_escalations_also_go_out_by_sms(in_rectification, cast):
    from lianqi.notifications.sms import LoggingSMSBackend

    cast.dept_a.phone = "13900001111"
    cast.dept_a.save()
    LoggingSMSBackend.sent.clear()
    with at(in_rectification.deadline + datetime.timedelta(days=1)):
        check_deadlines()
    assert Notification.objects.get(recipient=cast.dept_a, channel="sms").status == "sent"
    assert LoggingSMSBackend.sent and LoggingSMSBackend.sent[-1][0] == "139****1111"


def test_an_inbox_is_personal_even_for_an_administrator(in_rectification, cast, client):
    """An administrator's inbox, “open” and “mark all read” touch their own notifications only."""
    mine = Notification.objects.filter(recipient=cast.enterprise_user, read_at__isnull=True).first()
    assert mine is not None
    client.force_login(cast.admin)
    assert client.get(f"/inbox/{mine.pk}/").status_code == 404
    assert mine.pk not in [n.pk for n in client.get("/inbox/").context["page_obj"]]
    assert client.post("/inbox/read-all/").status_code == 302
    mine.refresh_from_db()
    assert mine.read_at is None
    client.force_login(cast.enterprise_user)
    assert client.get(f"/inbox/{mine.pk}/").status_code == 302
    mine.refresh_from_db()
    assert mine.read_at is not None

from datetime import date

import pytest
from django.conf import settings
from django.core.management import call_command

from lianqi.enterprises.tests.factories import AssignmentFactory
from lianqi.inspections.choices import Assignee, Frequency, PlanTargets
from lianqi.inspections.models import Inspection, RecurringPlan
from lianqi.inspections.scheduling import generate, period_for
from lianqi.inspections.tasks import generate_recurring

pytestmark = pytest.mark.django_db


def test_periods():
    assert period_for(Frequency.MONTHLY, date(2024, 2, 10)) == (date(2024, 2, 1), date(2024, 2, 29))
    assert period_for(Frequency.QUARTERLY, date(2024, 5, 31)) == (date(2024, 4, 1), date(2024, 6, 30))
    assert period_for(Frequency.YEARLY, date(2024, 5, 31)) == (date(2024, 1, 1), date(2024, 12, 31))


def test_recurring_plans_make_one_inspection_per_enterprise_and_period(cast, version):
    cast.enterprise_a.is_key = True
    cast.enterprise_a.save()
    AssignmentFactory(enterprise=cast.enterprise_a, official=cast.inspector_a)
    monthly = RecurringPlan.objects.create(
        name="重点企业月检",
        template=version.template,
        jurisdiction=cast.city,
        frequency=Frequency.MONTHLY,
        targets=PlanTargets.KEY,
        assignee=Assignee.ASSIGNED_OFFICIALS,
    )
    quarterly = RecurringPlan.objects.create(
        name="一般企业季检",
        template=version.template,
        jurisdiction=cast.city,
        frequency=Frequency.QUARTERLY,
        targets=PlanTargets.OTHERS,
        assignee=Assignee.FIXED,
    )
    quarterly.people.set([cast.official_b])
    day = date(2024, 5, 6)
    assert generate(day) == 2
    assert generate(day) == 0  # idempotent within the period
    call_command("generate_inspections", "--date", "2024-05-20", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert Inspection.objects.count() == 2
    key = Inspection.objects.get(plan=monthly)
    assert key.enterprise == cast.enterprise_a and list(key.inspectors.all()) == [cast.inspector_a]
    assert (key.period_start, key.due_date) == (date(2024, 5, 1), date(2024, 5, 31))
    other = Inspection.objects.get(plan=quarterly)
    assert other.enterprise == cast.enterprise_b and other.due_date == date(2024, 6, 30)
    assert generate(date(2024, 6, 3)) == 1  # June: a new month for the monthly plan only
    assert settings.CELERY_BEAT_SCHEDULE["generate-recurring-inspections"]["task"] == "inspections.generate_recurring"
    assert generate_recurring() >= 0

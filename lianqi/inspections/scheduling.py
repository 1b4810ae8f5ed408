"""Recurring plans → inspections, one per enterprise and period.

``generate(today)`` is idempotent: running it twice in a period (or from two workers at once)
makes each inspection once, guarded by the ``inspection_one_per_plan_period`` constraint.
It is run daily by the Celery beat entry in ``tasks.py`` and by ``manage.py
generate_inspections``.
"""

from __future__ import annotations

import calendar
import logging
from datetime import date

from django.db import IntegrityError, transaction
from django.utils import timezone

from lianqi.enterprises.models import Assignment, Enterprise

from .choices import Assignee, Frequency, InspectionKind, PlanTargets
from .models import Inspection, RecurringPlan
from .services import plan_inspection

log = logging.getLogger(__name__)
MONTHS = {Frequency.MONTHLY: 1, Frequency.QUARTERLY: 3, Frequency.HALF_YEARLY: 6, Frequency.YEARLY: 12}


def period_for(frequency: str, day: date) -> tuple[date, date]:
    """The calendar period containing ``day``: month, quarter, half-year or year."""
    months = MONTHS[frequency]
    first_month = (day.month - 1) // months * months + 1
    last_month = first_month + months - 1
    return date(day.year, first_month, 1), date(day.year, last_month, calendar.monthrange(day.year, last_month)[1])


def targets(plan: RecurringPlan):
    enterprises = Enterprise.objects.active().filter(jurisdiction__path__startswith=plan.jurisdiction.path)
    if plan.targets == PlanTargets.KEY:
        enterprises = enterprises.filter(is_key=True)
    elif plan.targets == PlanTargets.OTHERS:
        enterprises = enterprises.filter(is_key=False)
    elif plan.targets == PlanTargets.HAZARDOUS_CHEMICALS:
        enterprises = enterprises.filter(hazardous_chemicals=True)
    return enterprises.select_related("jurisdiction").order_by("pk")


def _people(plan: RecurringPlan, enterprise: Enterprise, fixed: list) -> list:
    if plan.assignee == Assignee.FIXED:
        return fixed
    if plan.assignee == Assignee.ASSIGNED_OFFICIALS:
        return [
            a.official for a in Assignment.objects.current().filter(enterprise=enterprise).select_related("official")
        ]
    return []


def generate_for_plan(plan: RecurringPlan, today: date) -> int:
    start, end = period_for(plan.frequency, today)
    version = plan.template.latest_published()
    if version is None:
        log.warning("Plan %s: template %s has no published version; nothing generated.", plan.pk, plan.template_id)
        return 0
    existing = set(Inspection.objects.filter(plan=plan, period_start=start).values_list("enterprise_id", flat=True))
    fixed = list(plan.people.all())
    kind = InspectionKind.SELF if plan.assignee == Assignee.ENTERPRISE else plan.kind
    made = 0
    for enterprise in targets(plan):
        if enterprise.pk in existing:
            continue
        try:
            with transaction.atomic():
                plan_inspection(
                    actor=None,
                    kind=kind,
                    enterprise=enterprise,
                    planned_date=max(start, today),
                    due_date=end,
                    template_version=version,
                    title=plan.name,
                    inspectors=_people(plan, enterprise, fixed),
                    plan=plan,
                    period_start=start,
                )
        except IntegrityError:
            continue  # made meanwhile by another run: that is the one
        made += 1
    return made


def generate(today: date | None = None) -> int:
    today = today or timezone.localdate()
    total = 0
    for plan in RecurringPlan.objects.filter(is_active=True).select_related("jurisdiction", "template"):
        total += generate_for_plan(plan, today)
    return total

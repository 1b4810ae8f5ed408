"""Coverage of assignments: did each enterprise in a rule's scope get its visit(s) from the
official assigned to it (e.g. its contact leader) in the period? A fixed number of queries
whatever the number of enterprises."""

from __future__ import annotations

import calendar
import datetime
import re
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext

from lianqi.enterprises.models import Assignment, Enterprise
from lianqi.inspections.choices import InspectionKind, InspectionStatus
from lianqi.inspections.models import Inspection

from .choices import CoveragePeriod, CoverageScope
from .models import VisitOrganisation

SCOPE_FILTERS = {
    CoverageScope.KEY: Q(is_key=True),
    CoverageScope.ABOVE_SCALE: Q(scale="above"),
    CoverageScope.HAZARDOUS_CHEMICALS: Q(hazardous_chemicals=True),
    CoverageScope.KEY_FIRE_UNIT: Q(key_fire_unit=True),
    CoverageScope.MATERIAL_PRODUCER: Q(material_producer=True),
    CoverageScope.ALL: Q(),
}


@dataclass
class Period:
    start: datetime.date
    end: datetime.date
    label: str
    param: str

    def previous(self, kind) -> Period:
        return period_for(kind, self.start - datetime.timedelta(days=1))

    def following(self, kind) -> Period:
        return period_for(kind, self.end + datetime.timedelta(days=1))


def period_for(kind: str, day: datetime.date) -> Period:
    if kind == CoveragePeriod.MONTH:
        start = day.replace(day=1)
        end = day.replace(day=calendar.monthrange(day.year, day.month)[1])
        return Period(start, end, f"{day:%Y-%m}", f"{day:%Y-%m}")
    quarter = (day.month - 1) // 3
    start = datetime.date(day.year, quarter * 3 + 1, 1)
    last_month = quarter * 3 + 3
    end = datetime.date(day.year, last_month, calendar.monthrange(day.year, last_month)[1])
    return Period(start, end, f"{day.year} Q{quarter + 1}", f"{day.year}-Q{quarter + 1}")


def parse_period(kind: str, value: str | None) -> Period:
    """``2025-Q2`` or ``2025-05`` (either kind accepts both); today's period otherwise."""
    value = (value or "").strip()
    day = timezone.localdate()
    m = re.fullmatch(r"(\d{4})-Q([1-4])", value, re.I)
    n = re.fullmatch(r"(\d{4})-(\d{1,2})", value)
    if m:
        day = datetime.date(int(m.group(1)), (int(m.group(2)) - 1) * 3 + 1, 1)
    elif n and 1 <= int(n.group(2)) <= 12:
        day = datetime.date(int(n.group(1)), int(n.group(2)), 1)
    return period_for(kind, day)


@dataclass
class CoverageRow:
    enterprise: Enterprise
    contacts: list = field(default_factory=list)
    visits: int = 0
    last_visit: datetime.date | None = None
    other_visits: int = 0  # leader visits in the period by someone other than the contact
    covered: bool = False

    @property
    def status(self) -> str:
        if not self.contacts:
            return "no_contact"
        return "covered" if self.covered else "gap"

    @property
    def status_label(self) -> str:
        return {
            "covered": gettext("Visited"),
            "gap": gettext("Not visited"),
            "no_contact": gettext("No contact assigned"),
        }[self.status]


@dataclass
class Coverage:
    rule: object
    period: Period
    rows: list[CoverageRow]

    @property
    def total(self) -> int:
        return len(self.rows)

    @property
    def covered(self) -> int:
        return sum(r.covered for r in self.rows)

    @property
    def rate(self) -> int | None:
        return round(100 * self.covered / self.total) if self.total else None

    @property
    def gaps(self) -> list[CoverageRow]:
        return [r for r in self.rows if not r.covered]


def leader_visits(user=None):
    qs = Inspection.objects.visible_to(user) if user is not None else Inspection.objects.all()
    return qs.filter(kind=InspectionKind.LEADER_VISIT).exclude(status=InspectionStatus.CANCELLED)


def visit_pairs(visits) -> dict[int, set[int]]:
    """inspection id → the enterprises it reached (its own enterprise and every organisation matched)."""
    reached: dict[int, set[int]] = defaultdict(set)
    for pk, enterprise_id in visits.filter(enterprise__isnull=False).values_list("pk", "enterprise_id"):
        reached[pk].add(enterprise_id)
    for pk, enterprise_id in VisitOrganisation.objects.filter(
        inspection__in=visits.values("pk"), enterprise__isnull=False
    ).values_list("inspection_id", "enterprise_id"):
        reached[pk].add(enterprise_id)
    return reached


def compute(rule, *, user, period: Period) -> Coverage:
    enterprises = list(
        Enterprise.objects.visible_to(user)
        .active()
        .filter(jurisdiction__path__startswith=rule.jurisdiction.path)
        .filter(SCOPE_FILTERS.get(rule.scope, Q()))
        .select_related("jurisdiction")
        .order_by("jurisdiction__path", "name")
    )
    ids = [e.pk for e in enterprises]
    contacts: dict[int, list] = defaultdict(list)
    for a in (
        Assignment.objects.filter(enterprise_id__in=ids, role=rule.assignment_role)
        .filter(Q(start__isnull=True) | Q(start__lte=period.end), Q(end__isnull=True) | Q(end__gte=period.start))
        .select_related("official")
        .order_by("pk")
    ):
        if a.official not in contacts[a.enterprise_id]:
            contacts[a.enterprise_id].append(a.official)

    visits = leader_visits().filter(planned_date__range=(period.start, period.end))
    dates = dict(visits.values_list("pk", "planned_date"))
    reached = visit_pairs(visits)
    leaders: dict[int, set[int]] = defaultdict(set)
    for pk, user_id in Inspection.leaders.through.objects.filter(inspection__in=visits.values("pk")).values_list(
        "inspection_id", "user_id"
    ):
        leaders[pk].add(user_id)

    by_enterprise: dict[int, list[int]] = defaultdict(list)
    for pk, enterprise_ids in reached.items():
        for enterprise_id in enterprise_ids:
            by_enterprise[enterprise_id].append(pk)

    rows = []
    for e in enterprises:
        row = CoverageRow(enterprise=e, contacts=contacts.get(e.pk, []))
        contact_ids = {u.pk for u in row.contacts}
        for pk in by_enterprise.get(e.pk, []):
            if leaders[pk] & contact_ids:
                row.visits += 1
                row.last_visit = max(filter(None, [row.last_visit, dates[pk]]))
            else:
                row.other_visits += 1
        row.covered = bool(contact_ids) and row.visits >= rule.min_visits
        rows.append(row)
    # Gaps first, then the rest; within each, by jurisdiction and name.
    rows.sort(key=lambda r: (r.covered, r.enterprise.jurisdiction.path, r.enterprise.name))
    return Coverage(rule=rule, period=period, rows=rows)

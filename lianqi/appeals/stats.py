"""Figures leaders read about difficulties, computed in the database over a scoped queryset."""

from django.db.models import Avg, Count, F, Q
from django.db.models.functions import TruncDate
from django.utils import timezone

from .choices import HANDLING_STATUSES, OPEN_STATUSES, AppealStatus

ANSWERED = (AppealStatus.REPLIED, AppealStatus.CLOSED)


def summary(queryset, today=None) -> dict:
    today = today or timezone.localdate()
    figures = queryset.aggregate(
        total=Count("pk", distinct=True),
        open=Count("pk", filter=Q(status__in=OPEN_STATUSES), distinct=True),
        answered=Count("pk", filter=Q(replied_at__isnull=False), distinct=True),
        answered_on_time=Count(
            "pk",
            filter=Q(replied_at__isnull=False, due_date__isnull=False, due_date__gte=TruncDate(F("replied_at"))),
            distinct=True,
        ),
        answered_with_due=Count("pk", filter=Q(replied_at__isnull=False, due_date__isnull=False), distinct=True),
        overdue=Count("pk", filter=Q(status__in=HANDLING_STATUSES, due_date__lt=today), distinct=True),
        closed=Count("pk", filter=Q(status=AppealStatus.CLOSED), distinct=True),
        satisfaction=Avg("rating"),
        rated=Count("pk", filter=Q(rating__isnull=False), distinct=True),
    )
    total = figures["total"]
    figures["handling_rate"] = round(100 * figures["answered"] / total, 1) if total else None
    with_due = figures["answered_with_due"]
    figures["on_time_rate"] = round(100 * figures["answered_on_time"] / with_due, 1) if with_due else None
    figures["satisfaction"] = round(figures["satisfaction"], 2) if figures["satisfaction"] is not None else None
    return figures


def by_department(queryset) -> list[dict]:
    rows = (
        queryset.exclude(lead_department=None)
        .values("lead_department", "lead_department__name_zh", "lead_department__name_en")
        .annotate(
            total=Count("pk"),
            answered=Count("pk", filter=Q(replied_at__isnull=False)),
            on_time=Count("pk", filter=Q(replied_at__isnull=False, due_date__gte=TruncDate(F("replied_at")))),
            satisfaction=Avg("rating"),
        )
        .order_by("-total")
    )
    return [
        {
            **row,
            "handling_rate": round(100 * row["answered"] / row["total"], 1) if row["total"] else None,
            "on_time_rate": round(100 * row["on_time"] / row["answered"], 1) if row["answered"] else None,
        }
        for row in rows
    ]


def by_type(queryset) -> list[dict]:
    return list(
        queryset.values("appeal_type")
        .annotate(total=Count("pk"), open=Count("pk", filter=Q(status__in=OPEN_STATUSES)), satisfaction=Avg("rating"))
        .order_by("-total")
    )


def heat_map(queryset, districts) -> dict:
    """Counts by type × district (the district of each appeal's jurisdiction)."""
    counts = {}
    for district in districts:
        rows = (
            queryset.filter(jurisdiction__path__startswith=district.path).values("appeal_type").annotate(n=Count("pk"))
        )
        for row in rows:
            counts[(row["appeal_type"], district.pk)] = row["n"]
    return counts

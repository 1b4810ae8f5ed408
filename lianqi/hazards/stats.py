"""The ledger's rates (台账统计), computed in the database over any scoped, filtered queryset."""

from django.db.models import Count, F, Q
from django.db.models.functions import TruncDate
from django.utils import timezone

from .choices import OPEN_STATUSES, RECTIFICATION_STATUSES, HazardGrade, HazardStatus


def ledger_rates(queryset, today=None) -> dict:
    today = today or timezone.localdate()
    counted = queryset.exclude(status=HazardStatus.DISMISSED)
    figures = counted.aggregate(
        total=Count("pk"),
        closed=Count("pk", filter=Q(status=HazardStatus.CLOSED)),
        closed_on_time=Count(
            "pk",
            filter=Q(status=HazardStatus.CLOSED, deadline__isnull=False)
            & Q(closed_at__isnull=False)
            & Q(deadline__gte=TruncDate(F("closed_at"))),
        ),
        closed_with_deadline=Count("pk", filter=Q(status=HazardStatus.CLOSED, deadline__isnull=False)),
        overdue=Count("pk", filter=Q(status__in=RECTIFICATION_STATUSES, deadline__lt=today)),
        major_open=Count("pk", filter=Q(status__in=OPEN_STATUSES, grade=HazardGrade.MAJOR)),
        open=Count("pk", filter=Q(status__in=OPEN_STATUSES)),
    )
    total, closed = figures["total"], figures["closed"]
    figures["rectification_rate"] = round(100 * closed / total, 1) if total else None
    with_deadline = figures["closed_with_deadline"]
    figures["on_time_rate"] = round(100 * figures["closed_on_time"] / with_deadline, 1) if with_deadline else None
    return figures

"""Home-page cards: the guard's checkpoint with today's counts, the office's and leaders'
"checkpoint alerts today", and the grid member's key-person verifications."""

from django.db.models import Count, Q

from .choices import AlertStatus, Decision, Direction, EntryStatus
from .models import Alert, Checkpoint, Entry, Verification, start_of_today


def today_counts(checkpoint_ids) -> dict:
    """{checkpoint id: {"in", "out", "refused", "total"}} for today, in one query."""
    rows = (
        Entry.objects.filter(checkpoint__in=checkpoint_ids, at__gte=start_of_today(), status=EntryStatus.CONFIRMED)
        .values("checkpoint")
        .annotate(
            total=Count("id"),
            came_in=Count("id", filter=Q(direction=Direction.IN)),
            went_out=Count("id", filter=Q(direction=Direction.OUT)),
            refused=Count("id", filter=Q(decision=Decision.REFUSED)),
        )
    )
    counts = {pk: {"in": 0, "out": 0, "refused": 0, "total": 0} for pk in checkpoint_ids}
    for row in rows:
        counts[row["checkpoint"]] = {
            "in": row["came_in"],
            "out": row["went_out"],
            "refused": row["refused"],
            "total": row["total"],
        }
    return counts


def guard_card(request, access):
    checkpoints = list(
        Checkpoint.objects.guarded_by(request.user).filter(is_active=True).select_related("jurisdiction")
    )
    counts = today_counts([c.pk for c in checkpoints])
    return {"checkpoints": [(c, counts[c.pk]) for c in checkpoints]}


def alerts_today(request, access):
    alerts = Alert.objects.visible_to(request.user).today()
    summary = alerts.aggregate(total=Count("id"), open=Count("id", filter=Q(status=AlertStatus.OPEN)))
    return {
        "summary": summary,
        "alerts": alerts.select_related("checkpoint").order_by("status", "-raised_at")[:6],
    }


def verifications_card(request, access):
    open_items = Verification.objects.visible_to(request.user).open()
    items = list(open_items.select_related("checkpoint").order_by("deadline", "-seen_at")[:6])
    if not items:
        return None
    return {"items": items, "count": open_items.count()}

"""Home-page cards and the built-in tabs of the enterprise page."""

from django.db.models import Count, Q

from lianqi.core.scoping import can_change

from .choices import RISK_COLOURS, STATUS_COLOURS, EnterpriseStatus, RiskTier
from .models import Assignment, Enterprise


def registry_overview(request, access):
    """Officials: how many enterprises in their scope, by status and (open ones) by risk tier."""
    visible = Enterprise.objects.visible_to(request.user)
    open_ = ~Q(status=EnterpriseStatus.CLOSED)
    counts = visible.aggregate(
        total=Count("pk", filter=open_),
        key=Count("pk", filter=open_ & Q(is_key=True)),
        **{f"status_{s.value}": Count("pk", filter=Q(status=s)) for s in EnterpriseStatus},
        **{f"risk_{r.value}": Count("pk", filter=open_ & Q(risk_tier=r)) for r in RiskTier},
    )
    mine = Assignment.objects.current().filter(official=request.user).count()
    return {
        "total": counts["total"],
        "key": counts["key"],
        "mine": mine,
        "statuses": [(s, s.label, STATUS_COLOURS[s], counts[f"status_{s.value}"]) for s in EnterpriseStatus],
        "risks": [(r, r.label, RISK_COLOURS[r], counts[f"risk_{r.value}"]) for r in RiskTier],
    }


def my_enterprise(request, access):
    """Enterprise users: the card of their own enterprise(s)."""
    enterprises = list(
        Enterprise.objects.visible_to(request.user)
        .filter(pk__in=access.enterprise_ids())
        .select_related("jurisdiction", "industry", "sector_department")
    )
    return {"enterprises": enterprises} if enterprises else None


def overview_tab(request, enterprise):
    return {"can_change": can_change(request.user, enterprise)}


def officials_tab(request, enterprise):
    assignments = (
        Assignment.objects.visible_to(request.user)
        .filter(enterprise=enterprise)
        .select_related("official")
        .order_by("end", "role", "start")
    )
    current_ids = set(Assignment.objects.current().filter(enterprise=enterprise).values_list("pk", flat=True))
    return {
        "assignments": assignments,
        "current_ids": current_ids,
        "can_change": can_change(request.user, enterprise),
    }

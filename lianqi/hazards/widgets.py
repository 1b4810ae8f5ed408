from .choices import RECTIFICATION_STATUSES, HazardStatus
from .models import Hazard
from .stats import ledger_rates


def hazard_summary(request, access):
    """Home card: open, overdue and major hazards in the user's scope, with what needs them."""
    hazards = Hazard.objects.visible_to(request.user)
    rates = ledger_rates(hazards)
    if access.enterprise_ids() and not access.is_official:
        todo = hazards.filter(status__in=RECTIFICATION_STATUSES)
    elif access.is_official:
        todo = hazards.filter(status__in=[HazardStatus.REPORTED, HazardStatus.AWAITING_ACCEPTANCE]) | hazards.overdue()
    else:
        todo = hazards.none()
    return {
        "rates": rates,
        "todo": todo.select_related("enterprise").order_by("deadline", "-found_at")[:6],
    }

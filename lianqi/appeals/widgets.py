from .choices import OFFICE_QUEUE
from .models import Appeal
from .stats import summary


def appeal_summary(request, access):
    appeals = Appeal.objects.visible_to(request.user)
    if access.enterprise_ids() and not access.is_official:
        todo = appeals.filter(status="replied")
    elif access.department_ids():
        todo = appeals.filter(lead_department__in=access.department_ids(), status__in=["assigned", "in_progress"])
    else:
        todo = appeals.filter(status__in=OFFICE_QUEUE)
    return {
        "figures": summary(appeals),
        "todo": todo.select_related("enterprise").order_by("due_date", "created_at")[:6],
    }

from django.utils import timezone

from . import services
from .models import DailyReport, due_at


def todays_report(request, access):
    """The enterprise's home: today's report, one tap when nothing changed since yesterday."""
    ids = access.enterprise_ids()
    if not ids:
        return None
    from lianqi.enterprises.models import Enterprise

    enterprise = Enterprise.objects.visible_to(request.user).filter(pk=ids[0]).first()
    if enterprise is None:
        return None
    today = timezone.localdate()
    report = DailyReport.objects.filter(enterprise=enterprise, date=today).first()
    previous = None if report else services.previous_report(enterprise, today)
    return {
        "enterprise": enterprise,
        "today": today,
        "due": due_at(today),
        "report": report,
        "previous": previous,
        "overdue": report is None and timezone.now() > due_at(today),
    }

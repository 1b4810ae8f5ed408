"""Home-page cards and the enterprise page's Inspections tab."""

from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from .choices import STATUS_COLOURS, InspectionKind
from .models import Inspection


def _base(request):
    return Inspection.objects.visible_to(request.user).select_related("enterprise", "template_version__template")


def inspector_today(request, access):
    today = timezone.localdate()
    inspections = list(
        _base(request).assigned_to(request.user).open().filter(planned_date__lte=today).order_by("due_date", "pk")[:10]
    )
    return {
        "title": _("Today's and overdue inspections"),
        "inspections": inspections,
        "empty": _("Nothing due today."),
        "conduct": True,
    }


def enterprise_self(request, access):
    from lianqi.checklists.models import ChecklistTemplate

    ids = access.enterprise_ids()
    if not ids:
        return None
    inspections = list(
        _base(request).filter(kind=InspectionKind.SELF, enterprise_id__in=ids).open().order_by("due_date", "pk")[:10]
    )
    templates = (
        ChecklistTemplate.objects.visible_to(request.user)
        .filter(is_active=True, versions__status="published")
        .distinct()
    )
    return {"inspections": inspections, "templates": list(templates)}


def this_week(request, access):
    today = timezone.localdate()
    start = today - timedelta(days=today.weekday())
    inspections = list(
        _base(request)
        .filter(planned_date__range=(start, start + timedelta(days=6)))
        .exclude(status="cancelled")
        .order_by("planned_date", "pk")[:10]
    )
    return {
        "title": _("Inspections this week"),
        "inspections": inspections,
        "empty": _("No inspections this week."),
        "conduct": False,
    }


def enterprise_tab(request, enterprise):
    from .services import can_plan

    inspections = (
        Inspection.objects.visible_to(request.user)
        .filter(enterprise=enterprise)
        .select_related("template_version__template")
        .order_by("-planned_date", "-pk")[:20]
    )
    return {"inspections": inspections, "status_colours": STATUS_COLOURS, "can_plan": can_plan(request.user)}

import datetime
import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lianqi.accounts.choices import Role
from lianqi.core.scoping import get_visible_or_404
from lianqi.jurisdictions.models import Jurisdiction

from . import bulletins as bulletin_service
from .choices import BulletinKind
from .data import dashboard_data, trend_series
from .models import Bulletin, BulletinSubscription


def _official(request):
    if not request.user.access.is_official:
        raise PermissionDenied(_("Dashboards are for officials."))


def top_node(user):
    return Jurisdiction.objects.visible_to(user).order_by("path").first()


@login_required
def dashboard(request, pk=None):
    """The leader dashboard of a jurisdiction (the user's own top node by default), with
    drill-down to its children through the tree."""
    _official(request)
    node = get_visible_or_404(Jurisdiction, request.user, pk=pk) if pk else top_node(request.user)
    if node is None:
        raise Http404
    data = dashboard_data(node, request.user)
    visible_paths = request.user.access.jurisdiction_paths()
    ancestors = [
        a for a in node.ancestors() if request.user.access.is_admin or any(a.path.startswith(p) for p in visible_paths)
    ]
    return render(
        request,
        "dashboards/dashboard.html",
        {
            **data,
            "ancestors": ancestors,
            "map_tiles": settings.MAP_TILE_URL,
            "trend_json": json.dumps(trend_series(data["trend"]), ensure_ascii=False),
            "rate_keys": [
                "resumption_rate",
                "staff_return_rate",
                "capacity_mean",
                "capacity_weighted",
                "staffed_90_share",
                "capacity_80_share",
                "key_resumption_rate",
                "reporting_rate",
                "on_time_rate",
            ],
        },
    )


@login_required
def map_points(request, pk):
    """Points for the dashboard's map, loaded after the page: tracked enterprises of the node
    that have not reported today (red) and key enterprises that have (blue); at most 500."""
    _official(request)
    node = get_visible_or_404(Jurisdiction, request.user, pk=pk)
    from lianqi.enterprises.models import Enterprise
    from lianqi.reporting.services import missing_enterprises

    today = timezone.localdate()
    enterprises = Enterprise.objects.visible_to(request.user).filter(
        jurisdiction__path__startswith=node.path, latitude__isnull=False
    )
    missing = missing_enterprises(today, enterprises).values_list("pk", "name", "latitude", "longitude")[:500]
    points = [{"id": pk_, "name": n, "lat": float(a), "lng": float(o), "state": "missing"} for pk_, n, a, o in missing]
    return JsonResponse({"points": points})


@login_required
def bulletin_list(request):
    _official(request)
    bulletins = Bulletin.objects.visible_to(request.user).select_related("jurisdiction")[:100]
    nodes = Jurisdiction.objects.visible_to(request.user).filter(level__lte=3).order_by("path")[:200]
    subscriptions = {s.jurisdiction_id: s for s in BulletinSubscription.objects.visible_to(request.user)}
    today = timezone.localdate()
    return render(
        request,
        "dashboards/bulletins.html",
        {
            "bulletins": bulletins,
            "nodes": nodes,
            "kinds": BulletinKind,
            "subscriptions": subscriptions,
            "can_issue": request.user.access.has_role(Role.OFFICE, Role.LEADER),
            "default_from": today - datetime.timedelta(days=today.weekday() + 7),
            "default_to": today - datetime.timedelta(days=today.weekday() + 1),
        },
    )


@login_required
@require_POST
def bulletin_request(request):
    """Generate a bulletin on demand: a background job with a progress page."""
    _official(request)
    if not request.user.access.has_role(Role.OFFICE, Role.LEADER):
        raise PermissionDenied(_("Bulletins are issued by leaders and the command office."))
    node = get_visible_or_404(Jurisdiction, request.user, pk=request.POST.get("jurisdiction") or 0)
    kind = request.POST.get("kind")
    if kind not in BulletinKind.values:
        kind = BulletinKind.WEEKLY
    try:
        day = datetime.date.fromisoformat(request.POST.get("day") or "")
    except ValueError:
        day = timezone.localdate() - datetime.timedelta(days=7)
    start, end = bulletin_service.period_of(kind, day)
    end = min(end, timezone.localdate())
    bulletin = bulletin_service.request_bulletin(node, kind, start, end, actor=request.user)
    from lianqi.jobs.services import start_job

    job = start_job("dashboards.bulletin", actor=request.user, params={"bulletin": bulletin.pk}, label=bulletin.title)
    return redirect(job.get_absolute_url())


@login_required
def bulletin_detail(request, pk):
    bulletin = get_visible_or_404(Bulletin.objects.select_related("jurisdiction"), request.user, pk=pk)
    return render(request, "dashboards/bulletin.html", {"bulletin": bulletin})


@login_required
def bulletin_file(request, pk, fmt):
    bulletin = get_visible_or_404(Bulletin, request.user, pk=pk)
    field = bulletin.pdf if fmt == "pdf" else bulletin.xlsx
    if not field:
        raise Http404
    return FileResponse(field.open("rb"), as_attachment=fmt != "pdf", filename=field.name.rsplit("/", 1)[-1])


@login_required
@require_POST
def subscribe(request):
    _official(request)
    node = get_visible_or_404(Jurisdiction, request.user, pk=request.POST.get("jurisdiction") or 0)
    if request.POST.get("action") == "unsubscribe":
        BulletinSubscription.objects.filter(user=request.user, jurisdiction=node).delete()
        messages.success(request, _("You no longer receive the bulletins of %(name)s.") % {"name": node.name})
    else:
        BulletinSubscription.objects.update_or_create(
            user=request.user,
            jurisdiction=node,
            defaults={kind: bool(request.POST.get(kind)) for kind in BulletinKind.values},
        )
        messages.success(request, _("You will receive the bulletins of %(name)s by e-mail.") % {"name": node.name})
    return redirect("dashboards:bulletins")

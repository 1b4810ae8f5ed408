import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lianqi.accounts.choices import OFFICIAL_ROLES, Role
from lianqi.core.scoping import get_visible_or_404
from lianqi.enterprises.models import Enterprise
from lianqi.jurisdictions.models import Jurisdiction

from . import materials, services
from .choices import STATE_COLOURS, Material, ReportState
from .forms import DailyReportForm, MaterialReportForm, TrackingRuleForm
from .models import DailyReport, MaterialReport, TrackedPeriod, TrackingRule, due_at


def _date_param(request, name="date", default=None):
    value = request.GET.get(name) or request.POST.get(name)
    try:
        return datetime.date.fromisoformat(value) if value else (default or timezone.localdate())
    except ValueError:
        return default or timezone.localdate()


def _add_errors(form, error: ValidationError):
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def state_of(report, date, now=None) -> str:
    now = now or timezone.now()
    if report is None:
        return ReportState.MISSING if now > due_at(date) else ReportState.PENDING
    return ReportState.LATE if report.late else ReportState.ON_TIME


@login_required
def today(request):
    """The enterprise's report of the day; for officials, who has and has not reported."""
    access = request.user.access
    if access.enterprise_ids() and not access.is_official:
        enterprise = get_visible_or_404(Enterprise, request.user, pk=access.enterprise_ids()[0])
        return redirect("reporting:submit", pk=enterprise.pk)
    if not access.has_role(*OFFICIAL_ROLES):
        raise PermissionDenied(_("Daily reports are for enterprises and officials."))
    date = _date_param(request)
    enterprises = Enterprise.objects.visible_to(request.user)
    node = None
    if request.GET.get("jurisdiction"):
        node = get_visible_or_404(Jurisdiction, request.user, pk=request.GET["jurisdiction"])
        enterprises = enterprises.filter(jurisdiction__path__startswith=node.path)
    rows = [(e, r, state_of(r, date)) for e, r in services.day_status(date, enterprises)]
    counts = {state: sum(1 for row in rows if row[2] == state) for state in ReportState.values}
    wanted = request.GET.get("state", "")
    if wanted in ReportState.values:
        rows = [row for row in rows if row[2] == wanted]
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "reporting/today.html",
        {
            "date": date,
            "due": due_at(date),
            "page_obj": page,
            "rows": page.object_list,
            "counts": counts,
            "states": ReportState,
            "state": wanted,
            "colours": STATE_COLOURS,
            "node": node,
            "querystring": query.urlencode(),
            "can_enter": access.has_role(Role.OFFICE),
            "previous_day": date - datetime.timedelta(days=1),
            "next_day": date + datetime.timedelta(days=1) if date < timezone.localdate() else None,
        },
    )


@login_required
def submit(request, pk):
    """The report form of one enterprise for a day (today unless ?date=), pre-filled from the
    latest earlier report; the office uses the same page to enter a report on its behalf."""
    enterprise = get_visible_or_404(Enterprise, request.user, pk=pk)
    date = _date_param(request)
    try:
        channel = services.channel_for(request.user, enterprise)
    except PermissionDenied:
        raise
    existing = DailyReport.objects.filter(enterprise=enterprise, date=date).first()
    previous = services.previous_report(enterprise, date)
    if request.method == "POST":
        form = DailyReportForm(request.POST)
        if form.is_valid():
            try:
                report = services.submit_report(
                    enterprise,
                    actor=request.user,
                    date=date,
                    confirmed=form.cleaned_data.get("confirmed", False),
                    **form.figures(),
                )
            except ValidationError as error:
                _add_errors(form, error)
            else:
                messages.success(request, _("Daily report for %(date)s saved.") % {"date": report.date.isoformat()})
                return redirect(f"{reverse('reporting:submit', args=[enterprise.pk])}?date={date.isoformat()}")
    else:
        initial = (
            {name: getattr(existing, name) for name in DailyReportForm.Meta.fields}
            if existing
            else services.prefill(enterprise, date)
        )
        form = DailyReportForm(initial=initial)
    jump_fields = [
        name
        for name, errors in form.errors.as_data().items()
        for e in errors
        if getattr(e, "code", "") == "confirm_jump"
    ]
    return render(
        request,
        "reporting/submit.html",
        {
            "enterprise": enterprise,
            "date": date,
            "due": due_at(date),
            "form": form,
            "existing": existing,
            "previous": previous,
            "on_behalf": channel == "on_behalf",
            "needs_confirmation": bool(jump_fields),
            "is_today": date == timezone.localdate(),
            "recent": DailyReport.objects.filter(enterprise=enterprise).order_by("-date")[:7],
        },
    )


@login_required
@require_POST
def repeat(request, pk):
    """One tap: today's report with yesterday's figures."""
    enterprise = get_visible_or_404(Enterprise, request.user, pk=pk)
    try:
        report = services.repeat_yesterday(enterprise, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Daily report for %(date)s saved.") % {"date": report.date.isoformat()})
    return redirect("reporting:submit", pk=enterprise.pk)


@login_required
def detail(request, pk):
    report = get_visible_or_404(DailyReport.objects.select_related("enterprise", "submitted_by"), request.user, pk=pk)
    return render(request, "reporting/detail.html", {"report": report})


@login_required
def difficulties(request):
    """Difficulties reported in daily reports (each is also an appeal when the appeals app is installed)."""
    reports = (
        DailyReport.objects.visible_to(request.user)
        .with_difficulties()
        .select_related("enterprise__jurisdiction")
        .order_by("-date", "enterprise__name")
    )
    page = Paginator(reports, 50).get_page(request.GET.get("page"))
    return render(request, "reporting/difficulties.html", {"page_obj": page, "reports": page.object_list})


@login_required
def tracking(request):
    """Which enterprises report daily, from when: the rules, and the office's sync button."""
    access = request.user.access
    if not access.is_official:
        raise PermissionDenied(_("Tracking rules are for officials."))
    rules = TrackingRule.objects.visible_to(request.user).select_related("jurisdiction")
    can_edit = access.has_role(Role.OFFICE)
    form = None
    if can_edit:
        form = TrackingRuleForm(request.POST or None, user=request.user)
        if request.method == "POST":
            if request.POST.get("action") == "sync":
                result = services.sync_tracking()
                messages.success(
                    request,
                    _("Tracking updated: %(started)d started, %(stopped)d stopped.") % result,
                )
                return redirect("reporting:tracking")
            if form.is_valid():
                form.save()
                result = services.sync_tracking()
                messages.success(request, _("Rule saved. %(started)d enterprises now tracked.") % result)
                return redirect("reporting:tracking")
    tracked_today = TrackedPeriod.objects.visible_to(request.user).on(timezone.localdate()).count()
    return render(
        request,
        "reporting/tracking.html",
        {"rules": rules, "form": form, "can_edit": can_edit, "tracked_today": tracked_today},
    )


@login_required
def material_list(request):
    """Producers enter their figures; officials read supply against need for a jurisdiction."""
    access = request.user.access
    date = _date_param(request)
    producers = Enterprise.objects.visible_to(request.user).filter(material_producer=True)
    own = [e for e in producers if e.pk in access.enterprise_ids()]
    form = None
    if own:
        enterprise = own[0]
        form = MaterialReportForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            data = dict(form.cleaned_data)
            material = data.pop("material")
            try:
                services.submit_material(enterprise, actor=request.user, date=date, material=material, **data)
            except ValidationError as error:
                _add_errors(form, error)
            else:
                messages.success(request, _("Material figures saved."))
                return redirect(f"{reverse('reporting:materials')}?date={date.isoformat()}")
    node = None
    if access.is_official:
        nodes = Jurisdiction.objects.visible_to(request.user)
        node = (
            get_visible_or_404(Jurisdiction, request.user, pk=request.GET["jurisdiction"])
            if request.GET.get("jurisdiction")
            else nodes.order_by("path").first()
        )
    view = materials.supply_demand(node, date) if node else None
    reports = (
        MaterialReport.objects.visible_to(request.user)
        .filter(date=date)
        .select_related("enterprise")
        .order_by("enterprise__name", "material")[:200]
    )
    return render(
        request,
        "reporting/materials.html",
        {
            "date": date,
            "form": form,
            "producer": own[0] if own else None,
            "node": node,
            "view": view,
            "reports": reports,
            "materials": Material,
        },
    )

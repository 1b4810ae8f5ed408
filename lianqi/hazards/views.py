from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from lianqi.accounts.choices import Role
from lianqi.core.forms import add_errors, run_form_action
from lianqi.core.listing import FilteredListView
from lianqi.core.ratelimit import client_ip, hit, retry_after
from lianqi.core.scoping import get_visible_or_404

from . import services
from .choices import STATUS_COLOURS
from .filtersets import HazardFilterSet
from .forms import (
    ExtensionDecisionForm,
    ExtensionRequestForm,
    HazardReportForm,
    ListingForm,
    PlanForm,
    PublicReportForm,
    TransitionForm,
)
from .models import DeadlineExtension, Hazard
from .stats import ledger_rates
from .workflow import HAZARD_WORKFLOW, OTHER_ACTIONS, can_act_as_official, can_act_for_enterprise, is_office


class HazardLedgerView(FilteredListView):
    model = Hazard
    filterset_class = HazardFilterSet
    template_name = "hazards/ledger.html"
    partial_template_name = "hazards/_ledger_table.html"
    sortable = {"number": "number", "found": "found_at", "deadline": "deadline", "status": "status", "grade": "grade"}
    export_filename = "hazard-ledger"
    export_columns = [
        (gettext_lazy("Number"), "number"),
        (gettext_lazy("Enterprise"), "enterprise.name"),
        (gettext_lazy("Jurisdiction"), "jurisdiction.name_zh"),
        (gettext_lazy("Category"), "get_category_display"),
        (gettext_lazy("Grade"), "get_grade_display"),
        (gettext_lazy("Source"), "get_source_display"),
        (gettext_lazy("Description"), "description"),
        (gettext_lazy("Found at"), "found_at"),
        (gettext_lazy("Deadline"), "deadline"),
        (gettext_lazy("Original deadline"), "original_deadline"),
        (gettext_lazy("Status"), "get_status_display"),
        (gettext_lazy("Overdue"), lambda h: _("yes") if h.is_overdue else ""),
        (gettext_lazy("Supervising department"), "supervising_department.name_zh"),
        (gettext_lazy("Responsible person"), "responsible_person"),
        (gettext_lazy("Closed at"), "closed_at"),
    ]

    def get_queryset(self):
        return super().get_queryset().select_related("enterprise", "jurisdiction", "supervising_department")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["rates"] = ledger_rates(self.object_list)
        context["status_colours"] = STATUS_COLOURS
        access = self.request.user.access
        context["can_report"] = access.is_admin or access.has_role(
            Role.OFFICE, Role.INSPECTOR, Role.DEPARTMENT, Role.ENTERPRISE
        )
        return context


@login_required
def detail(request, pk):
    hazard = get_visible_or_404(
        Hazard.objects.select_related(
            "enterprise",
            "jurisdiction",
            "supervising_department",
            "issued_by",
            "rectified_by",
            "accepted_by",
            "found_by",
        ),
        request.user,
        pk=pk,
    )
    user = request.user
    actions = [
        (t, TransitionForm(action=t.name, initial={"version": hazard.version}, prefix=t.name))
        for t in HAZARD_WORKFLOW.available(hazard, user)
    ]
    may_plan = hazard.is_major and (can_act_for_enterprise(user, hazard) or can_act_as_official(user, hazard))
    context = {
        "hazard": hazard,
        "entries": HAZARD_WORKFLOW.timeline(hazard, OTHER_ACTIONS),
        "actions": actions,
        "status_colour": STATUS_COLOURS.get(hazard.status, "secondary"),
        "plan": getattr(hazard, "plan", None),
        "plan_form": PlanForm(instance=getattr(hazard, "plan", None)) if may_plan else None,
        "extensions": hazard.extensions.select_related("requested_by", "decided_by"),
        "extension_form": ExtensionRequestForm()
        if can_act_for_enterprise(user, hazard) and hazard.status in ("rectifying", "returned")
        else None,
        "may_decide": can_act_as_official(user, hazard) or is_office(user, hazard),
        "listing_form": ListingForm() if hazard.is_major and not hazard.is_listed and is_office(user, hazard) else None,
    }
    return render(request, "hazards/detail.html", context)


@login_required
def act(request, pk, name):
    """Take one workflow action (POST from the detail page)."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    hazard = get_visible_or_404(Hazard, request.user, pk=pk)
    transition = HAZARD_WORKFLOW[name]
    form = TransitionForm(request.POST, request.FILES, action=name, prefix=name)
    if form.is_valid():
        try:
            HAZARD_WORKFLOW.perform(
                hazard, name, actor=request.user, expected_version=form.cleaned_data["version"], **form.workflow_data()
            )
        except PermissionDenied:
            raise
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Done: %(action)s.") % {"action": transition.label})
            return redirect(hazard)
    messages.error(request, _("“%(action)s” was not done; see the messages below.") % {"action": transition.label})
    hazard.refresh_from_db()
    return render(
        request, "hazards/act_failed.html", {"hazard": hazard, "transition": transition, "form": form}, status=400
    )


@login_required
def report(request):
    form = HazardReportForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            hazard = services.report_hazard(
                actor=request.user,
                enterprise=data["enterprise"],
                category=data["category"],
                grade=data["grade"],
                location=data["location"],
                description=data["description"],
                standard_clause=data["standard_clause"],
                photos=data["photos"],
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Hazard %(number)s recorded.") % {"number": hazard.number})
            return redirect(hazard)
    return render(request, "hazards/report.html", {"form": form}, status=400 if form.errors else 200)


@login_required
@require_POST
def from_finding(request, finding_pk):
    from lianqi.inspections.models import Finding

    finding = get_object_or_404(Finding.objects.select_related("inspection"), pk=finding_pk)
    try:
        hazard = services.from_finding(finding, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(finding.inspection)
    messages.success(request, _("Hazard %(number)s recorded.") % {"number": hazard.number})
    return redirect(hazard)


def public_report(request):
    """The public reporting form (no login): rate-limited, with a honeypot."""
    form = PublicReportForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if not hit("hazard-report", client_ip(request), limit=settings.PUBLIC_REPORT_LIMIT, window=3600):
            response = render(request, "hazards/public_report.html", {"form": form, "limited": True}, status=429)
            response["Retry-After"] = str(retry_after(3600))
            return response
        if form.is_valid() and not form.cleaned_data.get("website"):
            data = form.cleaned_data
            try:
                hazard = services.report_public(
                    jurisdiction=data["jurisdiction"],
                    description=data["description"],
                    category=data["category"],
                    location=data["location"],
                    reporter_name=data["reporter_name"],
                    reporter_phone=data["reporter_phone"],
                    photos=data["photos"],
                )
            except ValidationError as error:
                add_errors(form, error)
            else:
                return render(request, "hazards/public_thanks.html", {"number": hazard.number})
    return render(request, "hazards/public_report.html", {"form": form}, status=400 if form.errors else 200)


@login_required
@require_POST
def save_plan(request, pk):
    hazard = get_visible_or_404(Hazard, request.user, pk=pk)
    form = PlanForm(request.POST)
    form.is_valid()
    try:
        services.save_plan(hazard, actor=request.user, **{p: request.POST.get(p, "") for p in PlanForm.Meta.fields})
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Rectification plan saved."))
    return redirect(hazard)


@login_required
@require_POST
def request_extension(request, pk):
    hazard = get_visible_or_404(Hazard, request.user, pk=pk)
    run_form_action(
        request,
        ExtensionRequestForm(request.POST),
        lambda data: services.request_extension(hazard, actor=request.user, **data),
        success=_("Extension requested."),
    )
    return redirect(hazard)


@login_required
@require_POST
def decide_extension(request, pk, extension_pk):
    hazard = get_visible_or_404(Hazard, request.user, pk=pk)
    extension = get_object_or_404(DeadlineExtension, pk=extension_pk, hazard=hazard)
    run_form_action(
        request,
        ExtensionDecisionForm(request.POST),
        lambda data: services.decide_extension(extension, actor=request.user, **data),
        success=_("Decision recorded."),
    )
    return redirect(hazard)


@login_required
@require_POST
def list_hazard(request, pk):
    hazard = get_visible_or_404(Hazard, request.user, pk=pk)
    run_form_action(
        request,
        ListingForm(request.POST),
        lambda data: services.list_for_supervision(hazard, actor=request.user, **data),
        success=_("Hazard put under listed supervision."),
        invalid=_("Fill in the level, the issuing body and the notice number."),
    )
    return redirect(hazard)

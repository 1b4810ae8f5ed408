from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from lianqi.accounts.choices import Role
from lianqi.core.exports import export_response
from lianqi.core.forms import add_errors, run_form_action
from lianqi.core.listing import FilteredListView
from lianqi.core.scoping import get_visible_or_404
from lianqi.jurisdictions.models import Jurisdiction

from . import services, stats
from .choices import OFFICE_QUEUE, OPEN_STATUSES, STATUS_COLOURS, AppealType
from .filtersets import AppealFilterSet
from .forms import AppealForm, ExtensionForm, RatingForm, RoutingRuleForm, StepForm
from .models import Appeal, RoutingRule
from .workflow import APPEAL_WORKFLOW, OTHER_ACTIONS, is_enterprise, is_lead_department, is_office

EXPORT_COLUMNS = [
    (gettext_lazy("Number"), "number"),
    (gettext_lazy("Enterprise"), "enterprise.name"),
    (gettext_lazy("Type"), "get_appeal_type_display"),
    (gettext_lazy("Title"), "title"),
    (gettext_lazy("Description"), "description"),
    (gettext_lazy("Channel"), "get_channel_display"),
    (gettext_lazy("Lead department"), "lead_department.name_zh"),
    (gettext_lazy("Raised at"), "created_at"),
    (gettext_lazy("Due date"), "due_date"),
    (gettext_lazy("Status"), "get_status_display"),
    (gettext_lazy("Reply"), "reply"),
    (gettext_lazy("Satisfaction"), "rating"),
]


class AppealListView(FilteredListView):
    model = Appeal
    filterset_class = AppealFilterSet
    template_name = "appeals/list.html"
    partial_template_name = "appeals/_table.html"
    sortable = {"number": "number", "raised": "created_at", "due": "due_date", "status": "status"}
    export_filename = "difficulties"
    export_columns = EXPORT_COLUMNS

    def get_queryset(self):
        return super().get_queryset().select_related("enterprise", "lead_department")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["status_colours"] = STATUS_COLOURS
        context["figures"] = stats.summary(self.object_list)
        access = self.request.user.access
        context["can_raise"] = access.is_admin or access.has_role(
            Role.OFFICE, Role.INSPECTOR, Role.DEPARTMENT, Role.ENTERPRISE, Role.LEADER
        )
        context["queue_count"] = (
            self.object_list.filter(status__in=OFFICE_QUEUE).count() if access.has_role(Role.OFFICE) else None
        )
        return context


@login_required
def raise_appeal(request):
    form = AppealForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            appeal = services.raise_appeal(actor=request.user, **data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Difficulty %(number)s registered.") % {"number": appeal.number})
            return redirect(appeal)
    return render(request, "appeals/raise.html", {"form": form}, status=400 if form.errors else 200)


@login_required
def detail(request, pk):
    appeal = get_visible_or_404(
        Appeal.objects.select_related("enterprise", "jurisdiction", "lead_department", "first_receiver", "raised_by"),
        request.user,
        pk=pk,
    )
    user = request.user
    actions = [
        (t, StepForm(action=t.name, user=user, initial={"version": appeal.version}, prefix=t.name))
        for t in APPEAL_WORKFLOW.available(appeal, user)
        if not t.name.startswith("rate_")
    ]
    rating_form = (
        RatingForm(initial={"version": appeal.version})
        if appeal.status == "replied" and is_enterprise(user, appeal)
        else None
    )
    return render(
        request,
        "appeals/detail.html",
        {
            "appeal": appeal,
            "entries": APPEAL_WORKFLOW.timeline(appeal, OTHER_ACTIONS),
            "actions": actions,
            "rating_form": rating_form,
            "status_colour": STATUS_COLOURS.get(appeal.status, "secondary"),
            "extension_form": ExtensionForm()
            if is_lead_department(user, appeal)
            and appeal.status in ("assigned", "in_progress")
            and not appeal.extension_until
            else None,
            "may_decide": appeal.extension_until and is_office(user, appeal),
            "supporting": appeal.supporting_departments.all(),
        },
    )


@login_required
@require_POST
def act(request, pk, name):
    appeal = get_visible_or_404(Appeal, request.user, pk=pk)
    transition = APPEAL_WORKFLOW[name]
    form = StepForm(request.POST, action=name, user=request.user, prefix=name)
    if form.is_valid():
        try:
            APPEAL_WORKFLOW.perform(
                appeal, name, actor=request.user, expected_version=form.cleaned_data["version"], **form.workflow_data()
            )
        except PermissionDenied:
            raise
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Done: %(action)s.") % {"action": transition.label})
            return redirect(appeal)
    return render(
        request, "appeals/act_failed.html", {"appeal": appeal, "transition": transition, "form": form}, status=400
    )


@login_required
@require_POST
def rate(request, pk):
    appeal = get_visible_or_404(Appeal, request.user, pk=pk)
    form = RatingForm(request.POST)
    if form.is_valid():
        try:
            services.rate(
                appeal,
                actor=request.user,
                rating=form.cleaned_data["rating"],
                solved=form.cleaned_data["solved"],
                comment=form.cleaned_data["note"],
                expected_version=form.cleaned_data["version"],
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Thank you for your rating."))
    else:
        messages.error(request, _("Choose a rating from 1 to 5 and say whether the difficulty was solved."))
    return redirect(appeal)


@login_required
@require_POST
def request_extension(request, pk):
    appeal = get_visible_or_404(Appeal, request.user, pk=pk)
    run_form_action(
        request,
        ExtensionForm(request.POST),
        lambda data: services.request_extension(appeal, actor=request.user, **data),
        success=_("More time requested."),
    )
    return redirect(appeal)


@login_required
@require_POST
def decide_extension(request, pk):
    appeal = get_visible_or_404(Appeal, request.user, pk=pk)
    try:
        services.decide_extension(
            appeal, actor=request.user, approve=request.POST.get("approve") == "1", note=request.POST.get("note", "")
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Decision recorded."))
    return redirect(appeal)


@login_required
def statistics(request):
    """Leaders' view: handling and on-time rates, satisfaction by department and type, the
    oldest open difficulties and a type × district heat map."""
    access = request.user.access
    if not (access.is_admin or access.has_role(Role.LEADER, Role.OFFICE, Role.DEPARTMENT)):
        raise PermissionDenied(_("Statistics are for leaders, offices and departments."))
    appeals = Appeal.objects.visible_to(request.user)
    nodes = Jurisdiction.objects.visible_to(request.user)
    districts = list(nodes.filter(level=2)) or list(nodes.filter(level=3)[:12])
    counts = stats.heat_map(appeals, districts)
    types = list(AppealType)
    heat = [[i, j, counts.get((t.value, d.pk), 0)] for i, t in enumerate(types) for j, d in enumerate(districts)]
    return render(
        request,
        "appeals/statistics.html",
        {
            "figures": stats.summary(appeals),
            "departments": stats.by_department(appeals),
            "types": [{**row, "label": AppealType(row["appeal_type"]).label} for row in stats.by_type(appeals)],
            "oldest": appeals.filter(status__in=OPEN_STATUSES)
            .select_related("enterprise", "lead_department")
            .order_by("created_at")[:10],
            "heat": {
                "x": [str(t.label) for t in types],
                "y": [d.name for d in districts],
                "data": heat,
                "max": max([c for *_, c in heat] or [1]),
            },
        },
    )


@login_required
def weekly_list(request):
    """The list for the weekly coordination meeting: open difficulties and those closed this week."""
    access = request.user.access
    if not (access.is_admin or access.has_role(Role.LEADER, Role.OFFICE)):
        raise PermissionDenied(_("The weekly list is for leaders and offices."))
    week_start = timezone.localdate() - timezone.timedelta(days=timezone.localdate().weekday())
    appeals = Appeal.objects.visible_to(request.user).filter(status__in=OPEN_STATUSES) | Appeal.objects.visible_to(
        request.user
    ).filter(closed_at__date__gte=week_start)
    appeals = appeals.select_related("enterprise", "lead_department").order_by("status", "due_date")
    return export_response(
        request.GET.get("format", "xlsx"),
        f"difficulties-week-{week_start:%Y%m%d}",
        appeals,
        EXPORT_COLUMNS,
        title=_("Difficulties"),
    )


@login_required
def routing_rules(request):
    access = request.user.access
    if not (access.is_admin or access.has_role(Role.OFFICE)):
        raise PermissionDenied(_("Routing rules are configured by the command office."))
    form = RoutingRuleForm(request.POST or None, user=request.user)
    if request.method == "POST":
        if "delete" in request.POST:
            rule = get_visible_or_404(RoutingRule.objects.all(), request.user, pk=request.POST.get("delete"))
            if not RoutingRule.objects.editable_by(request.user).filter(pk=rule.pk).exists():
                raise PermissionDenied(_("You may not change this rule."))
            rule.delete()
            messages.success(request, _("Rule deleted."))
            return redirect("appeals:rules")
        if form.is_valid():
            form.save()
            messages.success(request, _("Rule saved."))
            return redirect("appeals:rules")
    rules = (
        RoutingRule.objects.visible_to(request.user)
        .select_related("jurisdiction", "lead_department")
        .prefetch_related("supporting_departments")
    )
    return render(request, "appeals/rules.html", {"form": form, "rules": rules}, status=400 if form.errors else 200)

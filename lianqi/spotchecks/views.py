import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lianqi.accounts.choices import Role
from lianqi.core.ratelimit import rate_limit
from lianqi.core.scoping import can_change, get_visible_or_404

from . import services
from .choices import STATUS_COLOURS, CheckResult
from .forms import DrawForm, PlanForm, ResultForm
from .models import (
    PUBLICATION_YEARS,
    PUBLISH_WITHIN_WORKING_DAYS,
    CheckItem,
    Draw,
    InspectorProfile,
    SpotCheckPlan,
    SpotCheckTarget,
)


@login_required
def plan_list(request):
    plans = (
        SpotCheckPlan.objects.visible_to(request.user)
        .select_related("jurisdiction", "department")
        .annotate(target_count=Count("targets"))
    )
    page = Paginator(plans, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "spotchecks/plan_list.html",
        {
            "page_obj": page,
            "plans": page.object_list,
            "status_colours": STATUS_COLOURS,
            "can_create": request.user.access.has_role(Role.OFFICE),
        },
    )


@login_required
def plan_create(request):
    if not request.user.access.has_role(Role.OFFICE):
        raise PermissionDenied(_("Only the command office plans spot checks."))
    form = PlanForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        plan = form.save(commit=False)
        plan.created_by = request.user
        plan.save()
        form.save_m2m()
        messages.success(request, _("Plan saved. Check the candidates, then draw."))
        return redirect(plan)
    return render(request, "spotchecks/plan_form.html", {"form": form})


def _plan(request, pk):
    return get_visible_or_404(
        SpotCheckPlan.objects.select_related("jurisdiction", "department").prefetch_related("items__department"),
        request.user,
        pk=pk,
    )


@login_required
def plan_detail(request, pk):
    plan = _plan(request, pk)
    record = Draw.objects.filter(plan=plan).first()
    targets = list(
        plan.targets.select_related("enterprise", "inspection").prefetch_related(
            Prefetch("inspectors", queryset=InspectorProfile.objects.select_related("user", "department"))
        )
    )
    editable = can_change(request.user, plan) and request.user.access.has_role(Role.OFFICE)
    context = {
        "plan": plan,
        "record": record,
        "targets": targets,
        "can_draw": editable and record is None,
        "can_edit_results": editable,
        "draw_form": DrawForm(),
        "result_choices": CheckResult.choices,
        "status_colours": STATUS_COLOURS,
        "publish_days": PUBLISH_WITHIN_WORKING_DAYS,
        "strata": services.strata_labels(t.stratum for t in targets),
    }
    if record is None:
        context["candidate_count"] = services.candidates(plan).count()
        eligible, excluded = services.inspector_pool(plan)
        context["eligible"], context["excluded"] = eligible, excluded
    else:
        context["verified"] = services.verify(record)
    return render(request, "spotchecks/plan_detail.html", context)


@login_required
@require_POST
def plan_draw(request, pk):
    plan = _plan(request, pk)
    form = DrawForm(request.POST)
    form.is_valid()
    try:
        record = services.draw(plan.pk, actor=request.user, seed=form.cleaned_data.get("seed"))
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            _("Drawn %(n)d enterprise(s) with seed %(seed)s.")
            % {"n": len(record.result["targets"]), "seed": record.seed},
        )
    return redirect(plan)


@login_required
@require_POST
def target_result(request, pk, target_id):
    plan = _plan(request, pk)
    target = get_object_or_404(SpotCheckTarget, pk=target_id, plan=plan)
    form = ResultForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, f"{target.enterprise}: {' '.join(errors)}")
        return redirect(plan)
    try:
        services.record_result(target.pk, actor=request.user, **form.cleaned_data)
    except ValidationError as error:
        messages.error(request, f"{target.enterprise}: {' '.join(error.messages)}")
    else:
        messages.success(request, _("Result recorded for %(name)s.") % {"name": target.enterprise})
    return redirect(f"{plan.get_absolute_url()}#target-{target.pk}")


@login_required
@require_POST
def plan_publish(request, pk):
    plan = _plan(request, pk)
    try:
        count = services.publish(plan.pk, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("%(n)d result(s) published.") % {"n": count})
    return redirect(plan)


@rate_limit("public-page", limit=lambda: settings.PUBLIC_PAGE_LIMIT, window=60, methods=("GET", "HEAD"))
def draw_record(request, pk):
    """The draw's seed, inputs and result as JSON, to re-run it. Public once results are
    published; before that, for those who may see the plan."""
    plan = get_object_or_404(SpotCheckPlan, pk=pk)
    if plan.published_at is None:
        if not request.user.is_authenticated:
            return redirect(f"{_login_url()}?next={request.path}")
        plan = get_visible_or_404(SpotCheckPlan, request.user, pk=pk)
    record = get_object_or_404(Draw, plan=plan)
    body = {
        "plan": plan.pk,
        "algorithm": record.algorithm,
        "seed": record.seed,
        "inputs": record.inputs,
        "result": record.result,
    }
    return HttpResponse(json.dumps(body, ensure_ascii=False, indent=2), content_type="application/json; charset=utf-8")


def _login_url():
    from django.conf import settings
    from django.shortcuts import resolve_url

    return resolve_url(settings.LOGIN_URL)


@rate_limit("public-page", limit=lambda: settings.PUBLIC_PAGE_LIMIT, window=60, methods=("GET", "HEAD"))
def public_results(request):
    """Published results (no login), withdrawn five years after publication."""
    targets = (
        SpotCheckTarget.objects.public()
        .select_related("enterprise", "plan__department", "plan__jurisdiction")
        .prefetch_related(Prefetch("plan__items", queryset=CheckItem.objects.select_related("department")))
        .order_by("-published_at", "plan", "position")
    )
    query = request.GET.get("q", "").strip()
    if query:
        targets = targets.filter(enterprise__name__icontains=query) | targets.filter(
            enterprise__credit_code__iexact=query
        )
    page = Paginator(targets, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "spotchecks/public_results.html",
        {
            "page_obj": page,
            "targets": page.object_list,
            "q": query,
            "years": PUBLICATION_YEARS,
            "plans": list({t.plan_id: t.plan for t in page.object_list}.values()),
        },
    )


@login_required
def inspector_library(request):
    profiles = (
        InspectorProfile.objects.visible_to(request.user)
        .select_related("user", "department")
        .prefetch_related("items")
        .annotate(conflict_count=Count("conflicts"))
    )
    items = CheckItem.objects.visible_to(request.user).select_related("department", "template")
    from django.utils import timezone

    return render(
        request, "spotchecks/libraries.html", {"profiles": profiles, "items": items, "today": timezone.localdate()}
    )

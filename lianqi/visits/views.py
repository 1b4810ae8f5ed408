from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy
from django.views.decorators.http import require_POST

from lianqi.core.listing import FilteredListView
from lianqi.core.scoping import get_visible_or_404
from lianqi.core.uploads import check_size
from lianqi.inspections.choices import InspectionKind
from lianqi.inspections.models import Inspection, Requirement
from lianqi.tasks.choices import STATUS_COLOURS as TASK_STATUS_COLOURS

from . import coverage as coverage_module
from . import drafts, services
from .choices import TOPIC_LABELS
from .filtersets import VisitFilterSet
from .forms import CoverageRuleForm, ImportForm, VisitReviewForm, initial_from_draft
from .highlight import legend, segments
from .ledger import summaries
from .matching import match_organisations
from .models import CoverageRule


def _leaders(visit) -> str:
    return ", ".join([*(str(u) for u in visit.leaders.all()), *filter(None, [visit.leader_names])])


class LedgerView(FilteredListView):
    """Leaders' visits in the user's scope, with counts per leader, enterprise, jurisdiction and month."""

    model = Inspection
    filterset_class = VisitFilterSet
    template_name = "visits/ledger.html"
    partial_template_name = "visits/_visit_table.html"
    sortable = {"date": "planned_date", "jurisdiction": "jurisdiction__path"}
    export_filename = "leader-visits"
    export_columns = [
        (gettext_lazy("Date"), "planned_date"),
        (gettext_lazy("Title"), "title"),
        (gettext_lazy("Leaders"), _leaders),
        (
            gettext_lazy("Organisations visited"),
            lambda v: "; ".join(o.name for o in v.visit_organisations.all()) or v.target_name,
        ),
        (gettext_lazy("Jurisdiction"), "jurisdiction.name_zh"),
        (gettext_lazy("Requirements"), lambda v: len(v.requirements.all())),
        (gettext_lazy("Turned into tasks"), lambda v: sum(1 for r in v.requirements.all() if r.task_id)),
    ]

    def base_queryset(self):
        return coverage_module.leader_visits(self.request.user)

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("enterprise", "jurisdiction")
            .prefetch_related("leaders", "visit_organisations", "requirements")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["summaries"] = summaries(self.get_queryset().order_by())
        context["can_import"] = services.can_import(user)
        if user.access.has_role("leader"):
            context["my_requirements"] = (
                Requirement.objects.filter(inspection__in=coverage_module.leader_visits(user).filter(leaders=user))
                .select_related("inspection", "task")
                .prefetch_related("task__assignments")
                .order_by("-inspection__planned_date", "position")[:20]
            )
        context["task_status_colours"] = TASK_STATUS_COLOURS
        return context


# --- Import and review --------------------------------------------------------------------------
def _require_import(user):
    if not services.can_import(user):
        raise PermissionDenied(gettext("Only leaders and command offices import visit reports."))


@login_required
def import_view(request):
    _require_import(request.user)
    form = ImportForm()
    error = None
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        uploads = request.FILES.getlist("files")
        text = request.POST.get("text", "")
        if uploads:
            files, too_large = [], []
            for upload in uploads:
                try:
                    check_size(upload)
                except ValidationError as exc:
                    too_large.append(
                        drafts.ImportResult(name=upload.name, code="too_large", message=" ".join(exc.messages))
                    )
                    continue
                files.append((upload.name, upload.read()))
            results = too_large + drafts.import_files(files, user=request.user)
            if len(results) == 1 and results[0].ok:
                return redirect("visits:review", key=results[0].draft)
            batch = drafts.store_batch(results, user=request.user)
            return redirect("visits:batch", key=batch)
        if text.strip():
            result = drafts.import_text(text, user=request.user)
            if result.ok:
                return redirect("visits:review", key=result.draft)
            error = result
        else:
            error = drafts.ImportResult(
                name="", code="empty", message=gettext("Paste a report or choose files to import.")
            )
    return render(request, "visits/import.html", {"form": form, "error": error}, status=400 if error else 200)


@login_required
def batch_view(request, key):
    _require_import(request.user)
    results = drafts.get_batch(key, request.user)
    if results is None:
        raise Http404(gettext("This import has expired; import the files again."))
    for r in results:
        r.pending = bool(r.draft and drafts.get_draft(r.draft, request.user))
    return render(
        request,
        "visits/batch.html",
        {"results": results, "ok": sum(r.ok for r in results), "failed": sum(not r.ok for r in results), "batch": key},
    )


def _draft_or_404(request, key):
    draft = drafts.get_draft(key, request.user)
    if draft is None:
        raise Http404(gettext("This draft has expired or was saved; import the report again."))
    return draft


def _values_initial(values: dict) -> dict:
    multi = {"departments", "topics"}
    return {k: (v if k in multi else (v[0] if v else "")) for k, v in values.items()}


def _review_form(request, draft, data=None):
    if draft.get("values"):
        initial = _values_initial(draft["values"])
        leader_rows = 1 + max([int(k.split("_")[1]) for k in initial if k.startswith("leader_")] or [-1])
        org_rows = 1 + max([int(k.split("_")[1]) for k in initial if k.startswith("org_")] or [-1])
    else:
        initial, leader_rows, org_rows = initial_from_draft(draft, request.user)
    if data is not None:
        leader_rows = max(leader_rows, 1 + max([int(k.split("_")[1]) for k in data if k.startswith("leader_")] or [-1]))
        org_rows = max(org_rows, 1 + max([int(k.split("_")[1]) for k in data if k.startswith("org_")] or [-1]))
    candidates = {
        i: {c["id"]: c["score"] for c in m.get("candidates", [])}
        for i, m in enumerate(draft["matches"]["organisations"])
    }
    form = VisitReviewForm(
        data, user=request.user, initial=initial, leader_rows=leader_rows, org_rows=org_rows, org_candidates=candidates
    )
    written = (draft["record"].get("date") or {}).get("as_written")
    if written:
        form.fields["date"].help_text = gettext("As written: “%(date)s”.") % {"date": written}
        if not (draft["record"].get("date") or {}).get("iso"):
            form.fields["date"].help_text += " " + gettext("The report gives no year; check it.")
    if not initial.get("jurisdiction"):
        form.initial["jurisdiction"] = _default_jurisdiction(form, draft)
    return form


def _default_jurisdiction(form, draft):
    nodes = form.fields["jurisdiction"].queryset
    enterprise_ids = [m["enterprise"] for m in draft["matches"]["organisations"] if m["enterprise"]]
    if enterprise_ids:
        from lianqi.enterprises.models import Enterprise

        enterprise = Enterprise.objects.filter(pk=enterprise_ids[0]).select_related("jurisdiction").first()
        if enterprise:
            # The enterprise's district (or the nearest node above it the user may record in).
            for node in sorted(nodes.filter(pk__in=_ancestor_ids(enterprise.jurisdiction)), key=lambda n: -len(n.path)):
                if node.level <= 2:
                    return node.pk
    first = nodes.first()
    return first.pk if first else None


def _ancestor_ids(node):
    from lianqi.jurisdictions.models import Jurisdiction

    codes = [c for c in node.path.split("/") if c]
    return Jurisdiction.objects.filter(code__in=codes).values("pk")


@login_required
def review(request, key):
    _require_import(request.user)
    draft = _draft_or_404(request, key)
    if request.method == "POST":
        if "refresh" in request.POST:
            data = request.POST.copy()
            names = []
            i = 0
            while f"org_{i}_name" in data:
                names.append(data.get(f"org_{i}_name", ""))
                i += 1
            fresh = match_organisations(names, request.user)
            for i, m in enumerate(fresh):
                if not data.get(f"org_{i}_enterprise") and m["enterprise"]:
                    data[f"org_{i}_enterprise"] = str(m["enterprise"])
                    data[f"org_{i}_score"] = str(m["score"])
            draft["matches"]["organisations"] = fresh
            draft["values"] = {k: data.getlist(k) for k in data if k not in ("csrfmiddlewaretoken", "refresh")}
            drafts.update_draft(draft)
            messages.info(request, gettext("Matches refreshed; your edits are kept in the draft."))
            return redirect("visits:review", key=key)
        form = _review_form(request, draft, request.POST)
        if form.is_valid():
            try:
                visit = services.save_visit(actor=request.user, data=form.visit_input(draft))
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            except PermissionDenied as exc:
                form.add_error("jurisdiction", str(exc))
            else:
                drafts.discard_draft(key)
                messages.success(request, gettext("Visit saved to the ledger."))
                return redirect("visits:detail", pk=visit.pk)
        status = 400
    else:
        form = _review_form(request, draft)
        status = 200
    expires = None
    try:
        from datetime import datetime, timedelta

        expires = datetime.fromisoformat(draft["created"]) + timedelta(seconds=drafts.DRAFT_TTL)
    except (KeyError, ValueError):
        pass
    return render(
        request,
        "visits/review.html",
        {
            "draft": draft,
            "form": form,
            "segments": segments(draft["text"], draft["spans"]),
            "legend": legend(draft["spans"]),
            "matches": draft["matches"],
            "expires": expires,
            "topic_labels": TOPIC_LABELS,
        },
        status=status,
    )


@login_required
@require_POST
def discard(request, key):
    _require_import(request.user)
    _draft_or_404(request, key)
    drafts.discard_draft(key)
    messages.info(request, gettext("Draft discarded; nothing was saved."))
    return redirect("visits:import")


# --- A visit --------------------------------------------------------------------------------------
def _visit(request, pk):
    return get_visible_or_404(
        Inspection.objects.filter(kind=InspectionKind.LEADER_VISIT)
        .select_related("enterprise", "jurisdiction", "created_by")
        .prefetch_related("leaders", "departments", "visit_organisations__enterprise"),
        request.user,
        pk=pk,
    )


def appeals_available() -> bool:
    try:
        import lianqi.appeals  # noqa: F401
    except ImportError:
        return False
    return True


@login_required
def detail(request, pk):
    visit = _visit(request, pk)
    try:
        report = visit.visit_report
    except Inspection.visit_report.RelatedObjectDoesNotExist:
        report = None
    requirements = visit.requirements.select_related("task").prefetch_related(
        "task__assignments__department", "task__assignments__jurisdiction"
    )
    return render(
        request,
        "visits/detail.html",
        {
            "visit": visit,
            "report": report,
            "requirements": requirements,
            "can_deploy": services.can_record_in(request.user, visit.jurisdiction),
            "open_requirements": sum(1 for r in requirements if not r.task_id),
            "task_status_colours": TASK_STATUS_COLOURS,
            "topic_labels": TOPIC_LABELS,
            "appeals_available": appeals_available(),
            "difficulties": _difficulties(visit, report),
            "default_deadline": services.default_task_deadline(),
        },
    )


def _deploy(request, visit, requirements):
    made = 0
    for requirement in requirements:
        try:
            _task, created = services.requirement_to_task(requirement.pk, actor=request.user)
        except PermissionDenied as exc:
            messages.error(request, str(exc))
            return made
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return made
        made += created
    return made


@login_required
@require_POST
def requirement_task(request, pk, rid):
    visit = _visit(request, pk)
    requirement = visit.requirements.filter(pk=rid).first()
    if requirement is None:
        raise Http404
    if _deploy(request, visit, [requirement]):
        messages.success(request, gettext("Task deployed."))
    return redirect(reverse("visits:detail", args=[visit.pk]) + f"#requirement-{requirement.pk}")


@login_required
@require_POST
def difficulty_appeal(request, pk, index):
    visit = _visit(request, pk)
    if not appeals_available():
        raise Http404
    try:
        _appeal, created = services.difficulty_to_appeal(visit.pk, index, actor=request.user)
    except PermissionDenied as exc:
        messages.error(request, str(exc))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        if created:
            messages.success(request, gettext("Appeal raised."))
    return redirect(reverse("visits:detail", args=[visit.pk]) + "#difficulties")


def _difficulties(visit, report):
    """(index, text, appeal or None) for each difficulty; appeals matched by their description."""
    items = report.difficulties_list() if report else []
    appeals = {}
    if items and appeals_available():
        appeals = {a.description: a for a in visit.appeals.all()}
    return [(i, text, appeals.get(text)) for i, text in enumerate(items)]


@login_required
@require_POST
def all_tasks(request, pk):
    visit = _visit(request, pk)
    made = _deploy(request, visit, list(visit.requirements.filter(task__isnull=True)))
    if made:
        messages.success(request, gettext("%(n)d tasks deployed.") % {"n": made})
    return redirect("visits:detail", pk=visit.pk)


# --- Coverage ---------------------------------------------------------------------------------------
@login_required
def coverage_view(request):
    user = request.user
    rules = list(CoverageRule.objects.visible_to(user).filter(is_active=True).select_related("jurisdiction"))
    rule = None
    if request.GET.get("rule", "").isdecimal():
        rule = next((r for r in rules if r.pk == int(request.GET["rule"])), None)
        if rule is None:
            raise Http404
    rule = rule or (rules[0] if rules else None)
    result = None
    if rule is not None:
        period = coverage_module.parse_period(rule.period, request.GET.get("period"))
        result = coverage_module.compute(rule, user=user, period=period)
    return render(
        request,
        "visits/coverage.html",
        {
            "rules": rules,
            "rule": rule,
            "result": result,
            "previous": result.period.previous(rule.period) if result else None,
            "following": result.period.following(rule.period) if result else None,
            "can_edit": user.access.has_role("office"),
            "today": timezone.localdate(),
        },
    )


@login_required
def rule_edit(request, pk=None):
    user = request.user
    rule = get_visible_or_404(CoverageRule, user, pk=pk) if pk else None
    if not user.access.has_role("office"):
        raise PermissionDenied(gettext("Only the command office sets coverage rules."))
    form = CoverageRuleForm(request.POST or None, instance=rule, user=user)
    if request.method == "POST" and form.is_valid():
        values = {name: form.cleaned_data[name] for name in form.Meta.fields}
        try:
            saved = services.save_coverage_rule(actor=user, rule=rule, **values)
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, gettext("Coverage rule saved."))
            return redirect(saved.get_absolute_url())
    return render(request, "visits/rule_form.html", {"form": form, "rule": rule}, status=400 if form.errors else 200)

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.db.models import Prefetch
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.generic import DetailView, FormView

from lianqi.accounts.choices import Role
from lianqi.accounts.models import User
from lianqi.core.exports import XLSX_CONTENT_TYPE
from lianqi.core.listing import FilteredListView, ScopedObjectMixin
from lianqi.core.scoping import can_change, get_visible_or_404, require_change
from lianqi.jobs.models import Job
from lianqi.jobs.services import run_inline, start_job

from . import jobs
from .choices import RISK_COLOURS, STATUS_COLOURS
from .columns import export_columns
from .exporting import SORTABLE, export_response, filtered_enterprises, template_workbook
from .filtersets import EnterpriseFilterSet
from .forms import AssignmentForm, BulkAssignForm, EnterpriseForm, ImportUploadForm
from .importing import count_rows
from .models import Assignment, Enterprise
from .services import assign, bulk_assign, end_assignment, save_enterprise
from .tabs import tab_context, tabs_for


def _is_office(user) -> bool:
    return user.access.has_role(Role.OFFICE)


def _require_office(user, message):
    if not _is_office(user):
        raise PermissionDenied(message)


# --- List, export, map ----------------------------------------------------------------------


class EnterpriseListView(FilteredListView):
    model = Enterprise
    filterset_class = EnterpriseFilterSet
    template_name = "enterprises/enterprise_list.html"
    partial_template_name = "enterprises/_enterprise_table.html"
    sortable = SORTABLE
    export_filename = "enterprises"

    @property
    def export_columns(self):
        return export_columns()

    def get(self, request, *args, **kwargs):
        fmt = request.GET.get("export")
        if fmt in ("csv", "xlsx"):
            return self.export(fmt)
        return super().get(request, *args, **kwargs)

    def export(self, fmt):
        queryset = self.get_queryset()
        if queryset.count() > settings.EXPORT_INLINE_MAX_ROWS:
            query = self.request.GET.copy()
            query.pop("export", None)
            job = start_job(
                jobs.EXPORT,
                actor=self.request.user,
                params={"query": query.urlencode(), "format": fmt, "language": translation.get_language()},
                label=_("Export of enterprises (%(format)s)") % {"format": fmt.upper()},
            )
            return redirect(job)
        return export_response(fmt, queryset)

    def get_queryset(self):
        queryset, self.filterset = filtered_enterprises(self.request.user, self.request.GET, request=self.request)
        return queryset.select_related("jurisdiction", "industry").prefetch_related(
            Prefetch(
                "assignments",
                queryset=Assignment.objects.current().select_related("official").order_by("role"),
                to_attr="current_assignments",
            )
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["risk_colours"] = RISK_COLOURS
        context["status_colours"] = STATUS_COLOURS
        context["is_office"] = _is_office(self.request.user)
        return context


MAP_POINT_LIMIT = 5000


@login_required
def enterprise_map(request):
    _queryset, filterset = filtered_enterprises(request.user, request.GET, request=request)
    query = request.GET.copy()
    return render(
        request,
        "enterprises/enterprise_map.html",
        {
            "filterset": filterset,
            "querystring": query.urlencode(),
            "tile_url": settings.MAP_TILE_URL,
            "tile_attribution": settings.MAP_TILE_ATTRIBUTION,
            "limit": MAP_POINT_LIMIT,
        },
    )


@login_required
def map_points(request):
    """The filtered enterprises that have a location, as compact JSON for the map."""
    queryset, _filterset = filtered_enterprises(request.user, request.GET, request=request)
    located = queryset.filter(latitude__isnull=False).order_by()
    total = located.count()
    points = [
        [pk, float(lat), float(lng), name, risk, is_key]
        for pk, lat, lng, name, risk, is_key in located.values_list(
            "pk", "latitude", "longitude", "name", "risk_tier", "is_key"
        )[:MAP_POINT_LIMIT]
    ]
    return JsonResponse({"total": total, "shown": len(points), "points": points})


# --- Detail and tabs ------------------------------------------------------------------------


def _enterprise(request, pk):
    return get_visible_or_404(
        Enterprise.objects.select_related("jurisdiction", "operating_jurisdiction", "industry", "sector_department"),
        request.user,
        pk=pk,
    )


class EnterpriseDetailView(LoginRequiredMixin, DetailView):
    template_name = "enterprises/enterprise_detail.html"
    context_object_name = "enterprise"

    def get_object(self, queryset=None):
        return _enterprise(self.request, self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        tabs = tabs_for(self.request.user.access)
        if not tabs:
            raise Http404
        wanted = self.request.GET.get("tab") or tabs[0].key
        active = next((t for t in tabs if t.key == wanted), tabs[0])
        context.update(
            tabs=tabs,
            active_tab=active,
            tab_context=tab_context(active, self.request, self.object) or {},
            can_change=can_change(self.request.user, self.object),
            risk_colour=RISK_COLOURS.get(self.object.risk_tier),
            status_colour=STATUS_COLOURS.get(self.object.status),
        )
        return context


@login_required
def enterprise_tab(request, pk, key):
    enterprise = _enterprise(request, pk)
    tab = next((t for t in tabs_for(request.user.access) if t.key == key), None)
    context = tab_context(tab, request, enterprise) if tab else None
    if context is None:
        raise Http404
    return render(request, tab.template, context)


# --- Create and edit ------------------------------------------------------------------------


class EnterpriseEditMixin:
    template_name = "enterprises/enterprise_form.html"
    form_class = EnterpriseForm

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["user"] = self.request.user
        kwargs["instance"] = getattr(self, "object", None)
        return kwargs

    def form_valid(self, form):
        enterprise = save_enterprise(form.save(commit=False), actor=self.request.user)
        messages.success(self.request, _("Enterprise “%(name)s” saved.") % {"name": enterprise})
        return redirect(enterprise)


class EnterpriseCreateView(LoginRequiredMixin, EnterpriseEditMixin, FormView):
    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            _require_office(request.user, _("Only the command office registers enterprises."))
        return super().dispatch(request, *args, **kwargs)


class EnterpriseUpdateView(ScopedObjectMixin, EnterpriseEditMixin, FormView):
    model = Enterprise
    require_change = True

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.object = self.get_object()
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(object=self.object, **kwargs)


# --- Assignments ----------------------------------------------------------------------------


class AssignmentCreateView(ScopedObjectMixin, FormView):
    model = Enterprise
    require_change = True
    template_name = "enterprises/assignment_form.html"
    form_class = AssignmentForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.enterprise = self.get_object()
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user, "enterprise": self.enterprise}

    def get_context_data(self, **kwargs):
        return super().get_context_data(enterprise=self.enterprise, **kwargs)

    def form_valid(self, form):
        data = form.cleaned_data
        assign(
            enterprise=self.enterprise,
            official=data["official"],
            role=data["role"],
            start=data["start"],
            end=data["end"],
            note=data["note"],
            actor=self.request.user,
        )
        messages.success(
            self.request, _("%(name)s is now responsible for this enterprise.") % {"name": data["official"]}
        )
        return redirect(f"{self.enterprise.get_absolute_url()}?tab=officials")


@login_required
@require_POST
def assignment_end(request, pk):
    assignment = get_visible_or_404(Assignment, request.user, pk=pk)
    require_change(request.user, assignment)
    end_assignment(assignment, actor=request.user)
    messages.success(request, _("The assignment has ended."))
    return redirect(f"{assignment.enterprise.get_absolute_url()}?tab=officials")


@login_required
def official_detail(request, user_id):
    """An official's enterprises: those the viewer may see among the official's assignments."""
    official = get_visible_or_404(User, request.user, pk=user_id)
    assignments = (
        Assignment.objects.visible_to(request.user)
        .filter(official=official)
        .select_related("enterprise__jurisdiction", "enterprise__industry")
        .order_by("end", "enterprise__name")
    )
    current_ids = set(Assignment.objects.current().filter(official=official).values_list("pk", flat=True))
    return render(
        request,
        "enterprises/official_detail.html",
        {
            "official": official,
            "assignments": assignments,
            "current_ids": current_ids,
            "risk_colours": RISK_COLOURS,
        },
    )


class BulkAssignView(LoginRequiredMixin, FormView):
    template_name = "enterprises/bulk_assign.html"
    form_class = BulkAssignForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            _require_office(request.user, _("Only the command office assigns officials in bulk."))
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def form_valid(self, form):
        data = form.cleaned_data
        enterprises = (
            Enterprise.objects.editable_by(self.request.user)
            .active()
            .filter(jurisdiction__path__startswith=data["within"].path)
        )
        if data["key_only"]:
            enterprises = enterprises.filter(is_key=True)
        try:
            result = bulk_assign(
                enterprises=enterprises,
                officials=list(data["officials"]),
                role=data["role"],
                start=data["start"],
                per_official=data["per_official"],
                actor=self.request.user,
            )
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for field, errors in error.error_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, error)
            return self.form_invalid(form)
        officials = {o.pk: o for o in data["officials"]}
        return render(
            self.request,
            "enterprises/bulk_assign.html",
            {
                "form": form,
                "result": result,
                "per_official": [(officials[pk], n) for pk, n in result.per_official.most_common()],
            },
        )


# --- Import ---------------------------------------------------------------------------------


class ImportView(LoginRequiredMixin, FormView):
    template_name = "enterprises/import.html"
    form_class = ImportUploadForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            _require_office(request.user, _("Only the command office imports enterprises."))
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        recent = Job.objects.visible_to(self.request.user).filter(
            kind__in=[jobs.PREVIEW, jobs.APPLY], created_by=self.request.user
        )[:8]
        return super().get_context_data(recent=recent, **kwargs)

    def form_valid(self, form):
        upload = form.cleaned_data["file"]
        path = default_storage.save(jobs.stored_upload_path(upload.name), upload)
        with default_storage.open(path, "rb") as stored:
            rows = count_rows(stored, upload.name)
        params = {"path": path, "filename": upload.name, "rows": rows}
        label = _("Check of %(name)s") % {"name": upload.name}
        if rows > settings.IMPORT_INLINE_MAX_ROWS:
            job = start_job(jobs.PREVIEW, actor=self.request.user, params=params, label=label, total=rows)
        else:
            job = run_inline(jobs.PREVIEW, actor=self.request.user, params=params, label=label)
        return redirect(job)


@login_required
@require_POST
def import_confirm(request, job_id):
    preview = get_visible_or_404(Job, request.user, pk=job_id)
    _require_office(request.user, _("Only the command office imports enterprises."))
    if preview.kind != jobs.PREVIEW or preview.status != "done" or not preview.result.get("ok"):
        messages.error(request, _("This file did not pass the checks; correct it and upload it again."))
        return redirect(preview)
    if preview.result.get("apply_job"):  # confirmed twice (double click, back button): same import
        return redirect("jobs:detail", preview.result["apply_job"])
    params = {key: preview.params[key] for key in ("path", "filename", "rows")}
    params["preview_job"] = preview.pk
    label = _("Import of %(name)s") % {"name": params["filename"]}
    if params["rows"] > settings.IMPORT_INLINE_MAX_ROWS:
        job = start_job(jobs.APPLY, actor=request.user, params=params, label=label, total=params["rows"])
    else:
        job = run_inline(jobs.APPLY, actor=request.user, params=params, label=label)
    preview.result["apply_job"] = job.pk
    preview.save(update_fields=["result"])
    return redirect(job)


@login_required
def import_template(request):
    language = request.GET.get("lang") or translation.get_language() or "zh-hans"
    language = "zh-hans" if language.startswith("zh") else "en"
    response = HttpResponse(content_type=XLSX_CONTENT_TYPE)
    template_workbook(response, language)
    name = "企业名录导入模板.xlsx" if language == "zh-hans" else "enterprise-import-template.xlsx"
    from django.utils.http import content_disposition_header

    response["Content-Disposition"] = content_disposition_header(True, name)
    return response

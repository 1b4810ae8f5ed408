import calendar
from collections import defaultdict
from datetime import date, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.http import require_POST

from lianqi.accounts.choices import Role
from lianqi.checklists.display import Row, build_sections
from lianqi.checklists.models import ChecklistTemplate
from lianqi.core.listing import FilteredListView
from lianqi.core.scoping import can_change, get_visible_or_404, require_change

from . import services
from .choices import KIND_COLOURS, STATUS_COLOURS, InspectionKind, InspectionStatus
from .filtersets import InspectionFilterSet
from .forms import CancelForm, InspectionPlanForm, RecordForm, SignOffForm
from .models import Inspection


def _people(inspection):
    return ", ".join(str(u) for u in inspection.inspectors.all())


class InspectionListView(FilteredListView):
    model = Inspection
    filterset_class = InspectionFilterSet
    template_name = "inspections/inspection_list.html"
    partial_template_name = "inspections/_inspection_table.html"
    sortable = {
        "date": "planned_date",
        "due": "due_date",
        "status": "status",
        "kind": "kind",
        "target": "enterprise__name",
    }
    export_filename = "inspections"
    export_columns = [
        (_l("Planned date"), "planned_date"),
        (_l("Due date"), "due_date"),
        (_l("Kind"), "get_kind_display"),
        (_l("Status"), "get_status_display"),
        (_l("Enterprise or place"), "target_name"),
        (_l("Credit code"), "enterprise.credit_code"),
        (_l("Jurisdiction"), "jurisdiction.name_zh"),
        (_l("Checklist"), lambda i: str(i.template_version) if i.template_version_id else ""),
        (_l("Assigned to"), _people),
        (_l("Leaders"), lambda i: ", ".join([*(str(u) for u in i.leaders.all()), *filter(None, [i.leader_names])])),
        (_l("Score"), "score"),
        (_l("Failing items"), "failed_count"),
        (_l("Submitted at"), "submitted_at"),
    ]

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("enterprise", "jurisdiction", "template_version__template")
            .prefetch_related("inspectors", "leaders")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            status_colours=STATUS_COLOURS,
            kind_colours=KIND_COLOURS,
            today=timezone.localdate(),
            can_plan=services.can_plan(self.request.user),
        )
        return context


def _month(request):
    today = timezone.localdate()
    try:
        year, month = (int(x) for x in request.GET.get("month", "").split("-"))
        date(year, month, 1)
    except ValueError:
        year, month = today.year, today.month
    return year, month


@login_required
def calendar_view(request):
    """A month of inspections by planned date, in the user's scope (with the list's filters)."""
    year, month = _month(request)
    first = date(year, month, 1)
    last = date(year, month, calendar.monthrange(year, month)[1])
    queryset = Inspection.objects.visible_to(request.user).exclude(status=InspectionStatus.CANCELLED)
    filterset = InspectionFilterSet(request.GET or None, queryset=queryset, request=request)
    if filterset.is_bound and filterset.is_valid():
        queryset = filterset.qs
    by_day = defaultdict(list)
    for inspection in (
        queryset.filter(planned_date__range=(first, last)).select_related("enterprise").order_by("planned_date", "pk")
    ):
        by_day[inspection.planned_date].append(inspection)
    weeks = [
        [(day, by_day.get(day, []), day.month == month) for day in week]
        for week in calendar.Calendar(firstweekday=0).monthdatescalendar(year, month)
    ]
    previous = (first - timedelta(days=1)).strftime("%Y-%m")
    following = (last + timedelta(days=1)).strftime("%Y-%m")
    return render(
        request,
        "inspections/calendar.html",
        {
            "weeks": weeks,
            "month_start": first,
            "previous": previous,
            "following": following,
            "today": timezone.localdate(),
            "filterset": filterset,
            "status_colours": STATUS_COLOURS,
            "weekdays": [_("Mon"), _("Tue"), _("Wed"), _("Thu"), _("Fri"), _("Sat"), _("Sun")],
        },
    )


@login_required
def due_view(request):
    """What is due and overdue: open inspections in scope grouped by person and by jurisdiction."""
    today = timezone.localdate()
    horizon = today + timedelta(
        days=int(request.GET.get("days", 14)) if request.GET.get("days", "").isdecimal() else 14
    )
    open_inspections = list(
        Inspection.objects.visible_to(request.user)
        .open()
        .filter(due_date__lte=horizon)
        .select_related("enterprise", "jurisdiction")
        .prefetch_related("inspectors")
        .order_by("due_date", "pk")
    )
    by_person, by_jurisdiction = defaultdict(lambda: [0, 0, []]), defaultdict(lambda: [0, 0])
    for inspection in open_inspections:
        overdue = inspection.due_date < today
        for person in inspection.inspectors.all() or [None]:
            row = by_person[person]
            row[0 if overdue else 1] += 1
            row[2].append(inspection)
        by_jurisdiction[inspection.jurisdiction][0 if overdue else 1] += 1
    people = sorted(by_person.items(), key=lambda kv: (-kv[1][0], str(kv[0] or "")))
    places = sorted(by_jurisdiction.items(), key=lambda kv: (-kv[1][0], kv[0].path))
    return render(
        request,
        "inspections/due.html",
        {
            "inspections": open_inspections,
            "people": people,
            "places": places,
            "today": today,
            "horizon": horizon,
            "status_colours": STATUS_COLOURS,
        },
    )


def _inspection(request, pk):
    return get_visible_or_404(
        Inspection.objects.select_related(
            "enterprise", "jurisdiction", "template_version__template", "submitted_by", "signed_off_by", "created_by"
        ).prefetch_related("inspectors", "leaders", "departments"),
        request.user,
        pk=pk,
    )


def _sections(inspection):
    if not inspection.template_version_id:
        return [], None
    answers, notes, photos, state = services.current_state(inspection)
    sections, state = build_sections(inspection.template_version, answers, notes, photos)
    return sections, state


@login_required
def detail(request, pk):
    inspection = _inspection(request, pk)
    sections, state = _sections(inspection)
    user = request.user
    return render(
        request,
        "inspections/inspection_detail.html",
        {
            "inspection": inspection,
            "sections": sections,
            "state": state,
            "findings": inspection.findings.prefetch_related("photos"),
            "requirements": inspection.requirements.select_related("task"),
            "general_photos": inspection.photos.filter(item_code=""),
            "can_conduct": inspection.is_open and services.can_conduct(user, inspection),
            "can_sign_off": services.can_sign_off(user, inspection),
            "can_cancel": inspection.is_open and user.access.is_official and can_change(user, inspection),
            "status_colours": STATUS_COLOURS,
            "kind_colours": KIND_COLOURS,
            "sign_off_form": SignOffForm(),
            "cancel_form": CancelForm(),
        },
    )


def _conductable(request, pk):
    inspection = _inspection(request, pk)
    services.require_conduct(request.user, inspection)
    return inspection


@login_required
def conduct(request, pk):
    """The phone form: each answer saves itself (htmx); the page can be reloaded at any time."""
    inspection = _conductable(request, pk)
    if not inspection.is_open:
        messages.info(
            request, _("This inspection is %(status)s.") % {"status": inspection.get_status_display().lower()}
        )
        return redirect(inspection)
    sections, state = _sections(inspection)
    record = RecordForm(
        initial={
            "sites_inspected": inspection.sites_inspected,
            "requirements": "\n".join(r.text for r in inspection.requirements.all()),
            "accompanied_by": inspection.accompanied_by,
            "summary": inspection.summary,
        }
    )
    return render(
        request,
        "inspections/conduct.html",
        {
            "inspection": inspection,
            "sections": sections,
            "state": state,
            "record_form": record,
            "problems": request.session.pop(f"inspection-{inspection.pk}-problems", []),
        },
    )


def _item_fragment(request, inspection, code, *, error="", raw=None, saved=False):
    sections, _state = _sections(inspection)
    row = next((r for _s, rows in sections for r in rows if r.code == code), None)
    if row is None:
        raise ValidationError(_("Item %(code)s is not in this checklist.") % {"code": code})
    if error:
        row.error = error
        if raw is not None:
            row.value = raw  # show what was typed, so it can be corrected
    row.saved = saved
    return render(
        request,
        "checklists/_answer_item.html",
        {
            "row": row,
            "mode": "conduct",
            "answer_url": inspection_url(inspection, "answer"),
            "photo_url": inspection_url(inspection, "photo"),
        },
        status=200,
    )


def inspection_url(inspection, name):
    from django.urls import reverse

    return reverse(f"inspections:{name}", args=[inspection.pk])


@login_required
@require_POST
def answer(request, pk):
    """Save one answer; htmx gets the item back (with the error, if any), others a redirect."""
    inspection = _conductable(request, pk)
    code = request.POST.get("code", "")
    values = request.POST.getlist("value")
    raw = values if len(values) != 1 else values[0]
    note = request.POST.get("note")
    error = ""
    try:
        services.save_answer(inspection.pk, code, raw, note=note, actor=request.user)
    except ValidationError as exc:
        error = " ".join(exc.messages)
    if request.htmx:
        return _item_fragment(request, inspection, code, error=error, raw=raw if error else None, saved=not error)
    if error:
        messages.error(request, error)
    return redirect(f"{inspection_url(inspection, 'conduct')}#item-{code}")


@login_required
@require_POST
def photo(request, pk):
    inspection = _conductable(request, pk)
    code = request.POST.get("code", "")
    upload = request.FILES.get("photo")
    error = ""
    if upload is None:
        error = _("Choose a photo to upload.")
    else:
        try:
            services.add_photo(inspection.pk, code, upload, actor=request.user)
        except ValidationError as exc:
            error = " ".join(exc.messages)
    if request.htmx and code:
        response = _item_fragment(request, inspection, code, error=error, saved=not error)
        if error:
            response.status_code = 200  # htmx swaps 200 only; the message is in the fragment
        return response
    if error:
        messages.error(request, error)
        return (
            redirect(f"{inspection_url(inspection, 'conduct')}#item-{code}")
            if code
            else redirect(inspection_url(inspection, "conduct"))
        )
    return redirect(f"{inspection_url(inspection, 'conduct')}#item-{code}")


@login_required
@require_POST
def record(request, pk):
    inspection = _conductable(request, pk)
    form = RecordForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.save_record(
                inspection.pk,
                actor=request.user,
                sites_inspected=data["sites_inspected"],
                summary=data["summary"],
                accompanied_by=data["accompanied_by"],
                requirements=data["requirements"].splitlines(),
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
    if request.htmx:
        return render(request, "inspections/_record_saved.html", {"ok": form.is_valid()})
    return redirect(inspection_url(inspection, "conduct"))


@login_required
@require_POST
def submit(request, pk):
    inspection = _conductable(request, pk)
    try:
        inspection, now = services.submit(inspection.pk, actor=request.user)
    except ValidationError as exc:
        request.session[f"inspection-{inspection.pk}-problems"] = exc.messages
        messages.error(request, _("Not submitted yet: some items need an answer or a photo."))
        return redirect(f"{inspection_url(inspection, 'conduct')}#problems")
    if now:
        messages.success(
            request,
            _("Inspection submitted: %(n)d failing item(s), %(f)d finding(s) proposed.")
            % {"n": inspection.failed_count, "f": inspection.findings.count()},
        )
    else:
        messages.info(request, _("This inspection was already submitted."))
    return redirect(inspection)


@login_required
@require_POST
def sign_off(request, pk):
    inspection = _inspection(request, pk)
    form = SignOffForm(request.POST)
    form.is_valid()
    try:
        services.sign_off(inspection.pk, actor=request.user, representative=form.cleaned_data.get("representative", ""))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Inspection signed off."))
    return redirect(inspection)


@login_required
@require_POST
def cancel(request, pk):
    inspection = _inspection(request, pk)
    require_change(request.user, inspection)
    try:
        services.cancel(inspection.pk, actor=request.user, reason=request.POST.get("reason", ""))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Inspection cancelled."))
    return redirect(inspection)


@login_required
def create(request):
    if not services.can_plan(request.user):
        raise PermissionDenied(_("The command office and leaders plan inspections."))
    initial = {}
    if request.GET.get("enterprise", "").isdigit():
        initial["enterprise"] = request.GET["enterprise"]
    if request.GET.get("kind") in InspectionKind.values:
        initial["kind"] = request.GET["kind"]
    form = InspectionPlanForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            inspection = services.plan_inspection(
                actor=request.user,
                kind=data["kind"],
                title=data["title"],
                template=data["template"],
                enterprise=data["enterprise"],
                place=data["place"].strip(),
                jurisdiction=data["jurisdiction"],
                planned_date=data["planned_date"],
                due_date=data["due_date"],
                leaders=data["leaders"],
                leader_names=data["leader_names"],
                inspectors=data["inspectors"],
                team_names=data["team_names"],
                departments=data["departments"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Inspection planned."))
            return redirect(inspection)
    return render(request, "inspections/inspection_form.html", {"form": form})


@login_required
@require_POST
def start_self_inspection(request):
    """An enterprise user starts a self-inspection of their enterprise with a template."""
    access = request.user.access
    if not access.has_role(Role.ENTERPRISE) or not access.enterprise_ids():
        raise PermissionDenied(_("Self-inspections are done by the enterprise's own users."))
    from lianqi.enterprises.models import Enterprise

    enterprise = Enterprise.objects.get(pk=access.enterprise_ids()[0])
    template = get_visible_or_404(ChecklistTemplate, request.user, pk=request.POST.get("template") or 0)
    try:
        inspection = services.plan_inspection(
            actor=request.user,
            kind=InspectionKind.SELF,
            enterprise=enterprise,
            template=template,
            planned_date=timezone.localdate(),
            inspectors=[request.user],
            title=_("Self-inspection"),
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("core:home")
    return redirect(inspection_url(inspection, "conduct"))


__all__ = ["Row"]


@login_required
def photo_file(request, pk):
    """A photo of an inspection, served only to those who may see the inspection (404 otherwise)."""
    import mimetypes

    from django.http import FileResponse, Http404

    from .models import Photo

    item = get_object_or_404(Photo.objects.select_related("inspection"), pk=pk)
    if not Inspection.objects.visible_to(request.user).filter(pk=item.inspection_id).exists():
        raise Http404
    try:
        handle = item.image.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, content_type=mimetypes.guess_type(item.image.name)[0] or "image/jpeg")
    response["Cache-Control"] = "private, max-age=3600"
    return response

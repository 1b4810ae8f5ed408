import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Max, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView

from lianqi.accounts.choices import Role
from lianqi.core.listing import FilteredListView
from lianqi.core.scoping import get_visible_or_404

from . import services
from .choices import VersionStatus
from .display import build_sections
from .filtersets import ChecklistTemplateFilterSet
from .forms import ChecklistItemForm, SectionForm, TemplateCreateForm, TemplateImportForm
from .models import ChecklistItem, ChecklistSection, ChecklistTemplate, TemplateVersion
from .transfer import MAX_IMPORT_BYTES, export_version, import_template, parse


class TemplateListView(FilteredListView):
    model = ChecklistTemplate
    filterset_class = ChecklistTemplateFilterSet
    template_name = "checklists/template_list.html"
    partial_template_name = "checklists/_template_table.html"
    sortable = {"code": "code", "name": "name_zh", "kind": "kind"}
    export_filename = "checklist-templates"
    export_columns = [
        (_l("Code"), "code"),
        (_l("Name (Chinese)"), "name_zh"),
        (_l("Name (English)"), "name_en"),
        (_l("Kind"), "get_kind_display"),
        (_l("Hazard category"), "get_hazard_category_display"),
        (_l("Latest published version"), "latest_number"),
    ]

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .annotate(
                latest_number=Max("versions__number", filter=Q(versions__status=VersionStatus.PUBLISHED)),
                has_draft=Count("versions", filter=Q(versions__status=VersionStatus.DRAFT)),
            )
        )


def _is_office(user) -> bool:
    return user.access.has_role(Role.OFFICE)


def _template(request, pk):
    return get_visible_or_404(ChecklistTemplate, request.user, pk=pk)


def _version(request, pk, number):
    template = _template(request, pk)
    version = template.versions.filter(number=number).first()
    if version is None:
        raise Http404(_("No such version."))
    return template, version


class TemplateDetailView(LoginRequiredMixin, TemplateView):
    """The template editor: the draft with its controls when there is one, else the latest
    published version (or the one asked for with ``?version=``)."""

    template_name = "checklists/template_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        template = _template(self.request, self.kwargs["pk"])
        versions = list(template.versions.select_related("created_by").order_by("-number"))
        wanted = self.request.GET.get("version")
        version = None
        if wanted and wanted.isdecimal():
            version = next((v for v in versions if v.number == int(wanted)), None)
        if version is None:
            version = next((v for v in versions if v.status == VersionStatus.DRAFT), None) or next(iter(versions), None)
        office = _is_office(self.request.user)
        context.update(
            template=template,
            versions=versions,
            version=version,
            sections=version.ordered_sections() if version else [],
            can_edit=office,
            editing=office and version is not None and version.is_draft,
            has_draft=any(v.is_draft for v in versions),
        )
        return context


@login_required
def template_create(request):
    if not _is_office(request.user):
        raise PermissionDenied(_("Only the command office edits checklist templates."))
    form = TemplateCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        template = services.create_template(actor=request.user, **form.cleaned_data)
        messages.success(request, _("Template created; add its sections and items, then publish it."))
        return redirect(template)
    return render(request, "checklists/template_form.html", {"form": form, "title": _("New checklist template")})


@login_required
def template_import(request):
    if not _is_office(request.user):
        raise PermissionDenied(_("Only the command office edits checklist templates."))
    form = TemplateImportForm(request.POST or None, request.FILES or None)
    problems = []
    if request.method == "POST" and form.is_valid():
        try:
            version, created = import_template(
                parse(form.cleaned_data["file"].read(MAX_IMPORT_BYTES + 1)), actor=request.user
            )
        except ValidationError as error:
            problems = error.messages
        else:
            if created:
                messages.success(request, _("Imported %(version)s.") % {"version": version})
            else:
                messages.info(request, _("%(version)s was already here with the same content.") % {"version": version})
            return redirect(version.template)
    return render(
        request,
        "checklists/template_import.html",
        {"form": form, "problems": problems},
        status=400 if problems else 200,
    )


@login_required
def version_export(request, pk, number):
    template, version = _version(request, pk, number)
    body = json.dumps(export_version(version), ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{template.code}-v{version.number}.json"'
    return response


@login_required
def version_preview(request, pk, number):
    """The version as a phone shows it, answers kept only in the page (nothing is saved)."""
    template, version = _version(request, pk, number)
    sections, _state = build_sections(version)
    return render(
        request, "checklists/version_preview.html", {"template": template, "version": version, "sections": sections}
    )


def _post_action(request, action):
    """Run an editor action; a domain error becomes a message, not a crash."""
    try:
        action()
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return False
    return True


@login_required
@require_POST
def template_edit(request, pk):
    template = _template(request, pk)
    services.require_office(request.user)
    draft = services.start_draft(template.pk, actor=request.user)
    messages.info(
        request,
        _("Editing draft version %(n)d. Publish it when ready; inspections keep the version they used.")
        % {"n": draft.number},
    )
    return redirect(template)


@login_required
@require_POST
def version_publish(request, pk, number):
    template, version = _version(request, pk, number)
    if _post_action(
        request,
        lambda: services.publish_draft(version.pk, actor=request.user, change_note=request.POST.get("change_note", "")),
    ):
        messages.success(request, _("Version %(n)d published; new inspections use it.") % {"n": version.number})
    return redirect(template)


@login_required
@require_POST
def version_discard(request, pk, number):
    template, version = _version(request, pk, number)
    if _post_action(request, lambda: services.discard_draft(version.pk, actor=request.user)):
        messages.success(request, _("Draft discarded."))
    return redirect(template)


def _draft(request, pk, number):
    template, version = _version(request, pk, number)
    services.require_office(request.user)
    if not version.is_draft:
        raise PermissionDenied(_("A published version cannot change; edit the template to open a new draft."))
    return template, version


@login_required
def section_form(request, pk, number, section_id=None):
    template, version = _draft(request, pk, number)
    section = get_object_or_404(ChecklistSection, pk=section_id, version=version) if section_id else None
    form = SectionForm(request.POST or None, instance=section, version=version)
    if request.method == "POST" and form.is_valid():
        services.save_section(version, actor=request.user, section=section, **form.cleaned_data)
        return redirect(f"{template.get_absolute_url()}#section-{form.cleaned_data['code']}")
    return render(
        request,
        "checklists/editor_form.html",
        {"form": form, "template": template, "version": version, "title": _("Section")},
    )


@login_required
def item_form(request, pk, number, item_id=None):
    template, version = _draft(request, pk, number)
    item = get_object_or_404(ChecklistItem, pk=item_id, version=version) if item_id else None
    initial = None
    if item is None and request.GET.get("section"):
        initial = {"section": request.GET["section"], "weight": 1, "required": True}
    form = ChecklistItemForm(
        request.POST or None, version=version, item=item, **({"initial": initial} if initial else {})
    )
    if request.method == "POST" and form.is_valid():
        saved = services.save_item(version, form.model_values(), actor=request.user, item=item)
        messages.success(request, _("Item %(code)s saved.") % {"code": saved.code})
        return redirect(f"{template.get_absolute_url()}#item-{saved.code}")
    return render(
        request,
        "checklists/editor_form.html",
        {"form": form, "template": template, "version": version, "title": _("Item"), "item_form": True},
    )


@login_required
@require_POST
def editor_action(request, pk, number, kind, obj_id, action):
    template, version = _draft(request, pk, number)
    model = ChecklistSection if kind == "section" else ChecklistItem
    obj = get_object_or_404(model, pk=obj_id, version=version)
    if action in ("up", "down"):
        _post_action(request, lambda: services.move(obj, -1 if action == "up" else 1, actor=request.user))
    elif action == "delete":
        deleter = services.delete_section if kind == "section" else services.delete_item
        if _post_action(request, lambda: deleter(obj, actor=request.user)):
            messages.success(request, _("Deleted %(code)s.") % {"code": obj.code})
    else:
        raise Http404
    anchor = f"#{kind}-{obj.code}" if action != "delete" else ""
    return redirect(f"{template.get_absolute_url()}{anchor}")


__all__ = ["TemplateListView", "TemplateDetailView", "TemplateVersion"]

"""Writes to checklist templates: the editor's steps and publishing. Each takes the acting user;
views, the API and the loader all call these."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from lianqi.accounts.choices import Role

from .choices import VersionStatus
from .models import ChecklistItem, ChecklistSection, ChecklistTemplate, TemplateVersion
from .transfer import export_version, validate, write_sections


def require_office(actor) -> None:
    if not actor.access.has_role(Role.OFFICE):
        raise PermissionDenied(_("Only the command office edits checklist templates."))


def _require_draft(version: TemplateVersion) -> None:
    if version.status != VersionStatus.DRAFT:
        raise ValidationError(
            _("A published version cannot change; edit the template to open a new draft."), code="published"
        )


def create_template(
    *, actor, code, kind, name_zh, name_en="", hazard_category="", description_zh="", description_en=""
):
    require_office(actor)
    with transaction.atomic():
        template = ChecklistTemplate.objects.create(
            code=code,
            kind=kind,
            name_zh=name_zh,
            name_en=name_en,
            hazard_category=hazard_category,
            description_zh=description_zh,
            description_en=description_en,
        )
        TemplateVersion.objects.create(template=template, number=1, created_by=actor)
    return template


def start_draft(template_id: int, *, actor) -> TemplateVersion:
    """The template's draft, opened as a copy of its latest version when there is none."""
    require_office(actor)
    with transaction.atomic():
        template = ChecklistTemplate.objects.select_for_update().get(pk=template_id)
        draft = template.draft()
        if draft is not None:
            return draft
        latest = template.versions.order_by("-number").first()
        draft = TemplateVersion.objects.create(
            template=template,
            number=(latest.number + 1) if latest else 1,
            created_by=actor,
            references=list(latest.references) if latest else [],
        )
        if latest is not None:
            write_sections(draft, export_version(latest)["sections"])
    return draft


def publish_draft(version_id: int, *, actor, change_note: str = "") -> TemplateVersion:
    """Check the draft with the importer's rules and publish it; later inspections use it."""
    require_office(actor)
    with transaction.atomic():
        version = TemplateVersion.objects.select_for_update(of=("self",)).select_related("template").get(pk=version_id)
        _require_draft(version)
        validate(export_version(version))
        version.status = VersionStatus.PUBLISHED
        version.published_at = timezone.now()
        version.change_note = change_note[:300]
        version.save(update_fields=["status", "published_at", "change_note"])
    return version


def discard_draft(version_id: int, *, actor) -> None:
    require_office(actor)
    with transaction.atomic():
        version = TemplateVersion.objects.select_for_update().get(pk=version_id)
        _require_draft(version)
        if not version.template.versions.exclude(pk=version.pk).exists():
            raise ValidationError(
                _("This is the template's only version; there is nothing to go back to."), code="only_version"
            )
        version.delete()


def save_section(version: TemplateVersion, *, actor, section=None, code, title_zh, title_en=""):
    require_office(actor)
    _require_draft(version)
    with transaction.atomic():
        if section is None:
            position = (version.sections.aggregate(m=Max("position"))["m"] or 0) + 1
            section = ChecklistSection(version=version, position=position)
        section.code, section.title_zh, section.title_en = code, title_zh, title_en
        section.save()
    return section


def delete_section(section: ChecklistSection, *, actor) -> None:
    require_office(actor)
    _require_draft(section.version)
    codes = set(section.items.values_list("code", flat=True))
    dependants = [
        i.code for i in section.version.items.exclude(section=section) if i.show_if and i.show_if.get("item") in codes
    ]
    if dependants:
        raise ValidationError(
            _("Items %(codes)s are shown depending on this section's items; change them first.")
            % {"codes": ", ".join(dependants)},
            code="has_dependants",
        )
    section.delete()


def save_item(version: TemplateVersion, values: dict, *, actor, item=None) -> ChecklistItem:
    """``values`` are model field values already checked by ``ChecklistItemForm``."""
    require_office(actor)
    _require_draft(version)
    with transaction.atomic():
        if item is None:
            item = ChecklistItem(version=version)
            item.position = (version.items.aggregate(m=Max("position"))["m"] or 0) + 1
        for key, value in values.items():
            setattr(item, key, value)
        item.full_clean(exclude=["version", "section"])
        item.save()
    return item


def delete_item(item: ChecklistItem, *, actor) -> None:
    require_office(actor)
    _require_draft(item.version)
    dependants = [i.code for i in item.version.items.all() if i.show_if and i.show_if.get("item") == item.code]
    if dependants:
        raise ValidationError(
            _("Items %(codes)s are shown depending on %(code)s; change them first.")
            % {"codes": ", ".join(dependants), "code": item.code},
            code="has_dependants",
        )
    item.delete()


def move(obj, direction: int, *, actor) -> None:
    """Swap a section or an item with its neighbour (within its section) up (-1) or down (+1)."""
    require_office(actor)
    version = obj.version
    _require_draft(version)
    with transaction.atomic():
        if isinstance(obj, ChecklistSection):
            siblings = list(version.sections.order_by("position", "pk"))
        else:
            siblings = list(obj.section.items.order_by("position", "pk"))
        index = next(i for i, s in enumerate(siblings) if s.pk == obj.pk)
        other = index + direction
        if not 0 <= other < len(siblings):
            return
        siblings[index], siblings[other] = siblings[other], siblings[index]
        base = min(s.position for s in siblings)
        for offset, sibling in enumerate(siblings):
            if sibling.position != base + offset:
                sibling.position = base + offset
                sibling.save(update_fields=["position"])
        # Conditions may only point to earlier items: re-check the whole draft's order.
        problems = _order_problems(version)
        if problems:
            raise ValidationError(problems, code="order")


def _order_problems(version) -> list[str]:
    version._ordered_sections = None
    seen, problems = set(), []
    for item in version.ordered_items():
        if item.show_if and item.show_if.get("item") not in seen:
            problems.append(
                _("%(code)s depends on %(parent)s, which would then come after it.")
                % {"code": item.code, "parent": item.show_if.get("item")}
            )
        seen.add(item.code)
    return problems

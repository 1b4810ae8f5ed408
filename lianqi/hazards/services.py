"""Every write to a hazard goes through these functions (pages, API, imports and tests alike).
Transitions of the life cycle are in ``workflow.py`` and run through ``HAZARD_WORKFLOW.perform``."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lianqi.accounts.choices import Role
from lianqi.core.uploads import clean_document, clean_image
from lianqi.notifications.events import emit
from lianqi.workflows.engine import WorkflowError, record

from .choices import RECTIFICATION_STATUSES, ExtensionStatus, HazardGrade, HazardSource, HazardStatus
from .models import DeadlineExtension, Hazard, RectificationPlan
from .workflow import can_act_as_official, can_act_for_enterprise, is_office


def _clean_files(files, *, images_only=False):
    from django.core.exceptions import ValidationError

    clean = clean_image if images_only else clean_document
    try:
        return [clean(f) for f in files or []]
    except ValidationError as error:
        raise WorkflowError({"photos": error.messages}, code="attachments") from None


def report_hazard(
    *,
    actor,
    enterprise,
    category,
    description,
    grade=HazardGrade.GENERAL,
    location="",
    standard_clause="",
    photos=(),
    source=None,
    found_at=None,
) -> Hazard:
    """An official records a hazard found at an enterprise, or the enterprise records one from
    its own self-check. The sector authority supervises it by default."""
    from lianqi.enterprises.models import Enterprise

    access = actor.access
    own = enterprise.pk in access.enterprise_ids()
    if not own and not Enterprise.objects.visible_to(actor).filter(pk=enterprise.pk).exists():
        raise PermissionDenied(_("You may not record hazards for this enterprise."))
    if not own and not (access.is_admin or access.has_role(Role.OFFICE, Role.INSPECTOR, Role.DEPARTMENT)):
        raise PermissionDenied(_("Your role does not record hazards."))
    files = _clean_files(photos)
    with transaction.atomic():
        hazard = Hazard(
            enterprise=enterprise,
            jurisdiction=enterprise.jurisdiction,
            source=source or (HazardSource.SELF_CHECK if own else HazardSource.INSPECTION),
            found_at=found_at or timezone.now(),
            found_by=actor,
            location=location,
            description=description,
            grade=grade,
            category=category,
            standard_clause=standard_clause,
            supervising_department=enterprise.sector_department,
        )
        hazard._history_user = actor
        hazard.full_clean(exclude=["number"])
        hazard.save()
        entry = record(hazard, actor=actor, action="reported", to_state=hazard.status, note=description, files=files)
        emit("hazard.reported", hazard, actor=actor, entry=entry)
    return hazard


def from_finding(finding, *, actor) -> Hazard:
    """Record an inspection's finding as a hazard (once): category, grade, description, clause
    and photos are taken over; the inspector who found it is the finder."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from lianqi.inspections.models import Inspection

    inspection = finding.inspection
    if not Inspection.objects.visible_to(actor).filter(pk=inspection.pk).exists():
        raise PermissionDenied(_("You may not see this inspection."))
    if Hazard.objects.filter(finding=finding).exists():
        raise WorkflowError(_("This finding is already recorded as a hazard."), code="duplicate")
    if inspection.enterprise_id is None:
        raise WorkflowError(
            _("The inspection has no registered enterprise to record the hazard for."), code="no_enterprise"
        )
    photos = []
    for photo in finding.photos.all():
        with photo.image.open("rb") as handle:
            photos.append(
                SimpleUploadedFile(photo.image.name.rsplit("/", 1)[-1], handle.read(), content_type="image/jpeg")
            )
    description = finding.description
    if finding.item_text and finding.item_text not in description:
        description = f"{finding.item_text}\n{description}".strip()
    with transaction.atomic():
        hazard = report_hazard(
            actor=actor,
            enterprise=inspection.enterprise,
            category=finding.proposed_category,
            grade=finding.proposed_grade,
            description=description,
            standard_clause=finding.clause[:200],
            photos=photos,
            source=HazardSource.INSPECTION,
            found_at=finding.created_at,
        )
        Hazard.objects.filter(pk=hazard.pk).update(finding=finding, found_by=finding.created_by or actor)
    hazard.refresh_from_db()
    return hazard


def report_public(*, jurisdiction, description, category, location, reporter_name="", reporter_phone="", photos=()):
    """A member of the public reports a hazard (no login). It waits for the office to triage.
    The public sends photos only, re-encoded without their location data like every photo."""
    files = _clean_files(photos, images_only=True)
    with transaction.atomic():
        hazard = Hazard(
            jurisdiction=jurisdiction,
            source=HazardSource.PUBLIC,
            description=description,
            category=category,
            location=location,
            reporter_name=reporter_name,
            reporter_phone=reporter_phone,
        )
        hazard.full_clean(exclude=["number"])
        hazard.save()
        entry = record(hazard, actor=None, action="reported", to_state=hazard.status, note=description, files=files)
        emit("hazard.reported", hazard, entry=entry)
    return hazard


def link_enterprise(hazard: Hazard, enterprise, *, actor) -> Hazard:
    """The office links a public report to the registered enterprise it concerns."""
    if not is_office(actor, hazard):
        raise PermissionDenied(_("Only the command office triages public reports."))
    with transaction.atomic():
        hazard = Hazard.objects.select_for_update().get(pk=hazard.pk)
        if hazard.status != HazardStatus.REPORTED:
            raise WorkflowError(_("Only a hazard that has just been reported can be re-linked."), code="wrong_state")
        hazard.enterprise, hazard.jurisdiction = enterprise, enterprise.jurisdiction
        hazard.supervising_department = enterprise.sector_department
        hazard._history_user = actor
        hazard.save(update_fields=["enterprise", "jurisdiction", "supervising_department", "updated_at"])
        record(hazard, actor=actor, action="linked", note=str(enterprise))
    return hazard


def save_plan(hazard: Hazard, *, actor, **parts) -> RectificationPlan:
    """The enterprise (or the supervising official) writes the six-part plan of a major hazard."""
    if not (can_act_for_enterprise(actor, hazard) or can_act_as_official(actor, hazard)):
        raise PermissionDenied(_("You may not write this hazard's plan."))
    if not hazard.is_major:
        raise WorkflowError(_("Only major hazards need a rectification plan."), code="not_major")
    if hazard.status not in (*RECTIFICATION_STATUSES, HazardStatus.REPORTED):
        raise WorkflowError(_("The plan can no longer be changed."), code="wrong_state")
    missing = {
        part: _("This part of the plan is required.")
        for part in RectificationPlan.PARTS
        if not (parts.get(part) or "").strip()
    }
    if missing:
        raise WorkflowError(missing, code="required")
    with transaction.atomic():
        plan, created = RectificationPlan.objects.update_or_create(
            hazard=hazard, defaults={**{p: parts[p].strip() for p in RectificationPlan.PARTS}, "updated_by": actor}
        )
        record(hazard, actor=actor, action="plan_saved" if created else "plan_updated")
    return plan


def request_extension(
    hazard: Hazard, *, actor, new_deadline: datetime.date, reason: str, today=None
) -> DeadlineExtension:
    """The enterprise asks for more time, before the deadline has passed."""
    today = today or timezone.localdate()
    if not can_act_for_enterprise(actor, hazard):
        raise PermissionDenied(_("Only the enterprise asks for a deadline extension."))
    errors = {}
    if hazard.status not in RECTIFICATION_STATUSES or hazard.deadline is None:
        raise WorkflowError(_("An extension can only be asked for during rectification."), code="wrong_state")
    if today > hazard.deadline:
        raise WorkflowError(
            _("The deadline (%(deadline)s) has passed; an extension must be asked for before it.")
            % {"deadline": hazard.deadline},
            code="too_late",
        )
    if new_deadline <= hazard.deadline:
        errors["new_deadline"] = _("The new deadline must be later than the current one (%(deadline)s).") % {
            "deadline": hazard.deadline
        }
    if not (reason or "").strip():
        errors["reason"] = _("Give a reason.")
    if errors:
        raise WorkflowError(errors, code="invalid")
    with transaction.atomic():
        Hazard.objects.select_for_update().get(pk=hazard.pk)
        if hazard.extensions.filter(status=ExtensionStatus.PENDING).exists():
            raise WorkflowError(_("An extension request is already waiting for a decision."), code="pending")
        extension = DeadlineExtension.objects.create(
            hazard=hazard,
            requested_by=actor,
            current_deadline=hazard.deadline,
            new_deadline=new_deadline,
            reason=reason.strip(),
        )
        entry = record(
            hazard,
            actor=actor,
            action="extension_requested",
            note=reason.strip(),
            data={"new_deadline": new_deadline.isoformat()},
        )
        emit("hazard.extension_requested", hazard, actor=actor, entry=entry)
    return extension


def decide_extension(extension: DeadlineExtension, *, actor, approve: bool, note: str = "") -> DeadlineExtension:
    """The issuer (or the office) approves or refuses; the original deadline stays on record."""
    with transaction.atomic():
        extension = DeadlineExtension.objects.select_for_update().select_related("hazard").get(pk=extension.pk)
        hazard = Hazard.objects.select_for_update().get(pk=extension.hazard_id)
        if not (can_act_as_official(actor, hazard) or is_office(actor, hazard)):
            raise PermissionDenied(_("Only the issuing official or the command office decides on extensions."))
        if extension.status != ExtensionStatus.PENDING:
            raise WorkflowError(_("This request has already been decided."), code="decided")
        if not approve and not (note or "").strip():
            raise WorkflowError({"note": _("Say why the extension is refused.")}, code="required")
        extension.status = ExtensionStatus.APPROVED if approve else ExtensionStatus.REFUSED
        extension.decided_by, extension.decided_at, extension.decision_note = actor, timezone.now(), note or ""
        extension.save()
        if approve:
            hazard.original_deadline = hazard.original_deadline or hazard.deadline
            hazard.deadline = extension.new_deadline
            hazard.version += 1
            hazard._history_user = actor
            hazard.save(update_fields=["deadline", "original_deadline", "version", "updated_at"])
        entry = record(
            hazard,
            actor=actor,
            action="extension_approved" if approve else "extension_refused",
            note=note,
            data={"new_deadline": extension.new_deadline.isoformat()},
        )
        emit("hazard.extension_decided", hazard, actor=actor, entry=entry)
    return extension


def list_for_supervision(hazard: Hazard, *, actor, level: str, body: str, notice: str) -> Hazard:
    """Put a major hazard under listed supervision (挂牌督办)."""
    if not is_office(actor, hazard):
        raise PermissionDenied(_("Only the command office puts hazards under listed supervision."))
    errors = {}
    if not hazard.is_major:
        raise WorkflowError(_("Only major hazards are put under listed supervision."), code="not_major")
    for field, value in (("level", level), ("body", body), ("notice", notice)):
        if not (value or "").strip():
            errors[field] = _("This field is required.")
    if errors:
        raise WorkflowError(errors, code="required")
    with transaction.atomic():
        hazard = Hazard.objects.select_for_update().get(pk=hazard.pk)
        if hazard.status not in (HazardStatus.REPORTED, *RECTIFICATION_STATUSES, HazardStatus.AWAITING_ACCEPTANCE):
            raise WorkflowError(_("A closed hazard cannot be listed."), code="wrong_state")
        hazard.listing_level, hazard.listing_body, hazard.listing_notice = level, body.strip(), notice.strip()
        hazard.listed_at = timezone.now()
        hazard._history_user = actor
        hazard.save(update_fields=["listing_level", "listing_body", "listing_notice", "listed_at", "updated_at"])
        entry = record(hazard, actor=actor, action="listed", note=f"{body} {notice}")
        emit("hazard.listed", hazard, actor=actor, entry=entry)
    return hazard

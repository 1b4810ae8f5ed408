"""Every write to an inspection goes through here: pages, the API, the scheduler, the demo and
the tests call these functions. Each takes the acting user, checks the state under a row lock
and raises ``ValidationError`` (nothing written) or ``PermissionDenied``."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lianqi.accounts.choices import Role
from lianqi.checklists.evaluation import evaluate, normalise
from lianqi.core.scoping import can_change
from lianqi.core.uploads import clean_image

from .choices import DONE_STATUSES, OPEN_STATUSES, InspectionKind, InspectionStatus
from .models import Answer, Finding, Inspection, Photo, Requirement


# --- Who may do what -------------------------------------------------------------------------
def can_conduct(user, inspection: Inspection) -> bool:
    """Fill in the checklist: the people assigned to it (and its leaders); for a
    self-inspection, the enterprise's own users. Not the command office as such."""
    access = user.access
    if access.is_admin:
        return True
    if inspection.inspectors.filter(pk=user.pk).exists() or inspection.leaders.filter(pk=user.pk).exists():
        return True
    return inspection.kind == InspectionKind.SELF and inspection.enterprise_id in access.enterprise_ids()


def require_conduct(user, inspection: Inspection) -> None:
    if not can_conduct(user, inspection):
        raise PermissionDenied(_("Only the people assigned to this inspection fill it in."))


def can_plan(user, kind: str | None = None) -> bool:
    access = user.access
    if kind == InspectionKind.SELF:
        return access.has_role(Role.OFFICE, Role.ENTERPRISE)
    return access.has_role(Role.OFFICE, Role.LEADER)


def can_sign_off(user, inspection: Inspection) -> bool:
    access = user.access
    return inspection.status == InspectionStatus.SUBMITTED and access.is_official and can_change(user, inspection)


def _locked(inspection_id: int) -> Inspection:
    return Inspection.objects.select_for_update().get(pk=inspection_id)


def _require_open(inspection: Inspection) -> None:
    if inspection.status not in OPEN_STATUSES:
        raise ValidationError(
            _("This inspection is %(status)s; its answers can no longer change.")
            % {"status": inspection.get_status_display().lower()},
            code="not_open",
        )


def _start(inspection: Inspection) -> None:
    if inspection.status == InspectionStatus.PLANNED:
        inspection.status = InspectionStatus.IN_PROGRESS
        inspection.started_at = timezone.now()
        inspection.save(update_fields=["status", "started_at", "updated_at"])


# --- Planning --------------------------------------------------------------------------------
def plan_inspection(
    *,
    actor,
    kind,
    planned_date,
    due_date=None,
    enterprise=None,
    place="",
    jurisdiction=None,
    template_version=None,
    template=None,
    title="",
    leaders=(),
    inspectors=(),
    departments=(),
    leader_names="",
    team_names="",
    plan=None,
    period_start=None,
) -> Inspection:
    """Create a planned inspection. The checklist is the template's latest published version
    unless a version is given."""
    if actor is not None and not can_plan(actor, kind):
        raise PermissionDenied(_("You may not plan inspections of this kind."))
    enterprise_only = (
        kind == InspectionKind.SELF
        and actor is not None
        and not actor.access.is_admin
        and actor.access.has_role(Role.ENTERPRISE)
        and not actor.access.has_role(Role.OFFICE)
    )
    if enterprise_only and (enterprise is None or enterprise.pk not in actor.access.enterprise_ids()):
        raise PermissionDenied(_("An enterprise plans self-inspections of itself only."))
    if template_version is None and template is not None:
        template_version = template.latest_published()
        if template_version is None:
            raise ValidationError(_("“%(t)s” has no published version yet.") % {"t": template}, code="no_version")
    if enterprise is None and not place:
        raise ValidationError(_("Name the enterprise or the place inspected."), code="no_target")
    jurisdiction = jurisdiction or (enterprise.jurisdiction if enterprise else None)
    if jurisdiction is None:
        raise ValidationError(_("Say in which jurisdiction the place is."), code="no_jurisdiction")
    due_date = due_date or planned_date
    if due_date < planned_date:
        raise ValidationError({"due_date": _("The due date is before the planned date.")}, code="due_before_planned")
    with transaction.atomic():
        inspection = Inspection.objects.create(
            kind=kind,
            title=title,
            template_version=template_version,
            enterprise=enterprise,
            place=place,
            jurisdiction=jurisdiction,
            planned_date=planned_date,
            due_date=due_date,
            leader_names=leader_names,
            team_names=team_names,
            plan=plan,
            period_start=period_start,
            created_by=actor,
        )
        inspection.leaders.set(leaders)
        inspection.inspectors.set(inspectors)
        inspection.departments.set(departments)
    return inspection


def cancel(inspection_id: int, *, actor, reason: str) -> Inspection:
    with transaction.atomic():
        inspection = _locked(inspection_id)
        if not can_change(actor, inspection) or not actor.access.is_official:
            raise PermissionDenied(_("You may not cancel this inspection."))
        _require_open(inspection)
        if not reason.strip():
            raise ValidationError({"reason": _("Say why the inspection is cancelled.")}, code="required")
        inspection.status = InspectionStatus.CANCELLED
        inspection.cancel_reason = reason.strip()[:300]
        inspection.save(update_fields=["status", "cancel_reason", "updated_at"])
    return inspection


# --- Conducting ------------------------------------------------------------------------------
def save_answer(inspection_id: int, item_code: str, raw, *, actor, note: str | None = None) -> Answer:
    """Save one answer (the phone saves each as it is given). An invalid value raises
    ValidationError and nothing is written; the previous answer stays."""
    with transaction.atomic():
        inspection = _locked(inspection_id)
        require_conduct(actor, inspection)
        _require_open(inspection)
        if inspection.template_version_id is None:
            raise ValidationError(_("This inspection has no checklist."), code="no_checklist")
        item = inspection.template_version.items.filter(code=item_code).first()
        if item is None:
            raise ValidationError(
                _("Item %(code)s is not in this checklist.") % {"code": item_code}, code="unknown_item"
            )
        value = normalise(item, raw)
        answer, _created = Answer.objects.get_or_create(inspection=inspection, item_code=item_code)
        answer.value = value
        if note is not None:
            answer.note = note.strip()[:4000]
        answer.updated_by = actor
        answer.save()
        _start(inspection)
    return answer


def save_answers(inspection_id: int, answers: list[dict], *, actor) -> list[Answer]:
    """Several answers at once (the API): all are checked first; one bad value saves none."""
    errors, saved = {}, []
    with transaction.atomic():
        inspection = _locked(inspection_id)
        require_conduct(actor, inspection)
        _require_open(inspection)
        items = inspection.template_version.items_by_code() if inspection.template_version_id else {}
        cleaned = []
        for entry in answers:
            code = str(entry.get("item", ""))
            item = items.get(code)
            if item is None:
                errors[code or "item"] = [
                    ValidationError(_("Item %(code)s is not in this checklist.") % {"code": code}, code="unknown_item")
                ]
                continue
            try:
                cleaned.append((code, normalise(item, entry.get("value")), entry.get("note")))
            except ValidationError as error:
                errors[code] = error.error_list
        if errors:
            raise ValidationError(errors)
        for code, value, note in cleaned:
            answer, _created = Answer.objects.get_or_create(inspection=inspection, item_code=code)
            answer.value = value
            if note is not None:
                answer.note = str(note).strip()[:4000]
            answer.updated_by = actor
            answer.save()
            saved.append(answer)
        _start(inspection)
    return saved


def add_photo(inspection_id: int, item_code: str, upload, *, actor) -> Photo:
    """Attach a photo (checked by content with Pillow, size-limited, EXIF stripped)."""
    inspection = Inspection.objects.get(pk=inspection_id)
    require_conduct(actor, inspection)
    _require_open(inspection)
    if (
        item_code
        and inspection.template_version_id
        and not inspection.template_version.items.filter(code=item_code).exists()
    ):
        raise ValidationError(_("Item %(code)s is not in this checklist.") % {"code": item_code}, code="unknown_item")
    image = clean_image(upload)  # raises ValidationError before anything is written
    with transaction.atomic():
        inspection = _locked(inspection_id)
        _require_open(inspection)
        photo = Photo(inspection=inspection, item_code=item_code or "", uploaded_by=actor)
        photo.image.save(image.name, image, save=False)
        photo.save()
        _start(inspection)
    return photo


def delete_photo(photo_id: int, *, actor) -> None:
    with transaction.atomic():
        photo = Photo.objects.select_related("inspection").get(pk=photo_id)
        inspection = _locked(photo.inspection_id)
        require_conduct(actor, inspection)
        _require_open(inspection)
        photo.image.delete(save=False)
        photo.delete()


def save_record(
    inspection_id: int,
    *,
    actor,
    sites_inspected=None,
    summary=None,
    accompanied_by=None,
    requirements: list[str] | None = None,
) -> Inspection:
    """The visit record beside the checklist: sites inspected, summary, the enterprise's
    companions and the requirements issued (replaced as a list, in order)."""
    with transaction.atomic():
        inspection = _locked(inspection_id)
        require_conduct(actor, inspection)
        _require_open(inspection)
        fields = []
        for name, value in (
            ("sites_inspected", sites_inspected),
            ("summary", summary),
            ("accompanied_by", accompanied_by),
        ):
            if value is not None:
                setattr(inspection, name, value.strip())
                fields.append(name)
        if fields:
            inspection.save(update_fields=[*fields, "updated_at"])
        if requirements is not None:
            inspection.requirements.all().delete()
            Requirement.objects.bulk_create(
                Requirement(inspection=inspection, position=n, text=text.strip())
                for n, text in enumerate(requirements)
                if text.strip()
            )
        _start(inspection)
    return inspection


def add_finding(inspection_id: int, *, actor, description, category, grade, photos=()) -> Finding:
    """A finding not tied to a checklist item (something seen on the way)."""
    with transaction.atomic():
        inspection = _locked(inspection_id)
        require_conduct(actor, inspection)
        _require_open(inspection)
        finding = Finding.objects.create(
            inspection=inspection,
            description=description,
            proposed_category=category,
            proposed_grade=grade,
            created_by=actor,
        )
        finding.photos.set(photos)
    return finding


def current_state(inspection: Inspection):
    """Answers, notes, photos by item, and the evaluation of the inspection's checklist."""
    answers, notes = {}, {}
    for answer in inspection.answers.all():
        answers[answer.item_code] = answer.value
        notes[answer.item_code] = answer.note
    photos: dict[str, list] = {}
    for photo in inspection.photos.all():
        photos.setdefault(photo.item_code, []).append(photo)
    items = inspection.template_version.ordered_items() if inspection.template_version_id else []
    state = evaluate(items, answers, photo_codes=frozenset(c for c, p in photos.items() if p))
    return answers, notes, photos, state


def submit(inspection_id: int, *, actor) -> tuple[Inspection, bool]:
    """Submit the inspection: every required visible item answered, every needed photo there;
    failing items that propose a hazard become findings. Returns ``(inspection, submitted_now)``.

    Idempotent: the row is locked and the state checked, so a second submit (a double tap, a
    retry after a lost response) returns the inspection as it is and creates nothing."""
    with transaction.atomic():
        inspection = _locked(inspection_id)
        require_conduct(actor, inspection)
        if inspection.status in DONE_STATUSES:
            return inspection, False
        _require_open(inspection)
        answers, notes, photos, state = current_state(inspection)
        problems = []
        for item in state.missing:
            problems.append(_("%(code)s is not answered: %(text)s") % {"code": item.code, "text": item.text[:60]})
        for item in state.missing_photos:
            problems.append(_("%(code)s needs a photo: %(text)s") % {"code": item.code, "text": item.text[:60]})
        if problems:
            raise ValidationError(problems, code="incomplete")
        for item in state.failing:
            if not item.proposes_hazard:
                continue
            note = notes.get(item.code, "")
            finding, created = Finding.objects.get_or_create(
                inspection=inspection,
                item_code=item.code,
                defaults={
                    "item_text_zh": item.text_zh,
                    "item_text_en": item.text_en,
                    "clause": item.clause,
                    "description": note or item.text_zh,
                    "proposed_category": item.hazard_category,
                    "proposed_grade": item.hazard_grade,
                    "created_by": actor,
                },
            )
            if created and photos.get(item.code):
                finding.photos.set(photos[item.code])
        inspection.status = InspectionStatus.SUBMITTED
        inspection.submitted_at = timezone.now()
        inspection.submitted_by = actor
        inspection.score = state.score
        inspection.failed_count = len(state.failing)
        inspection.started_at = inspection.started_at or inspection.submitted_at
        inspection._history_user = actor
        inspection.save(
            update_fields=[
                "status",
                "submitted_at",
                "submitted_by",
                "score",
                "failed_count",
                "started_at",
                "updated_at",
            ]
        )
    return inspection, True


def sign_off(inspection_id: int, *, actor, representative: str = "") -> Inspection:
    with transaction.atomic():
        inspection = _locked(inspection_id)
        if inspection.status == InspectionStatus.SIGNED_OFF:
            return inspection
        if not can_sign_off(actor, inspection):
            if inspection.status != InspectionStatus.SUBMITTED:
                raise ValidationError(_("Only a submitted inspection can be signed off."), code="not_submitted")
            raise PermissionDenied(_("You may not sign off this inspection."))
        inspection.status = InspectionStatus.SIGNED_OFF
        inspection.signed_off_at = timezone.now()
        inspection.signed_off_by = actor
        inspection.enterprise_representative = representative.strip()[:100]
        inspection._history_user = actor
        inspection.save(
            update_fields=["status", "signed_off_at", "signed_off_by", "enterprise_representative", "updated_at"]
        )
    return inspection

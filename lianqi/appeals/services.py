"""Writes to appeals: intake, rating, extensions. Life-cycle steps run through
``APPEAL_WORKFLOW.perform`` (workflow.py)."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lianqi.core.uploads import clean_document
from lianqi.notifications.events import emit
from lianqi.workflows.engine import WorkflowError, record

from .choices import HANDLING_STATUSES, AppealStatus, Channel, Urgency
from .models import Appeal
from .routing import route_for
from .workflow import APPEAL_WORKFLOW, is_lead_department, is_office, route


def raise_appeal(
    *,
    actor,
    enterprise,
    appeal_type,
    title,
    description,
    urgency=Urgency.NORMAL,
    channel=None,
    inspection=None,
    attachments=(),
) -> Appeal:
    """Register a difficulty: by the enterprise (portal, daily report), by an official during a
    visit or inspection, or by the office from a hotline call. A matching routing rule assigns
    it at once; otherwise it waits in the command office's queue."""
    from lianqi.enterprises.models import Enterprise

    access = actor.access
    own = enterprise.pk in access.enterprise_ids()
    if not own and not (access.is_official and Enterprise.objects.visible_to(actor).filter(pk=enterprise.pk).exists()):
        raise PermissionDenied(_("You may not register difficulties for this enterprise."))
    errors = {}
    if not (title or "").strip():
        errors["title"] = _("Give the difficulty a short title.")
    if not (description or "").strip():
        errors["description"] = _("Describe the difficulty.")
    if errors:
        raise WorkflowError(errors, code="required")
    try:
        files = [clean_document(f) for f in attachments or []]
    except ValidationError as error:
        raise WorkflowError({"attachments": error.messages}, code="attachments") from None
    if channel is None:
        channel = Channel.PORTAL if own else (Channel.VISIT if inspection else Channel.HOTLINE)
    with transaction.atomic():
        appeal = Appeal(
            enterprise=enterprise,
            jurisdiction=enterprise.jurisdiction,
            channel=channel,
            appeal_type=appeal_type,
            urgency=urgency,
            title=title.strip(),
            description=description.strip(),
            inspection=inspection,
            raised_by=actor,
            first_receiver=None if own else actor,
        )
        appeal._history_user = actor
        appeal.full_clean(exclude=["number"])
        appeal.save()
        entry = record(
            appeal, actor=actor, action="submitted", to_state=appeal.status, note=appeal.description, files=files
        )
        rule = route_for(appeal_type, enterprise)
        if rule is None:
            emit("appeal.submitted", appeal, actor=actor, entry=entry)
            return appeal
        appeal.lead_department = rule.lead_department
        route(appeal, supporting=list(rule.supporting_departments.all()))
        appeal.status = AppealStatus.ASSIGNED
        appeal.save()
        entry = record(
            appeal,
            actor=None,
            action="routed_automatically",
            from_state=AppealStatus.SUBMITTED,
            to_state=appeal.status,
            note=str(rule),
        )
        emit("appeal.route", appeal, entry=entry)
    return appeal


def rate(appeal: Appeal, *, actor, rating, solved: bool = True, comment: str = "", expected_version=None) -> Appeal:
    """The enterprise rates the reply: 1–2 or 'not solved' reopens it to the office; 3–5 closes it."""
    try:
        value = int(rating)
    except (TypeError, ValueError):
        raise WorkflowError({"rating": _("Rate from 1 to 5.")}, code="invalid_rating") from None
    name = "rate_satisfied" if value >= 3 and solved else "rate_unsatisfied"
    return APPEAL_WORKFLOW.perform(
        appeal, name, actor=actor, expected_version=expected_version, rating=value, solved=solved, note=comment
    )


def request_extension(appeal: Appeal, *, actor, until: datetime.date, reason: str, today=None) -> Appeal:
    """The lead department asks for more time, before the due date."""
    today = today or timezone.localdate()
    if not is_lead_department(actor, appeal):
        raise PermissionDenied(_("Only the lead department asks for more time."))
    if appeal.status not in HANDLING_STATUSES or appeal.due_date is None:
        raise WorkflowError(
            _("More time can only be asked for while the difficulty is being handled."), code="wrong_state"
        )
    if today > appeal.due_date:
        raise WorkflowError(
            _("The due date (%(due)s) has passed; more time must be asked for before it.") % {"due": appeal.due_date},
            code="too_late",
        )
    errors = {}
    if until <= appeal.due_date:
        errors["until"] = _("The new date must be later than the due date (%(due)s).") % {"due": appeal.due_date}
    if not (reason or "").strip():
        errors["reason"] = _("Give a reason.")
    if errors:
        raise WorkflowError(errors, code="invalid")
    with transaction.atomic():
        appeal = Appeal.objects.select_for_update().get(pk=appeal.pk)
        if appeal.extension_until:
            raise WorkflowError(_("A request for more time is already waiting for a decision."), code="pending")
        appeal.extension_until, appeal.extension_reason = until, reason.strip()
        appeal.version += 1
        appeal.save(update_fields=["extension_until", "extension_reason", "version", "updated_at"])
        entry = record(
            appeal,
            actor=actor,
            action="extension_requested",
            note=reason.strip(),
            data={"new_deadline": until.isoformat()},
        )
        emit("appeal.extension_requested", appeal, actor=actor, entry=entry)
    return appeal


def decide_extension(appeal: Appeal, *, actor, approve: bool, note: str = "") -> Appeal:
    """The command office approves (the due date moves) or refuses (with a reason)."""
    if not is_office(actor, appeal):
        raise PermissionDenied(_("Only the command office decides on more time."))
    with transaction.atomic():
        appeal = Appeal.objects.select_for_update().get(pk=appeal.pk)
        if not appeal.extension_until:
            raise WorkflowError(_("There is no request for more time."), code="no_request")
        if not approve and not (note or "").strip():
            raise WorkflowError({"note": _("Say why more time is refused.")}, code="required")
        until = appeal.extension_until
        if approve:
            appeal.due_date = until
        appeal.extension_until, appeal.extension_reason = None, ""
        appeal.version += 1
        appeal.save(update_fields=["due_date", "extension_until", "extension_reason", "version", "updated_at"])
        entry = record(
            appeal,
            actor=actor,
            action="extension_approved" if approve else "extension_refused",
            note=note,
            data={"new_deadline": until.isoformat()},
        )
        emit("appeal.extension_decided", appeal, actor=actor, entry=entry)
    return appeal

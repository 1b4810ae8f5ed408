"""One workflow mechanism for hazards, appeals and tasks.

A workflow declares its transitions: from which states, to which state, who may take them, what
must be supplied, and what else they change. ``Workflow.perform`` is the only way a transition
happens: it locks the row, checks the state and the actor, applies the change, writes the
timeline entry (with attachments) and queues the notification on commit — all or nothing.

    hazard = HAZARD_WORKFLOW.perform(hazard.pk, "accept", actor=user, note="…", photos=[…])
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from .models import Attachment, TimelineEntry


class WorkflowError(ValidationError):
    """A transition refused for a reason the user can act on (state, missing input, rule).
    ``code`` is kept even when the message is a dict of field errors."""

    def __init__(self, message, code=None, params=None):
        super().__init__(message, code, params)
        self.code = code


class StaleObject(WorkflowError):
    """Somebody else changed the item since the user loaded it."""


@dataclass(frozen=True)
class Transition:
    name: str
    label: object
    source: tuple[str, ...]
    target: str | None  # None: an action that records without changing the state
    allowed: Callable  # (user, obj) -> bool
    requires: tuple[str, ...] = ()  # "note", "photos", "attachments" or a data key
    check: Callable | None = None  # (obj, actor, data) -> None, raises WorkflowError
    apply: Callable | None = None  # (obj, actor, data) -> iterable of changed field names
    style: str = "primary"  # button colour on pages
    notify: bool = True


@dataclass
class Workflow:
    model: type[models.Model]
    transitions: list[Transition]
    state_field: str = "status"
    event_prefix: str = ""
    _by_name: dict = field(init=False, repr=False)

    def __post_init__(self):
        self._by_name = {t.name: t for t in self.transitions}
        if not self.event_prefix:
            self.event_prefix = self.model._meta.model_name

    def __getitem__(self, name: str) -> Transition:
        try:
            return self._by_name[name]
        except KeyError:
            raise WorkflowError(_("Unknown action “%(name)s”.") % {"name": name}, code="unknown_action") from None

    def names(self) -> list[str]:
        return list(self._by_name)

    def state_of(self, obj) -> str:
        return getattr(obj, self.state_field)

    def available(self, obj, user) -> list[Transition]:
        """The actions ``user`` may take on ``obj`` now (for buttons and the API)."""
        state = self.state_of(obj)
        return [t for t in self.transitions if state in t.source and t.allowed(user, obj)]

    def perform(self, obj_or_pk, name: str, *, actor, expected_version: int | None = None, **data):
        from lianqi.core.uploads import clean_document

        transition = self[name]
        pk = obj_or_pk.pk if isinstance(obj_or_pk, models.Model) else obj_or_pk
        uploads: Iterable = list(data.pop("photos", None) or []) + list(data.pop("attachments", None) or [])
        # Files are checked before anything is written: a bad file leaves no trace.
        try:
            files = [clean_document(upload) for upload in uploads]
        except ValidationError as error:
            raise WorkflowError({"attachments": error.messages}, code="attachments") from None
        with transaction.atomic():
            obj = self.model._default_manager.select_for_update().get(pk=pk)
            if expected_version is not None and getattr(obj, "version", None) != expected_version:
                raise StaleObject(
                    _("This item was changed by someone else while you were looking at it. Reload it and try again."),
                    code="stale",
                )
            state = self.state_of(obj)
            if state not in transition.source:
                raise WorkflowError(
                    _("“%(action)s” is not possible while the item is “%(state)s”.")
                    % {"action": transition.label, "state": self.state_label(obj)},
                    code="wrong_state",
                )
            if not transition.allowed(actor, obj):
                raise PermissionDenied(_("Your role does not allow “%(action)s” here.") % {"action": transition.label})
            photos = [f for f in files if (getattr(f, "content_type", "") or "").startswith("image/")]
            supplied = {**data, "photos": photos, "attachments": files}
            missing = {
                key: _("This is required for “%(action)s”.") % {"action": transition.label}
                for key in transition.requires
                if not supplied.get(key)
            }
            if missing:
                raise WorkflowError(missing, code="required")
            if transition.check:
                transition.check(obj, actor, data)
            changed = set(transition.apply(obj, actor, data) or ()) if transition.apply else set()
            if transition.target is not None:
                setattr(obj, self.state_field, transition.target)
                changed.add(self.state_field)
            if hasattr(obj, "version"):
                obj.version = (obj.version or 0) + 1
                changed.add("version")
            if hasattr(obj, "updated_at"):
                changed.add("updated_at")
            obj._history_user = actor
            obj.save(update_fields=sorted(changed))
            entry = record(
                obj,
                actor=actor,
                action=transition.name,
                from_state=state,
                to_state=self.state_of(obj),
                note=data.get("note", ""),
                data={k: _jsonable(v) for k, v in data.items() if k != "note"},
                files=files,
            )
            if transition.notify:
                from lianqi.notifications.events import emit_on_commit

                emit_on_commit(f"{self.event_prefix}.{transition.name}", obj, actor=actor, entry=entry)
        return obj

    def timeline(self, obj, extra_labels: dict | None = None):
        """The object's timeline with readable labels for actions and states."""
        field = self.model._meta.get_field(self.state_field)
        states = dict(field.flatchoices)
        labels = {t.name: t.label for t in self.transitions} | (extra_labels or {})
        entries = list(timeline(obj))
        for entry in entries:
            entry.action_label = labels.get(entry.action, entry.action)
            entry.from_label = states.get(entry.from_state, entry.from_state)
            entry.to_label = states.get(entry.to_state, entry.to_state)
        return entries

    def state_label(self, obj) -> str:
        getter = getattr(obj, f"get_{self.state_field}_display", None)
        return str(getter()) if getter else self.state_of(obj)


def _jsonable(value):
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    return str(value)


def record(obj, *, actor, action, from_state="", to_state="", note="", data=None, files=()) -> TimelineEntry:
    """Write one timeline entry (and its attachments, already checked by ``clean_document``)."""
    entry = TimelineEntry.objects.create(
        content_type=ContentType.objects.get_for_model(obj),
        object_id=obj.pk,
        actor=actor,
        action=action,
        from_state=from_state,
        to_state=to_state,
        note=note or "",
        data=data or {},
    )
    for upload in files:
        is_image = (getattr(upload, "content_type", "") or "").startswith("image/")
        Attachment.objects.create(entry=entry, file=upload, name=upload.name[:200], is_image=is_image)
    return entry


def timeline(obj):
    return (
        TimelineEntry.objects.filter(content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk)
        .select_related("actor")
        .prefetch_related("attachments")
        .order_by("at", "pk")
    )

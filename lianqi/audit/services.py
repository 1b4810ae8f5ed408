"""Read the audit trail kept by django-simple-history: per object, and across all models."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from heapq import merge

from django.apps import apps
from django.db.models import Model
from django.utils.translation import gettext_lazy as _

HISTORY_TYPES = {"+": _("Created"), "~": _("Changed"), "-": _("Deleted")}
HIDDEN_FIELDS = {"password", "last_login", "path", "updated_at", "created_at"}


@dataclass
class Change:
    field: str
    label: str
    before: object
    after: object


@dataclass
class AuditEntry:
    date: datetime
    user: object
    kind: str
    kind_label: str
    model_label: str
    object_repr: str
    object_id: object
    app_label: str
    model_name: str
    changes: list[Change]
    reason: str = ""


def history_models() -> list[type[Model]]:
    """Every tracked domain model (one with a ``history`` manager), in a stable order."""
    models = [m for m in apps.get_models() if hasattr(m, "history") and hasattr(m.history, "model")]
    return sorted(models, key=lambda m: m._meta.label)


def _display(record, field):
    value = getattr(record, field.attname, None)
    if field.choices and value is not None:
        return dict(field.flatchoices).get(value, value)
    if field.is_relation and value is not None:
        try:
            return str(getattr(record, field.name))
        except Exception:  # noqa: BLE001 - the related row may have been deleted since
            return f"#{value}"
    return value


def _changes(record, previous) -> list[Change]:
    model = record.instance_type
    fields = [f for f in model._meta.concrete_fields if f.name not in HIDDEN_FIELDS and not f.primary_key]
    changes = []
    for field in fields:
        after = _display(record, field)
        before = _display(previous, field) if previous is not None else None
        if previous is None and after in (None, ""):
            continue
        if previous is None or before != after:
            changes.append(Change(field.name, str(field.verbose_name), before, after))
    return changes


def _entry(record, previous) -> AuditEntry:
    model = record.instance_type
    return AuditEntry(
        date=record.history_date,
        user=record.history_user,
        kind=record.history_type,
        kind_label=str(HISTORY_TYPES.get(record.history_type, record.history_type)),
        model_label=str(model._meta.verbose_name),
        object_repr=str(record.instance) if record.history_type != "-" else f"#{record.pk}",
        object_id=getattr(record, model._meta.pk.attname),
        app_label=model._meta.app_label,
        model_name=model._meta.model_name,
        changes=[] if record.history_type == "-" else _changes(record, previous),
        reason=record.history_change_reason or "",
    )


def object_timeline(obj) -> list[AuditEntry]:
    """Every recorded version of ``obj``, newest first, each with its before/after changes."""
    records = list(obj.history.select_related("history_user").order_by("history_date", "history_id"))
    entries = []
    previous = None
    for record in records:
        entries.append(_entry(record, previous))
        previous = record
    entries.reverse()
    return entries


def search(
    *, user=None, model: type[Model] | None = None, since=None, until=None, limit: int = 200
) -> list[AuditEntry]:
    """The latest ``limit`` changes across all tracked models, filtered by who and when."""
    streams = []
    for tracked in [model] if model else history_models():
        queryset = tracked.history.select_related("history_user").order_by("-history_date")
        if user is not None:
            queryset = queryset.filter(history_user=user)
        if since is not None:
            queryset = queryset.filter(history_date__gte=since)
        if until is not None:
            queryset = queryset.filter(history_date__lt=until)
        streams.append(list(queryset[:limit]))
    newest = list(merge(*streams, key=lambda r: r.history_date, reverse=True))[:limit]
    return [_entry(record, record.prev_record) for record in newest]

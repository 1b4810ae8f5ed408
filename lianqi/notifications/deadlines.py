"""Reminders and escalation before and after deadlines, for every workflow that registers.

    register("hazard", open_items=lambda: Hazard.objects.open())

The model's ``notification_recipients(kind)`` decides who hears of ``hazard.reminder``,
``hazard.overdue``, ``hazard.escalation1`` (the supervising department) and
``hazard.escalation2`` (the command office). Each stage is an event keyed by item, stage and
deadline, so a job that runs twice sends nothing twice, a job that runs late sends what is due
then (never a "due soon" reminder for something already overdue), and an extended deadline
starts the sequence again.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.utils import timezone

from .choices import DeadlineStage
from .events import emit
from .models import DeadlinePolicy


@dataclass(frozen=True)
class DeadlineKind:
    kind: str
    open_items: Callable
    deadline_field: str = "deadline"


_registry: dict[str, DeadlineKind] = {}


def register(kind: str, open_items: Callable, deadline_field: str = "deadline") -> None:
    _registry[kind] = DeadlineKind(kind, open_items, deadline_field)


def registered() -> list[str]:
    return sorted(_registry)


def stages_due(deadline: datetime.date, today: datetime.date, policy: DeadlinePolicy) -> list[str]:
    if today > deadline:
        late = (today - deadline).days
        stages = [DeadlineStage.OVERDUE]
        if late >= policy.first_escalation_days:
            stages.append(DeadlineStage.ESCALATION_1)
        if late >= policy.second_escalation_days:
            stages.append(DeadlineStage.ESCALATION_2)
        return [str(s) for s in stages]
    if (deadline - today).days <= policy.remind_days_before:
        return [str(DeadlineStage.REMINDER)]
    return []


def check_deadlines(today: datetime.date | None = None) -> int:
    """Emit every reminder/overdue/escalation event that is due; returns how many were new."""
    today = today or timezone.localdate()
    emitted = 0
    for kind, spec in sorted(_registry.items()):
        policy, _ = DeadlinePolicy.objects.get_or_create(kind=kind)
        horizon = today + datetime.timedelta(days=policy.remind_days_before)
        items = spec.open_items().filter(**{f"{spec.deadline_field}__lte": horizon})
        for obj in items.iterator(chunk_size=500):
            deadline = getattr(obj, spec.deadline_field)
            for stage in stages_due(deadline, today, policy):
                event = emit(
                    f"{kind}.{stage}",
                    obj,
                    key=f"{kind}.{stage}:{obj.pk}:{deadline.isoformat()}",
                    payload={"deadline": deadline.isoformat(), "stage": stage},
                )
                emitted += event is not None
    return emitted

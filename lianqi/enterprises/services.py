"""Writes to enterprises and assignments. Pages, the API, imports and the demo all call these, so
each change lands in the audit trail with the person who made it."""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from lianqi.accounts.choices import OFFICIAL_ROLES, Role
from lianqi.accounts.models import User
from lianqi.jurisdictions.models import Jurisdiction

from .models import Assignment, Enterprise


def editable_jurisdictions(user):
    """Nodes where ``user`` may register enterprises: below the nodes where they run the command office."""
    access = user.access
    nodes = Jurisdiction.objects.all()
    if access.is_admin:
        return nodes
    paths = access.jurisdiction_paths(roles=[Role.OFFICE])
    if not paths:
        return nodes.none()
    condition = Q()
    for path in paths:
        condition |= Q(path__startswith=path)
    return nodes.filter(condition)


def assignable_officials(user):
    """Officials ``user`` may assign: visible to them and holding a current official role."""
    return (
        User.objects.visible_to(user)
        .filter(is_active=True, memberships__role__in=OFFICIAL_ROLES - {Role.ADMIN})
        .filter(
            Q(memberships__valid_until__isnull=True) | Q(memberships__valid_until__gte=timezone.localdate()),
        )
        .distinct()
        .order_by("display_name", "username")
    )


def save_enterprise(enterprise: Enterprise, *, actor) -> Enterprise:
    """Save a validated enterprise (from the form or the API) on behalf of ``actor``; an empty
    sector authority defaults from the industry (三管三必须)."""
    with transaction.atomic():
        if enterprise.sector_department_id is None:
            enterprise.sector_department = enterprise.default_sector_department()
        enterprise._history_user = actor
        enterprise.save()
    return enterprise


def assign(*, enterprise, official, role, start=None, end=None, note="", actor) -> Assignment:
    assignment = Assignment(enterprise=enterprise, official=official, role=role, start=start, end=end, note=note)
    assignment.full_clean()
    with transaction.atomic():
        assignment._history_user = actor
        assignment.save()
    return assignment


def end_assignment(assignment: Assignment, *, actor, on: datetime.date | None = None) -> Assignment:
    """Close an assignment's period (the record stays, so "who was responsible when" is kept)."""
    on = on or timezone.localdate()
    with transaction.atomic():
        assignment = Assignment.objects.select_for_update().get(pk=assignment.pk)
        if assignment.end is not None and assignment.end <= on:
            return assignment
        if assignment.start and assignment.start > on:
            on = assignment.start
        assignment.end = on
        assignment._history_user = actor
        assignment.save(update_fields=["end", "updated_at"])
    return assignment


# --- Bulk assignment ------------------------------------------------------------------------


@dataclass
class BulkAssignResult:
    created: list[Assignment] = field(default_factory=list)
    already_assigned: int = 0
    left_unassigned: list[Enterprise] = field(default_factory=list)

    @property
    def per_official(self) -> Counter:
        return Counter(a.official_id for a in self.created)


def bulk_assign(
    *,
    enterprises,
    officials,
    role: str,
    actor,
    start: datetime.date | None = None,
    per_official: int | None = None,
) -> BulkAssignResult:
    """Give each enterprise that has no current official in ``role`` one official, spreading the work.

    The rule: enterprises are taken in a stable order (jurisdiction, then name); each goes to the
    official who currently holds the fewest enterprises in that role (ties: the order ``officials``
    were given), so officials who already carry enterprises get fewer new ones — a balanced
    round-robin. ``per_official`` caps each official's total in the role; enterprises that do not
    fit are returned in ``left_unassigned``. Enterprises the actor may not change are refused, as
    are people who are not officials. Everything is written in one transaction, with history.
    """
    officials = list(dict.fromkeys(officials))
    if not officials:
        raise ValidationError({"officials": _("Choose at least one official.")})
    if per_official is not None and per_official < 1:
        raise ValidationError({"per_official": _("The number per official must be at least 1.")})
    eligible = set(assignable_officials(actor).filter(pk__in=[o.pk for o in officials]).values_list("pk", flat=True))
    refused = [o for o in officials if o.pk not in eligible]
    if refused:
        raise ValidationError(
            {"officials": _("Not an official you may assign: %(names)s.") % {"names": ", ".join(map(str, refused))}}
        )

    ids = list(enterprises.values_list("pk", flat=True))
    editable = set(Enterprise.objects.editable_by(actor).filter(pk__in=ids).values_list("pk", flat=True))
    if len(editable) != len(set(ids)):
        raise ValidationError(
            _("Some of these enterprises are outside the jurisdictions where you may assign officials.")
        )

    result = BulkAssignResult()
    with transaction.atomic():
        # Lock the enterprises so two offices assigning at once do not both pick the same one.
        targets = list(
            Enterprise.objects.select_for_update()
            .filter(pk__in=ids)
            .select_related("jurisdiction")
            .order_by("jurisdiction__path", "name", "pk")
        )
        current = Assignment.objects.current().filter(role=role)
        taken = set(current.filter(enterprise__in=ids).values_list("enterprise_id", flat=True))
        load = dict(current.filter(official__in=officials).values_list("official").annotate(n=Count("pk")).order_by())
        counts = {o.pk: load.get(o.pk, 0) for o in officials}
        order = {o.pk: i for i, o in enumerate(officials)}
        by_pk = {o.pk: o for o in officials}
        new = []
        for enterprise in targets:
            if enterprise.pk in taken:
                result.already_assigned += 1
                continue
            candidates = [pk for pk in counts if per_official is None or counts[pk] < per_official]
            if not candidates:
                result.left_unassigned.append(enterprise)
                continue
            chosen = min(candidates, key=lambda pk: (counts[pk], order[pk]))
            counts[chosen] += 1
            new.append(Assignment(enterprise=enterprise, official=by_pk[chosen], role=role, start=start))
        result.created = bulk_create_with_history(
            new, Assignment, batch_size=500, default_user=actor, default_change_reason="bulk assignment"
        )
    return result

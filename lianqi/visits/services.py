"""Writes of the visits app: saving a reviewed draft as a leader visit, turning a requirement
into a deployed task, and the office's coverage rules. Each takes the acting user."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from lianqi.accounts.choices import Role
from lianqi.inspections.choices import InspectionKind, InspectionStatus
from lianqi.inspections.models import Inspection, Requirement

from .models import CoverageRule, VisitOrganisation, VisitReport

IMPORT_ROLES = (Role.OFFICE, Role.LEADER)


def import_paths(user) -> list[str]:
    return user.access.jurisdiction_paths(roles=IMPORT_ROLES)


def can_import(user) -> bool:
    access = user.access
    return access.is_admin or access.has_role(*IMPORT_ROLES)


def can_record_in(user, jurisdiction) -> bool:
    return user.access.is_admin or any(jurisdiction.path.startswith(p) for p in import_paths(user))


@dataclass
class LeaderInput:
    name: str
    title: str = ""
    user: object = None


@dataclass
class OrganisationInput:
    name: str
    enterprise: object = None
    score: float | None = None


@dataclass
class VisitInput:
    """A reviewed visit, whoever reviewed it (the page's form or the API's serializer)."""

    title: str
    date: datetime.date
    jurisdiction: object
    leaders: list[LeaderInput]
    departments: list = field(default_factory=list)
    accompanying: list[str] = field(default_factory=list)
    organisations: list[OrganisationInput] = field(default_factory=list)
    places: list[str] = field(default_factory=list)
    topics: list[str] = field(default_factory=list)
    requirements: list[str] = field(default_factory=list)
    difficulties: list[str] = field(default_factory=list)
    source_name: str = ""
    source_text: str = ""
    language: str = ""
    date_as_written: str = ""
    extracted: dict = field(default_factory=dict)


def _clean_lines(items) -> list[str]:
    return [str(i).strip() for i in items or [] if str(i).strip()]


def save_visit(*, actor, data: VisitInput) -> Inspection:
    """Store a reviewed visit: an inspection of kind “leader visit”, already done, with its
    requirements, organisations and report. All or nothing."""
    if not can_import(actor):
        raise PermissionDenied(gettext("Only leaders and command offices record leaders' visits."))
    if data.jurisdiction is None or not can_record_in(actor, data.jurisdiction):
        raise PermissionDenied(gettext("You may record visits only in your own jurisdiction."))
    errors = {}
    leaders = [leader for leader in data.leaders if (leader.name or "").strip() or leader.user is not None]
    if not leaders:
        errors["leaders"] = gettext("Name at least one leader.")
    if data.date is None:
        errors["date"] = gettext("Give the date of the visit.")
    elif data.date > timezone.localdate() + datetime.timedelta(days=1):
        errors["date"] = gettext("A visit report cannot be dated in the future.")
    organisations = [o for o in data.organisations if (o.name or "").strip() or o.enterprise is not None]
    places = _clean_lines(data.places)
    if not organisations and not places and not (data.title or "").strip():
        errors["organisations"] = gettext("Name an organisation or a place visited.")
    if errors:
        raise ValidationError(errors)

    first_enterprise = next((o.enterprise for o in organisations if o.enterprise is not None), None)
    place = ""
    if first_enterprise is None:
        place = (organisations[0].name if organisations else places[0] if places else data.title).strip()[:200]
    unmatched_leaders = [
        f"{leader.name.strip()} ({leader.title.strip()})" if leader.title.strip() else leader.name.strip()
        for leader in leaders
        if leader.user is None
    ]
    now = timezone.now()
    with transaction.atomic():
        inspection = Inspection.objects.create(
            kind=InspectionKind.LEADER_VISIT,
            status=InspectionStatus.SUBMITTED,
            title=(data.title or "").strip()[:200],
            enterprise=first_enterprise,
            place=place,
            jurisdiction=data.jurisdiction,
            planned_date=data.date,
            due_date=data.date,
            started_at=now,
            submitted_at=now,
            submitted_by=actor,
            leader_names="; ".join(unmatched_leaders)[:300],
            team_names=", ".join(_clean_lines(data.accompanying))[:300],
            sites_inspected="\n".join(places),
            created_by=actor,
        )
        inspection.leaders.set([leader.user for leader in leaders if leader.user is not None])
        inspection.departments.set(data.departments)
        Requirement.objects.bulk_create(
            Requirement(inspection=inspection, position=i, text=text)
            for i, text in enumerate(_clean_lines(data.requirements))
        )
        VisitOrganisation.objects.bulk_create(
            VisitOrganisation(
                inspection=inspection,
                position=i,
                name=(o.name or str(o.enterprise)).strip()[:200],
                enterprise=o.enterprise,
                match_score=o.score,
            )
            for i, o in enumerate(organisations)
        )
        VisitReport.objects.create(
            inspection=inspection,
            source_name=data.source_name[:200],
            source_text=data.source_text,
            language=data.language[:5],
            date_as_written=(data.date_as_written or "")[:100],
            topics=list(data.topics),
            places=places,
            accompanying=_clean_lines(data.accompanying),
            difficulties="\n".join(_clean_lines(data.difficulties)),
            extracted=data.extracted,
            imported_by=actor,
        )
    return inspection


def default_task_deadline(today=None) -> datetime.date:
    return (today or timezone.localdate()) + datetime.timedelta(days=getattr(settings, "VISIT_TASK_DAYS", 30))


def requirement_to_task(requirement_id: int, *, actor, deadline=None, departments=None):
    """Deploy the task that carries a visit's requirement out (once: a second call returns the
    task already deployed). It goes to the departments that accompanied the visit, or — when
    none did — to the visit's jurisdiction."""
    from lianqi.tasks.choices import TaskSource
    from lianqi.tasks.services import deploy_task

    with transaction.atomic():
        requirement = (
            Requirement.objects.select_for_update(of=("self",))
            .select_related("inspection__jurisdiction")
            .get(pk=requirement_id)
        )
        if requirement.task_id:
            return requirement.task, False
        visit = requirement.inspection
        if departments is None:
            departments = list(visit.departments.filter(is_active=True))
        title = requirement.text if len(requirement.text) <= 200 else requirement.text[:199] + "…"
        note = " · ".join(filter(None, [visit.title, f"{visit.planned_date:%Y-%m-%d}"]))
        task = deploy_task(
            actor=actor,
            title=title,
            description=requirement.text,
            deadline=deadline or default_task_deadline(),
            jurisdiction=visit.jurisdiction,
            departments=departments,
            jurisdictions=[] if departments else [visit.jurisdiction],
            source=TaskSource.VISIT,
            source_note=note[:300],
        )
        requirement.task = task
        requirement.save(update_fields=["task"])
    return task, True


def save_coverage_rule(*, actor, rule: CoverageRule | None = None, **values) -> CoverageRule:
    jurisdiction = values.get("jurisdiction") or (rule.jurisdiction if rule else None)
    offices = actor.access.jurisdiction_paths(roles=[Role.OFFICE])
    allowed = actor.access.is_admin or (jurisdiction and any(jurisdiction.path.startswith(p) for p in offices))
    if not allowed or (rule is not None and not CoverageRule.objects.editable_by(actor).filter(pk=rule.pk).exists()):
        raise PermissionDenied(gettext("Only the command office sets the coverage rules of its jurisdiction."))
    rule = rule or CoverageRule(created_by=actor)
    for name, value in values.items():
        setattr(rule, name, value)
    rule.full_clean()
    rule.save()
    return rule


def difficulty_to_appeal(inspection_id: int, index: int, *, actor):
    """Raise the visit's ``index``-th difficulty as an appeal of the visited enterprise (channel
    “visit”, linked to the visit), once. Needs the appeals app; returns (appeal, created)."""
    from lianqi.appeals.choices import AppealType, Channel
    from lianqi.appeals.models import Appeal
    from lianqi.appeals.services import raise_appeal

    with transaction.atomic():
        visit = Inspection.objects.select_for_update(of=("self",)).select_related("enterprise").get(pk=inspection_id)
        difficulties = visit.visit_report.difficulties_list()
        if not 0 <= index < len(difficulties):
            raise ValidationError(gettext("There is no such difficulty."), code="not_found")
        text = difficulties[index]
        existing = Appeal.objects.filter(inspection=visit, description=text).first()
        if existing is not None:
            return existing, False
        if visit.enterprise is None:
            raise ValidationError(
                gettext("Match a visited organisation to the registry first: an appeal belongs to an enterprise."),
                code="no_enterprise",
            )
        appeal = raise_appeal(
            actor=actor,
            enterprise=visit.enterprise,
            appeal_type=AppealType.OTHER,
            title=text if len(text) <= 200 else text[:199] + "…",
            description=text,
            channel=Channel.VISIT,
            inspection=visit,
        )
    return appeal, True

"""Spot-check plans: candidates, the draw, results and their publication."""

from __future__ import annotations

import secrets

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lianqi.accounts.choices import Role
from lianqi.core.scoping import can_change
from lianqi.enterprises.models import Enterprise
from lianqi.inspections.choices import InspectionKind
from lianqi.inspections.services import plan_inspection
from lianqi.jurisdictions.models import Jurisdiction

from . import draw as algorithm
from .choices import PlanMode, PlanStatus
from .models import Conflict, Draw, InspectorProfile, SpotCheckPlan, SpotCheckTarget


def _require_office(actor, plan: SpotCheckPlan | None = None) -> None:
    if not actor.access.has_role(Role.OFFICE) or (plan is not None and not can_change(actor, plan)):
        raise PermissionDenied(_("Only the command office of the plan's jurisdiction runs spot checks."))


def candidates(plan: SpotCheckPlan):
    """The target library for the plan: operating enterprises of its jurisdiction, filtered by
    the criteria when the plan is directed."""
    enterprises = Enterprise.objects.active().filter(jurisdiction__path__startswith=plan.jurisdiction.path)
    if plan.mode == PlanMode.DIRECTED:
        if plan.industry_prefix:
            enterprises = enterprises.filter(industry__code__startswith=plan.industry_prefix)
        if plan.key_only:
            enterprises = enterprises.filter(is_key=True)
        if plan.hazardous_chemicals_only:
            enterprises = enterprises.filter(hazardous_chemicals=True)
        if plan.risk_tiers:
            enterprises = enterprises.filter(risk_tier__in=plan.risk_tiers)
    return enterprises.order_by("pk")


def inspector_pool(plan: SpotCheckPlan):
    """``(eligible, excluded)``: eligible inspector profiles (ascending id) and the others with
    the reason each is left out."""
    profiles = InspectorProfile.objects.filter(department__jurisdiction__path__startswith=plan.jurisdiction.path)
    if plan.department_id:
        profiles = profiles.filter(department=plan.department)
    item_ids = set(plan.items.values_list("pk", flat=True))
    eligible, excluded = [], []
    for profile in profiles.select_related("user").prefetch_related("items").order_by("pk"):
        scope = {item.pk for item in profile.items.all()}
        if not profile.is_active or not profile.user.is_active:
            excluded.append((profile, "inactive"))
        elif profile.certificate_expiry < plan.period_end:
            excluded.append((profile, "certificate_expires"))
        elif scope and not item_ids <= scope:
            excluded.append((profile, "out_of_scope"))
        else:
            eligible.append(profile)
    return eligible, excluded


def stratum_of(enterprise: Enterprise, plan: SpotCheckPlan) -> str:
    """The jurisdiction one level below the plan's that contains the enterprise (its code)."""
    parts = [p for p in enterprise.jurisdiction.path.split("/") if p]
    depth = len([p for p in plan.jurisdiction.path.split("/") if p])
    return parts[depth] if len(parts) > depth else parts[-1]


def build_inputs(plan: SpotCheckPlan, seed: str) -> tuple[algorithm.DrawInputs, dict]:
    enterprises = list(candidates(plan).select_related("jurisdiction"))
    eligible, excluded = inspector_pool(plan)
    ids = [e.pk for e in enterprises]
    conflicts = sorted(
        [c.inspector_id, c.enterprise_id]
        for c in Conflict.objects.filter(inspector__in=eligible, enterprise_id__in=ids)
    )
    inputs = algorithm.DrawInputs(
        seed=seed,
        candidates=ids,
        inspectors=[p.pk for p in eligible],
        per_target=plan.inspectors_per_target,
        count=plan.count,
        ratio=str(plan.ratio) if plan.ratio is not None else None,
        strata={str(e.pk): stratum_of(e, plan) for e in enterprises} if plan.stratify else None,
        conflicts=conflicts,
    )
    notes = {"excluded_inspectors": [[p.pk, reason] for p, reason in excluded]}
    return inputs, notes


def _message(error: algorithm.DrawError) -> str:
    if error.code == "no_candidates":
        return _("No enterprise matches the plan's criteria; nothing to draw.")
    if error.code == "not_enough_inspectors":
        names = dict(
            Enterprise.objects.filter(pk__in=[t["enterprise"] for t in error.details["targets"]]).values_list(
                "pk", "name"
            )
        )
        listed = "; ".join(
            _("%(name)s has %(n)d eligible") % {"name": names.get(t["enterprise"], t["enterprise"]), "n": t["eligible"]}
            for t in error.details["targets"][:10]
        )
        return _(
            "The draw failed: each enterprise needs %(needed)d inspectors who hold a valid certificate, "
            "cover the items and have no conflict with it. %(listed)s."
        ) % {"needed": error.details["needed"], "listed": listed}
    return error.message


def draw(plan_id: int, *, actor, seed: str | None = None) -> Draw:
    """Draw the plan's targets and inspectors, record seed, inputs and result, and plan one
    spot-check inspection per target. A plan is drawn once."""
    with transaction.atomic():
        plan = (
            SpotCheckPlan.objects.select_for_update(of=("self",))
            .select_related("jurisdiction", "department")
            .get(pk=plan_id)
        )
        _require_office(actor, plan)
        if plan.status != PlanStatus.DRAFT or Draw.objects.filter(plan=plan).exists():
            raise ValidationError(
                _("This plan has been drawn already; a draw is never repeated."), code="already_drawn"
            )
        seed = (seed or "").strip() or secrets.token_hex(16)
        if len(seed) > 64:
            raise ValidationError({"seed": _("Keep the seed to 64 characters.")}, code="seed")
        inputs, notes = build_inputs(plan, seed)
        try:
            result = algorithm.run(inputs)
        except algorithm.DrawError as error:
            raise ValidationError(_message(error), code=error.code) from None
        record = Draw.objects.create(
            plan=plan,
            algorithm=algorithm.ALGORITHM,
            seed=seed,
            inputs={**inputs.to_json(), **notes},
            result=result,
            drawn_by=actor,
        )
        enterprises = Enterprise.objects.in_bulk([row["enterprise"] for row in result["targets"]])
        profiles = InspectorProfile.objects.select_related("user").in_bulk(
            [i for row in result["targets"] for i in row["inspectors"]]
        )
        item = plan.items.exclude(template=None).select_related("template").first()
        today = timezone.localdate()
        planned = min(max(plan.period_start, today), plan.period_end)
        for position, row in enumerate(result["targets"], start=1):
            enterprise = enterprises[row["enterprise"]]
            chosen = [profiles[i] for i in row["inspectors"]]
            inspection = plan_inspection(
                actor=None,
                kind=InspectionKind.SPOT_CHECK,
                enterprise=enterprise,
                template=item.template if item else None,
                planned_date=planned,
                due_date=plan.period_end,
                title=str(plan),
                inspectors=[p.user for p in chosen],
                departments=[plan.department] if plan.department_id else [],
            )
            target = SpotCheckTarget.objects.create(
                plan=plan, enterprise=enterprise, position=position, stratum=row["stratum"], inspection=inspection
            )
            target.inspectors.set(chosen)
        plan.status = PlanStatus.DRAWN
        plan.save(update_fields=["status", "updated_at"])
    return record


def verify(record: Draw) -> bool:
    """Re-run the recorded draw from its recorded inputs: the same result, or not."""
    data = {k: v for k, v in record.inputs.items() if k != "excluded_inspectors"}
    try:
        again = algorithm.run(algorithm.DrawInputs.from_json(data))
    except algorithm.DrawError:
        return False
    return again == record.result


def record_result(target_id: int, *, actor, checked_on, result, handling="") -> SpotCheckTarget:
    with transaction.atomic():
        target = SpotCheckTarget.objects.select_for_update(of=("self",)).select_related("plan").get(pk=target_id)
        is_inspector = target.inspectors.filter(user=actor).exists()
        if not is_inspector:
            _require_office(actor, target.plan)
        if target.published_at:
            raise ValidationError(_("This result is published and can no longer change."), code="published")
        if checked_on < target.plan.period_start:
            raise ValidationError({"checked_on": _("The check date is before the plan's period.")}, code="date")
        if checked_on > timezone.localdate():
            raise ValidationError({"checked_on": _("The check date is in the future.")}, code="date")
        target.checked_on, target.result, target.handling = checked_on, result, handling.strip()
        target.save(update_fields=["checked_on", "result", "handling"])
    return target


def publish(plan_id: int, *, actor) -> int:
    """Publish every recorded result not yet published; returns how many."""
    with transaction.atomic():
        plan = SpotCheckPlan.objects.select_for_update().get(pk=plan_id)
        _require_office(actor, plan)
        if plan.status == PlanStatus.DRAFT:
            raise ValidationError(_("Draw the plan before publishing results."), code="not_drawn")
        now = timezone.now()
        count = plan.targets.filter(published_at__isnull=True).exclude(result="").update(published_at=now)
        if count == 0:
            raise ValidationError(_("There is no new result to publish."), code="nothing")
        plan.status = PlanStatus.PUBLISHED
        plan.published_at = plan.published_at or now
        plan.save(update_fields=["status", "published_at", "updated_at"])
    return count


def strata_labels(codes) -> dict[str, str]:
    return {j.code: j.name for j in Jurisdiction.objects.filter(code__in=set(codes))}

"""Every write of daily reports, tracking and material figures goes through these functions
(pages, API, demo and tests alike)."""

from __future__ import annotations

import datetime
import logging
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from lianqi.accounts.choices import Role
from lianqi.enterprises.models import Enterprise

from . import rates
from .choices import ReportChannel
from .models import DailyReport, MaterialReport, ReminderTarget, TrackedPeriod, TrackingRule, due_at

logger = logging.getLogger(__name__)

# The figures an enterprise reports (and that tomorrow's form is pre-filled with).
FIGURES = (
    "resumed",
    "staff_total",
    "staff_on_post",
    "staff_returned",
    "staff_isolated",
    "abnormal_health",
    "capacity_pct",
    "capacity_note",
    "output_value",
    "power_load",
    "masks_days",
    "disinfectant_days",
    "thermometers_days",
)
# Figures whose jump from yesterday by more than DAILY_REPORT_JUMP_FACTOR asks for confirmation.
JUMP_CHECKED = ("staff_total", "staff_on_post", "capacity_pct", "output_value", "power_load")


# --- Appeals -----------------------------------------------------------------------------------


def raise_appeal_for(*, enterprise, text: str, actor, source, kind: str) -> str:
    """Turn a reported difficulty into an appeal (channel "daily report") through
    ``lianqi.appeals.services.raise_appeal``; returns its number. The text also stays on the
    report (difficulties page and API)."""
    from lianqi.appeals.choices import Channel
    from lianqi.appeals.services import raise_appeal

    title = _("Difficulty reported on %(date)s: %(text)s") % {
        "date": source.date.isoformat(),
        "text": text.splitlines()[0][:60],
    }
    appeal = raise_appeal(
        actor=actor,
        enterprise=enterprise,
        appeal_type=kind,
        title=title[:200],
        description=text,
        channel=Channel.DAILY_REPORT,
    )
    return appeal.number


# --- Who may report -----------------------------------------------------------------------------


def channel_for(actor, enterprise, *, api_token: bool = False) -> str:
    """The enterprise's own users report for it; the command office of its jurisdiction may enter
    a report on its behalf (marked as such). Everybody else is refused."""
    access = actor.access
    if enterprise.pk in access.enterprise_ids():
        return ReportChannel.SYSTEM if api_token else ReportChannel.ENTERPRISE
    if access.is_admin or any(
        enterprise.jurisdiction.path.startswith(p) for p in access.jurisdiction_paths(roles=[Role.OFFICE])
    ):
        return ReportChannel.ON_BEHALF
    raise PermissionDenied(_("You may not report for this enterprise."))


# --- Pre-fill and checks --------------------------------------------------------------------------


def previous_report(enterprise, date) -> DailyReport | None:
    return DailyReport.objects.filter(enterprise=enterprise, date__lt=date).order_by("-date").first()


def prefill(enterprise, date) -> dict:
    """Yesterday's figures (the latest report before ``date``), so an unchanged day is one tap."""
    previous = previous_report(enterprise, date)
    if previous is None:
        return {"resumed": True, "staff_total": enterprise.headcount or 0, "staff_on_post": 0, "capacity_pct": 0}
    return {name: getattr(previous, name) for name in FIGURES}


def check_figures(figures: dict, previous: DailyReport | None, *, confirmed: bool) -> None:
    """Sanity checks; raise ValidationError with field errors. A jump from yesterday is refused
    with code ``confirm_jump`` unless the sender confirms it."""
    errors: dict[str, list] = {}
    total, on_post = figures.get("staff_total") or 0, figures.get("staff_on_post") or 0
    if on_post > total:
        errors.setdefault("staff_on_post", []).append(
            ValidationError(_("Staff on post cannot exceed total staff."), code="on_post_exceeds_total")
        )
    capacity = figures.get("capacity_pct")
    if capacity is not None:
        if capacity < 0:
            errors.setdefault("capacity_pct", []).append(
                ValidationError(_("Capacity utilisation cannot be negative."), code="negative")
            )
        elif capacity > 100 and not (figures.get("capacity_note") or "").strip():
            errors.setdefault("capacity_note", []).append(
                ValidationError(_("Explain a capacity utilisation above 100 %."), code="capacity_unexplained")
            )
    if errors:
        raise ValidationError(errors)
    if previous is None or confirmed:
        return
    factor = Decimal(str(settings.DAILY_REPORT_JUMP_FACTOR))
    jumps = {}
    for name in JUMP_CHECKED:
        old, new = getattr(previous, name), figures.get(name)
        if old is None or new is None or not old or not new:
            continue
        old, new = Decimal(str(old)), Decimal(str(new))
        if new > old * factor or new * factor < old:
            jumps[name] = [
                ValidationError(
                    _("%(new)s against %(old)s yesterday: tick 'confirm' if this is right.")
                    % {"new": new.normalize(), "old": old.normalize()},
                    code="confirm_jump",
                )
            ]
    if jumps:
        raise ValidationError(jumps)


# --- Submitting ---------------------------------------------------------------------------------


def submit_report(
    enterprise, *, actor, date=None, confirmed: bool = False, api_token: bool = False, **figures
) -> DailyReport:
    """Create or correct the report of ``enterprise`` for ``date`` (today by default).

    The first submission fixes ``submitted_at`` and whether it was late; a correction keeps
    them and counts a revision. The report's rollup cell is refreshed in the same transaction.
    A difficulty that is new or changed becomes an appeal (when the appeals app exists)."""
    now = timezone.now()
    date = date or timezone.localdate(now)
    if date > timezone.localdate(now):
        raise ValidationError({"date": [ValidationError(_("A report cannot be for a future day."), code="future")]})
    channel = channel_for(actor, enterprise, api_token=api_token)
    unknown = set(figures) - set(FIGURES) - {"difficulties"}
    if unknown:
        raise TypeError(f"unknown report fields: {sorted(unknown)}")
    with transaction.atomic():
        report = DailyReport.objects.select_for_update().filter(enterprise=enterprise, date=date).first()
        check_figures(figures, previous_report(enterprise, date), confirmed=confirmed)
        old_difficulties = report.difficulties if report else ""
        if report is None:
            report = DailyReport(
                enterprise=enterprise,
                date=date,
                submitted_at=now,
                late=now > due_at(date),
                channel=channel,
                submitted_by=actor,
            )
        else:
            report.revisions += 1
            if channel == ReportChannel.ON_BEHALF or report.channel == ReportChannel.ON_BEHALF:
                report.channel = channel
            report.submitted_by = actor
        for name in FIGURES:
            if name in figures:
                setattr(report, name, figures[name])
        report.difficulties = (figures.get("difficulties") or "").strip()
        for name in ("staff_returned", "staff_isolated", "abnormal_health"):
            if getattr(report, name) is None:
                setattr(report, name, 0)
        report.capacity_note = report.capacity_note or ""
        report.full_clean(validate_unique=False)
        report.save()
        if report.difficulties and report.difficulties != old_difficulties:
            reference = raise_appeal_for(
                enterprise=enterprise, text=report.difficulties, actor=actor, source=report, kind="other"
            )
            if reference:
                report.appeal_reference = reference
                report.save(update_fields=["appeal_reference"])
        rates.refresh_cell(date, enterprise)
    return report


def repeat_yesterday(enterprise, *, actor, date=None) -> DailyReport:
    """The one-tap report: yesterday's figures, unchanged (no difficulties carried over)."""
    date = date or timezone.localdate()
    previous = previous_report(enterprise, date)
    if previous is None:
        raise ValidationError(_("There is no earlier report to repeat; fill in the form."), code="no_previous")
    figures = {name: getattr(previous, name) for name in FIGURES}
    return submit_report(enterprise, actor=actor, date=date, confirmed=True, **figures)


# --- Tracking -------------------------------------------------------------------------------------


def tracked_enterprises(date):
    """Enterprises expected to report on ``date``."""
    return Enterprise.objects.filter(Exists(TrackedPeriod.objects.on(date).filter(enterprise=OuterRef("pk"))))


def sync_tracking(today=None) -> dict:
    """Bring the tracked periods in line with the active rules as of ``today``: enterprises
    that qualify and are not tracked start (on the rule's start day the first time, else
    today); tracked ones that no longer qualify (closed, suspended, moved away) stop yesterday.
    Idempotent; days whose tracked set changed are rebuilt on their next read."""
    today = today or timezone.localdate()
    desired: dict[int, tuple[datetime.date, int]] = {}
    for rule in TrackingRule.objects.filter(is_active=True, start__lte=today).filter(
        Q(end__isnull=True) | Q(end__gte=today)
    ):
        for enterprise_id in rule.matching_enterprises().values_list("pk", flat=True):
            start = rule.start
            if enterprise_id not in desired or desired[enterprise_id][0] > start:
                desired[enterprise_id] = (start, rule.pk)
    open_periods = {p.enterprise_id: p for p in TrackedPeriod.objects.filter(Q(end__isnull=True) | Q(end__gte=today))}
    ever = set(TrackedPeriod.objects.values_list("enterprise_id", flat=True).distinct())
    started = stopped = 0
    earliest = None
    with transaction.atomic():
        new = []
        for enterprise_id, (start, rule_id) in desired.items():
            if enterprise_id in open_periods:
                continue
            start = start if enterprise_id not in ever else today
            new.append(TrackedPeriod(enterprise_id=enterprise_id, rule_id=rule_id, start=start))
            earliest = min(earliest or start, start)
        TrackedPeriod.objects.bulk_create(new, batch_size=2000, ignore_conflicts=True)
        started = len(new)
        for enterprise_id, period in open_periods.items():
            if enterprise_id in desired:
                continue
            end = today - datetime.timedelta(days=1)
            if end < period.start:
                period.delete()
            else:
                period.end = end
                period.save(update_fields=["end"])
            stopped += 1
            earliest = min(earliest or today, today)
        if earliest is not None:
            rates.invalidate_from(earliest)
    return {"started": started, "stopped": stopped}


def set_tracking(enterprise, *, actor, start, end=None) -> TrackedPeriod:
    """Track one enterprise by hand (outside the rules) from ``start``."""
    if not Enterprise.objects.editable_by(actor).filter(pk=enterprise.pk).exists():
        raise PermissionDenied(_("Only the command office of its jurisdiction may change this."))
    with transaction.atomic():
        period, _created = TrackedPeriod.objects.update_or_create(
            enterprise=enterprise, start=start, defaults={"end": end}
        )
        rates.invalidate_from(start)
    return period


# --- Late and missing -----------------------------------------------------------------------------


def day_status(date, enterprises):
    """Tracked enterprises among ``enterprises`` on ``date`` with their report (or None)."""
    tracked = enterprises.filter(Exists(TrackedPeriod.objects.on(date).filter(enterprise=OuterRef("pk"))))
    reports = {r.enterprise_id: r for r in DailyReport.objects.filter(date=date, enterprise__in=tracked)}
    return [
        (e, reports.get(e.pk)) for e in tracked.select_related("jurisdiction").order_by("jurisdiction__path", "name")
    ]


def missing_enterprises(date, enterprises=None):
    enterprises = enterprises if enterprises is not None else Enterprise.objects.all()
    return enterprises.filter(Exists(TrackedPeriod.objects.on(date).filter(enterprise=OuterRef("pk")))).exclude(
        Exists(DailyReport.objects.filter(enterprise=OuterRef("pk"), date=date))
    )


def remind_missing(now=None) -> int:
    """From two hours before the due hour: remind the enterprises that have not reported;
    after it: tell them and their grid members / assigned officials that it is overdue. Each
    (enterprise, day, stage) is notified once, however often this runs."""
    from lianqi.notifications.events import emit

    now = now or timezone.now()
    today = timezone.localdate(now)
    due = due_at(today)
    if now < due - datetime.timedelta(hours=2):
        return 0
    stage = "overdue" if now >= due else "reminder"
    missing = list(missing_enterprises(today).values_list("pk", flat=True))
    existing = set(ReminderTarget.objects.filter(date=today).values_list("enterprise_id", flat=True))
    ReminderTarget.objects.bulk_create(
        [ReminderTarget(enterprise_id=pk, date=today) for pk in missing if pk not in existing],
        ignore_conflicts=True,
    )
    sent = 0
    for target in ReminderTarget.objects.filter(date=today, enterprise_id__in=missing).select_related(
        "enterprise__jurisdiction"
    ):
        event = emit(f"daily_report.{stage}", target, key=f"daily_report.{stage}:{target.enterprise_id}:{today}")
        sent += event is not None
    return sent


# --- Protective materials -------------------------------------------------------------------------


def submit_material(enterprise, *, actor, date=None, material, **figures) -> MaterialReport:
    """A producer's figures for one material and day (create or correct). A new or changed
    raw-material shortfall becomes an appeal of type raw materials (when the appeals app exists)."""
    date = date or timezone.localdate()
    channel_for(actor, enterprise)
    if not enterprise.material_producer:
        raise ValidationError(_("Only protective-material producers report material figures."), code="not_producer")
    with transaction.atomic():
        report, _created = MaterialReport.objects.select_for_update().get_or_create(
            enterprise=enterprise,
            date=date,
            material=material,
            defaults={"capacity": 0, "output": 0, "stock": 0, "submitted_by": actor},
        )
        old_shortfall = report.shortfall
        for name in ("capacity", "output", "stock", "shortfall", "quality", "quality_note"):
            if name in figures:
                setattr(report, name, figures[name] if figures[name] is not None else "")
        report.submitted_by = actor
        report.full_clean(validate_unique=False)
        report.save()
        if report.shortfall and report.shortfall != old_shortfall:
            reference = raise_appeal_for(
                enterprise=enterprise, text=report.shortfall, actor=actor, source=report, kind="raw_materials"
            )
            if reference:
                report.appeal_reference = reference
                report.save(update_fields=["appeal_reference"])
    return report

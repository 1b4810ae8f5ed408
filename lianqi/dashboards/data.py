"""What a leader reads about a jurisdiction: resumption rates (from the rollups), hazards,
appeals and checkpoints when those apps exist, inspections this week, and what needs attention.
Every query starts from ``visible_to(user)`` or ``in_subtree(user, node)`` (the same rows), or the
user's visible jurisdiction node."""

from __future__ import annotations

import datetime

from django.db.models import Count, Q
from django.utils import timezone

from lianqi.core.replica import replica_reads
from lianqi.reporting import rates
from lianqi.reporting.stats import resumption_stats

TREND_DAYS = 30


def _hazards(node, user, today):
    from lianqi.hazards.models import Hazard
    from lianqi.hazards.stats import ledger_rates

    hazards = Hazard.objects.in_subtree(user, node)
    figures = ledger_rates(hazards, today=today)
    overdue = list(
        hazards.overdue(today)
        .select_related("enterprise")
        .only("pk", "number", "deadline", "description", "enterprise__name", "location", "grade")
        .order_by("deadline")[:8]
    )
    return figures, overdue


def _appeals(node, user, today):
    """Open, overdue and mean satisfaction of the appeals (enterprise difficulties) of the
    subtree: the figures of ``lianqi.appeals.stats.summary`` the dashboard shows, in one plain
    aggregate (the subtree filter joins nothing that could repeat a row)."""
    from django.db.models import Avg

    from lianqi.appeals.choices import HANDLING_STATUSES, OPEN_STATUSES
    from lianqi.appeals.models import Appeal

    appeals = Appeal.objects.in_subtree(user, node)
    figures = appeals.aggregate(
        open=Count("pk", filter=Q(status__in=OPEN_STATUSES)),
        overdue=Count("pk", filter=Q(status__in=HANDLING_STATUSES, due_date__lt=today)),
        satisfaction=Avg("rating"),
    )
    if figures["satisfaction"] is not None:
        figures["satisfaction"] = round(figures["satisfaction"], 2)
    return figures


def _checkpoint_alerts(node, user, today):
    """Checkpoint alerts of today, when the checkpoints app is installed (it offers
    ``lianqi.checkpoints.stats.alerts_today(user, node, today)``)."""
    try:
        from lianqi.checkpoints.stats import alerts_today
    except ImportError:
        return None
    return alerts_today(user, node, today)


def _inspections(node, user, today):
    from lianqi.inspections.choices import DONE_STATUSES, OPEN_STATUSES
    from lianqi.inspections.models import Inspection

    monday = today - datetime.timedelta(days=today.weekday())
    week = Inspection.objects.visible_to(user).filter(
        jurisdiction__path__startswith=node.path,
        planned_date__gte=monday,
        planned_date__lte=monday + datetime.timedelta(days=6),
    )
    return week.aggregate(
        total=Count("pk"),
        done=Count("pk", filter=Q(status__in=DONE_STATUSES)),
        open=Count("pk", filter=Q(status__in=OPEN_STATUSES)),
        leader_visits=Count("pk", filter=Q(kind="leader_visit")),
    ) | {"monday": monday}


def _missing(node, user, today):
    from lianqi.enterprises.models import Enterprise
    from lianqi.reporting.services import missing_enterprises

    enterprises = Enterprise.objects.in_subtree(user, node)
    missing = missing_enterprises(today, enterprises)
    return list(
        missing.select_related("jurisdiction")
        .only("pk", "name", "jurisdiction__name_zh", "jurisdiction__name_en", "is_key")
        .order_by("-is_key", "name")[:8]
    )


# Hazard and appeal figures scan every row of the subtree (200,000 hazards in a city): they are
# kept for a minute per user and node; the resumption rates come from the rollups, always fresh.
SLOW_FIGURES_SECONDS = 60


def _cached(name, node, user, today, compute):
    from django.core.cache import cache

    from lianqi.core.outage import cache_errors

    key = f"dashboard:{name}:{user.pk}:{node.pk}:{today.isoformat()}"
    try:
        value = cache.get(key)
    except cache_errors():  # the cache is down: the figures are computed, only slower
        return compute(node, user, today)
    if value is None:
        value = compute(node, user, today)
        try:
            cache.set(key, value, SLOW_FIGURES_SECONDS)
        except cache_errors():
            pass
    return value


def dashboard_data(node, user, today=None) -> dict:
    """Everything the dashboard shows, read from the replica when one is configured."""
    with replica_reads():
        return _dashboard_data(node, user, today or timezone.localdate())


def _dashboard_data(node, user, today) -> dict:
    by_child = resumption_stats(node, today, today, by="jurisdiction")
    trend = resumption_stats(node, today - datetime.timedelta(days=TREND_DAYS - 1), today, by="date")
    industries = resumption_stats(node, today, today, by="industry")
    industries["groups"] = sorted(industries["groups"], key=lambda g: -g["tracked"])[:10]
    hazards, overdue_hazards = _cached("hazards", node, user, today, _hazards)
    children = [g for g in by_child["groups"] if g.get("node") is not None and g["node"].pk != node.pk]
    return {
        "node": node,
        "today": today,
        "rates": by_child["total"],
        "children": children,
        "own": next((g for g in by_child["groups"] if g.get("node") is not None and g["node"].pk == node.pk), None),
        "trend": trend["groups"],
        "industries": industries["groups"],
        "hazards": hazards,
        "overdue_hazards": overdue_hazards,
        "appeals": _cached("appeals", node, user, today, _appeals),
        "checkpoints": _checkpoint_alerts(node, user, today),
        "inspections": _inspections(node, user, today),
        "missing": _missing(node, user, today),
        "labels": rates.LABELS,
        "definitions": rates.DEFINITIONS,
    }


def trend_series(trend_groups) -> dict:
    """The trend as ECharts (or SVG) series: dates and one list per rate."""
    keys = ("resumption_rate", "staff_return_rate", "capacity_mean", "reporting_rate")
    return {
        "dates": [g["label"] for g in trend_groups],
        "series": [{"key": k, "name": str(rates.LABELS[k]), "data": [g[k] for g in trend_groups]} for k in keys],
    }

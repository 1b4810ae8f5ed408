"""Protective materials: producers' supply against the need of the staff on post, per jurisdiction."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Avg, Count, Q, Sum
from django.utils.translation import gettext_lazy as _

from . import rates
from .choices import DAILY_NEED_PER_PERSON, MASK_MATERIALS, MATERIAL_UNITS, Material, QualityResult
from .models import DailyReport, MaterialReport

LOW_STOCK_DAYS = 3  # an enterprise with less than this many days of supply is listed as short

ROWS = [
    ("masks", _("Masks (all types)"), MASK_MATERIALS, "masks_days"),
    (Material.SUIT, Material.SUIT.label, (Material.SUIT,), None),
    (Material.DISINFECTANT, Material.DISINFECTANT.label, (Material.DISINFECTANT,), "disinfectant_days"),
    (Material.THERMOMETER, Material.THERMOMETER.label, (Material.THERMOMETER,), "thermometers_days"),
]


def _q(value) -> Decimal:
    return Decimal(value).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def producer_figures(node, date):
    """Producers' figures of ``date`` below ``node``, per material."""
    queryset = MaterialReport.objects.filter(date=date, enterprise__jurisdiction__path__startswith=node.path)
    return {
        row["material"]: row
        for row in queryset.values("material").annotate(
            producers=Count("enterprise", distinct=True),
            capacity=Sum("capacity"),
            output=Sum("output"),
            stock=Sum("stock"),
            shortfalls=Count("pk", filter=~Q(shortfall="")),
            failed=Count("pk", filter=Q(quality=QualityResult.FAILED)),
            tested=Count("pk", filter=~Q(quality="")),
        )
    }


def supply_demand(node, date) -> dict:
    """Per material: producers' capacity, output and stock, the daily need of the staff on post
    (``DAILY_NEED_PER_PERSON``), output ÷ need, stock in days of need, and how many reporting
    enterprises hold less than ``LOW_STOCK_DAYS`` days of their own supply."""
    figures = producer_figures(node, date)
    counts = rates.grouped_counts(date, date, path=node.path).get(None) or rates.Counts()
    on_post = counts.staff_on_post
    own = DailyReport.objects.filter(date=date, enterprise__jurisdiction__path__startswith=node.path)
    own_stock = own.aggregate(
        masks=Avg("masks_days"),
        disinfectant=Avg("disinfectant_days"),
        thermometers=Avg("thermometers_days"),
        masks_low=Count("pk", filter=Q(masks_days__lt=LOW_STOCK_DAYS)),
        disinfectant_low=Count("pk", filter=Q(disinfectant_days__lt=LOW_STOCK_DAYS)),
        thermometers_low=Count("pk", filter=Q(thermometers_days__lt=LOW_STOCK_DAYS)),
    )
    result = []
    for key, label, materials, own_field in ROWS:
        rows = [figures[m] for m in materials if m in figures]
        capacity = sum(r["capacity"] or 0 for r in rows)
        output = sum(r["output"] or 0 for r in rows)
        stock = sum(r["stock"] or 0 for r in rows)
        need = _q(DAILY_NEED_PER_PERSON[key] * on_post)
        own_key = own_field.replace("_days", "") if own_field else None
        result.append(
            {
                "key": str(key),
                "label": label,
                "unit": MATERIAL_UNITS[materials[0]],
                "producers": sum(r["producers"] for r in rows),
                "capacity": capacity,
                "output": output,
                "stock": stock,
                "need": need,
                "coverage": float(_q(Decimal(output) * 100 / need)) if need else None,
                "stock_days": float(_q(Decimal(stock) / need)) if need else None,
                "shortfalls": sum(r["shortfalls"] for r in rows),
                "failed": sum(r["failed"] for r in rows),
                "tested": sum(r["tested"] for r in rows),
                "own_days": float(_q(own_stock[own_key])) if own_key and own_stock[own_key] is not None else None,
                "own_low": own_stock[f"{own_key}_low"] if own_key else None,
            }
        )
    return {"date": date, "staff_on_post": on_post, "rows": result}

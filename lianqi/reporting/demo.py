"""Demo daily reports: a tracking rule (every above-size enterprise of the city and every
protective-material producer, suspended ones left out) and 30 days of reports that tell a
resumption story — about half resumed a month ago, most now — with gaps, late reports and a few
entered by the office on an enterprise's behalf; producers' material figures for the same days.
The demo enterprise user has reported every day but today, so the home page offers the one tap.
Idempotent: existing reports are kept (inserts ignore conflicts) and the rollups are rebuilt."""

import datetime
import random
from decimal import Decimal

from django.utils import timezone

from lianqi.enterprises.choices import Scale

from . import rates, services
from .choices import Material, QualityResult, ReportChannel
from .models import DailyReport, MaterialReport, TrackedPeriod, TrackingRule, due_at

DAYS = 30
DIFFICULTIES = [
    "上游原材料供应不足，环氧丙烷库存仅够三天",
    "外地员工返岗受阻，需协调包车接回",
    "物流不畅，成品无法按期发货",
    "流动资金紧张，申请延期缴纳社保",
    "口罩、消毒液储备不足，采购渠道有限",
]


def _report(rng, enterprise_id, headcount, day, index, key):
    progress = 0.5 + 0.45 * index / (DAYS - 1)
    resumed = rng.random() < min(progress + (0.1 if key else 0), 0.99)
    total = headcount or 40
    if resumed:
        on_post = min(total, int(total * min(1.0, rng.uniform(progress - 0.15, progress + 0.12))))
        capacity = Decimal(str(round(min(100, max(5, rng.gauss(progress * 100, 12))), 1)))
    else:
        on_post = int(total * rng.uniform(0, 0.1))
        capacity = Decimal("0")
    late = rng.random() < 0.08
    moment = datetime.datetime.combine(day, datetime.time(8)) + datetime.timedelta(
        minutes=rng.randint(240, 600) if late else rng.randint(0, 230)
    )
    submitted_at = timezone.make_aware(moment)
    return DailyReport(
        enterprise_id=enterprise_id,
        date=day,
        channel=ReportChannel.ON_BEHALF if rng.random() < 0.03 else ReportChannel.ENTERPRISE,
        submitted_at=submitted_at,
        late=submitted_at > due_at(day),
        resumed=resumed,
        staff_total=total,
        staff_on_post=on_post,
        staff_returned=int(on_post * rng.uniform(0, 0.3)),
        staff_isolated=rng.randint(0, 3) if index < 14 else 0,
        abnormal_health=1 if rng.random() < 0.01 else 0,
        capacity_pct=capacity,
        output_value=(Decimal(total) * capacity / Decimal(400)).quantize(Decimal("0.01")),
        power_load=(Decimal(total) * capacity / Decimal(20)).quantize(Decimal("0.1")),
        masks_days=Decimal(str(round(rng.uniform(1, 20), 1))),
        disinfectant_days=Decimal(str(round(rng.uniform(2, 30), 1))),
        thermometers_days=Decimal(str(round(rng.uniform(10, 120), 1))),
        difficulties=rng.choice(DIFFICULTIES) if rng.random() < 0.01 else "",
    )


def seed(context):
    rng = random.Random(20200210)  # noqa: S311 - demo data
    city = context.objects["city"]
    today = timezone.localdate()
    start = today - datetime.timedelta(days=DAYS - 1)
    rule, _ = TrackingRule.objects.get_or_create(
        name="全市规上企业及防疫物资生产企业（不含停产检修企业）",
        jurisdiction=city,
        defaults={"start": start, "scale": Scale.ABOVE, "material_producers": True},
    )
    services.sync_tracking(today)
    flagship = context.objects.get("flagship_enterprise")
    tracked = TrackedPeriod.objects.filter(rule=rule).select_related("enterprise")
    batch = []
    count = 0
    for period in tracked.iterator(chunk_size=2000):
        enterprise = period.enterprise
        for index in range(DAYS):
            day = start + datetime.timedelta(days=index)
            if day < period.start or (period.end and day > period.end):
                continue
            if enterprise.pk == (flagship.pk if flagship else None):
                if day == today:
                    continue  # the demo enterprise user's one tap
            elif rng.random() < (0.3 if day == today else 0.05):
                continue  # a gap (today: not everybody has reported yet)
            batch.append(_report(rng, enterprise.pk, enterprise.headcount, day, index, enterprise.is_key))
        if len(batch) >= 5000:
            DailyReport.objects.bulk_create(batch, ignore_conflicts=True)
            count += len(batch)
            batch = []
    DailyReport.objects.bulk_create(batch, ignore_conflicts=True)
    count += len(batch)
    _materials(rng, city, start, today)
    rates.build_days([start + datetime.timedelta(days=i) for i in range(DAYS)])
    context.log(f"Daily reports: {count} generated over {DAYS} days for {tracked.count()} tracked enterprises.")


def _materials(rng, city, start, today):
    from lianqi.enterprises.models import Enterprise

    producers = Enterprise.objects.filter(material_producer=True, jurisdiction__path__startswith=city.path)[:40]
    rows = []
    for producer in producers:
        materials = rng.sample(list(Material.values), 2)
        for material in materials:
            capacity = (
                rng.choice([20000, 50000, 100000]) if material.startswith("mask") else rng.choice([500, 2000, 5000])
            )
            stock = capacity
            for index in range((today - start).days + 1):
                day = start + datetime.timedelta(days=index)
                output = int(capacity * min(1.0, 0.4 + 0.6 * index / DAYS) * rng.uniform(0.85, 1.0))
                stock = max(0, stock + output - int(output * rng.uniform(0.8, 1.1)))
                rows.append(
                    MaterialReport(
                        enterprise=producer,
                        date=day,
                        material=material,
                        capacity=capacity,
                        output=output,
                        stock=stock,
                        shortfall="熔喷布供应不足" if material.startswith("mask") and rng.random() < 0.05 else "",
                        quality=rng.choice([QualityResult.PASSED] * 9 + [QualityResult.FAILED])
                        if index % 7 == 0
                        else "",
                    )
                )
    MaterialReport.objects.bulk_create(rows, ignore_conflicts=True, batch_size=2000)

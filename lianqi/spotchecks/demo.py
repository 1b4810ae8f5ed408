"""A 双随机 plan for 东湖区: items, an inspector library (one certificate expired, one conflict
of interest), a draw with a fixed seed and published results. Safe to run again."""

from datetime import timedelta

from django.utils import timezone

from lianqi.accounts.choices import Role
from lianqi.accounts.demo import demo_user

from . import services
from .choices import CheckResult, PlanMode, PlanStatus
from .models import CheckItem, Conflict, Draw, InspectorProfile, SpotCheckPlan

ENFORCERS = [
    ("enforcer1", "执法员 王刚", "41990220230001", 800),
    ("enforcer2", "执法员 李娜", "41990220230002", 800),
    ("enforcer3", "执法员 张伟", "41990220230003", 800),
    ("enforcer4", "执法员 刘洋", "41990220230004", 800),
    ("enforcer5", "执法员 陈静", "41990220230005", 800),
    ("enforcer6", "执法员 杨帆", "41990220230006", -30),  # certificate expired: never drawn
]
RESULTS = [
    (CheckResult.NO_PROBLEM, ""),
    (CheckResult.CORRECTED, "发现消防通道堵塞，已责令当场整改"),
    (CheckResult.NO_PROBLEM, ""),
    (CheckResult.CORRECTED, "安全培训记录不全，责令7日内补齐"),
]


def seed(context):
    district = context.objects["districts"][0]
    departments = context.objects.get("district_departments", {})
    department = departments.get((district.code, "应急管理局"))
    if department is None:
        context.log("Spot checks: no district emergency-management bureau; skipped.")
        return
    templates = context.objects.get("checklists", {})
    version = templates.get("ps-fire")
    today = timezone.localdate()
    item, _ = CheckItem.objects.update_or_create(
        jurisdiction=district,
        code="AQJC-001",
        defaults={
            "name_zh": "生产经营单位安全生产主体责任落实情况检查",
            "name_en": "Production-safety responsibilities of business units",
            "department": department,
            "legal_basis": "《中华人民共和国安全生产法》第四条、第二十一条",
            "method": "现场检查、查阅资料",
            "template": version.template if version else None,
        },
    )
    profiles = []
    for username, name, certificate, days in ENFORCERS:
        user = demo_user(
            context, username, name, [{"role": Role.DEPARTMENT, "department": department, "title": "执法员"}]
        )
        profile, _ = InspectorProfile.objects.update_or_create(
            user=user,
            defaults={
                "department": department,
                "certificate_number": certificate,
                "certificate_expiry": today + timedelta(days=days),
            },
        )
        profiles.append(profile)
    flagship = context.objects["flagship_enterprise"]
    Conflict.objects.get_or_create(
        inspector=profiles[0], enterprise=flagship, defaults={"reason": "近亲属在该企业任职"}
    )
    plan, created = SpotCheckPlan.objects.get_or_create(
        name="东湖区安全生产“双随机”抽查",
        batch=f"{today.year}-1",
        defaults={
            "jurisdiction": district,
            "department": department,
            "mode": PlanMode.UNDIRECTED,
            "ratio": 5,
            "inspectors_per_target": 2,
            "stratify": True,
            "period_start": today - timedelta(days=20),
            "period_end": today + timedelta(days=40),
            "created_by": context.objects["users"]["office"],
        },
    )
    if created:
        plan.items.set([item])
    if not Draw.objects.filter(plan=plan).exists():
        services.draw(plan.pk, actor=context.objects["users"]["office"], seed="20200220-donghu")
    plan.refresh_from_db()
    if plan.status == PlanStatus.DRAWN:
        office = context.objects["users"]["office"]
        for target, (result, handling) in zip(plan.targets.order_by("position"), RESULTS, strict=False):
            services.record_result(
                target.pk, actor=office, checked_on=today - timedelta(days=5), result=result, handling=handling
            )
        services.publish(plan.pk, actor=office)
    context.log(f"Spot checks: plan “{plan}”, {plan.targets.count()} enterprises drawn.")

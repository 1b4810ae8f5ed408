"""Demo routing rules and difficulties of every type and state, several for the demo enterprise."""

from lianqi.departments.models import Department
from lianqi.enterprises.models import Enterprise

from . import services
from .choices import AppealType
from .models import Appeal, RoutingRule
from .workflow import APPEAL_WORKFLOW

RULES = [  # type, lead (city department short name), supporting
    (AppealType.RAW_MATERIALS, "工信局", ["商务局"]),
    (AppealType.STAFF, "人社局", []),
    (AppealType.CAPITAL, "发改委", ["工信局"]),
    (AppealType.TRANSPORT, "交通局", []),
    (AppealType.SALES, "商务局", []),
    (AppealType.POLICY, "发改委", []),
    (AppealType.PERMITS, "市场监管局", []),
    (AppealType.PREVENTION_MATERIALS, "卫健委", ["工信局"]),
]
DIFFICULTIES = [
    (AppealType.RAW_MATERIALS, "熔喷布供应不足", "口罩生产线满负荷运转，熔喷布库存仅够 3 天，请协调上游供应商。"),
    (AppealType.STAFF, "返岗员工不足", "外地员工返岗受阻，缺工约 60 人，希望协调劳务对接。"),
    (AppealType.CAPITAL, "流动资金紧张", "一季度订单回款延迟，需要贷款贴息或续贷支持。"),
    (AppealType.TRANSPORT, "货车通行证办理", "原料运输车辆跨市通行受限，请协助办理通行证。"),
    (AppealType.SALES, "产品滞销", "出口订单取消，希望对接国内采购渠道。"),
    (AppealType.POLICY, "社保减免政策咨询", "想了解阶段性减免企业社保费的适用条件。"),
    (AppealType.PERMITS, "医疗器械备案加急", "转产医用口罩，需要加急办理备案。"),
    (AppealType.ENERGY, "电力增容", "新增生产线需要电力增容 500 千伏安。"),
    (AppealType.LAND, "临时仓储用地", "需要临时租用仓储场地堆放原料。"),
    (AppealType.PREVENTION_MATERIALS, "防护物资短缺", "体温计和消毒液库存不足一周。"),
    (AppealType.OTHER, "员工子女入学", "外地骨干员工子女入学咨询。"),
]
# How far each demo difficulty goes.
STAGES = [
    "new",
    "assigned",
    "accepted",
    "replied",
    "closed",
    "reopened",
    "accepted",
    "closed",
    "new",
    "replied",
    "assigned",
]


def seed(context):
    if Appeal.objects.exists():
        context.log(f"Difficulties: {Appeal.objects.count()} (already seeded).")
        return
    city = context.objects["city"]
    users = context.objects["users"]
    departments = {d.short_name: d for d in Department.objects.filter(jurisdiction=city)}
    for appeal_type, lead, supporting in RULES:
        if lead not in departments:
            continue
        rule = RoutingRule.objects.create(appeal_type=appeal_type, jurisdiction=city, lead_department=departments[lead])
        rule.supporting_departments.set([departments[s] for s in supporting if s in departments])
    # The demo department user (应急局) leads safety-related difficulties of hazardous-chemicals firms.
    rule = RoutingRule.objects.create(
        appeal_type=AppealType.OTHER,
        jurisdiction=city,
        industry_prefix="26",
        lead_department=departments["应急局"],
        priority=1,
    )
    flagship = context.objects.get("flagship_enterprise")
    others = list(Enterprise.objects.active().exclude(pk=getattr(flagship, "pk", None)).order_by("pk")[:20])
    targets = ([flagship] * 4 if flagship else []) + others
    enterprise_user = users.get("enterprise")
    for index, enterprise in enumerate(targets):
        appeal_type, title, description = DIFFICULTIES[index % len(DIFFICULTIES)]
        own = enterprise == flagship and enterprise_user is not None
        inspector = users["inspector"]
        inspector_may = Enterprise.objects.visible_to(inspector).filter(pk=enterprise.pk).exists()
        appeal = services.raise_appeal(
            actor=enterprise_user if own else inspector if inspector_may else users["office"],
            enterprise=enterprise,
            appeal_type=appeal_type,
            title=title,
            description=description,
        )
        stage = STAGES[index % len(STAGES)]
        if stage == "new":
            continue
        if appeal.status == "submitted":
            appeal = APPEAL_WORKFLOW.perform(
                appeal, "route", actor=users["office"], lead_department=departments["发改委"]
            )
        if stage == "assigned":
            continue
        lead_staff = appeal.lead_department.memberships.filter(role="department").first()
        actor = lead_staff.user if lead_staff else users["admin"]
        appeal = APPEAL_WORKFLOW.perform(appeal, "accept", actor=actor)
        if stage == "accepted":
            continue
        appeal = APPEAL_WORKFLOW.perform(
            appeal, "reply", actor=actor, note="已协调相关单位，具体办理情况如下：……，如有问题请随时联系。"
        )
        rater = enterprise_user if own else users["admin"]
        if stage == "closed":
            services.rate(appeal, actor=rater, rating=5, comment="解决及时，非常满意")
        elif stage == "reopened":
            services.rate(appeal, actor=rater, rating=2, solved=False, comment="问题没有实际解决")
    context.log(f"Difficulties: {Appeal.objects.count()} with {RoutingRule.objects.count()} routing rules.")

"""Demo enterprises and the demo enterprise user (whose enterprise is 江川华兴化工有限公司).

About 300 enterprises with believable names across every demo street, valid credit codes,
GB/T 4754 group-level industries, flags, risk tiers and locations around (34.75, 113.66), and
assignments for the demo ``inspector`` and ``leader``. ``seed_demo --scale N`` instead adds N
generated enterprises with bulk inserts (for benchmarks). Running it twice gives the same data:
every enterprise is keyed by its credit code, derived from a serial number.
"""

from decimal import Decimal

from simple_history.utils import bulk_create_with_history

from lianqi.accounts.choices import Role
from lianqi.accounts.demo import demo_user

from . import credit_code
from .choices import AssignmentRole, EnterpriseStatus, RiskTier, Scale
from .models import Assignment, Enterprise, pinyin_initials

TRADE_NAMES = [
    "华兴",
    "宏达",
    "金鼎",
    "恒通",
    "瑞丰",
    "鑫源",
    "中原",
    "永安",
    "天成",
    "博远",
    "汇通",
    "嘉禾",
    "盛世",
    "远航",
    "东方",
    "新锐",
    "隆泰",
    "华美",
    "长江",
    "泰和",
    "正大",
    "润通",
    "安泰",
    "德胜",
    "兴业",
    "宇翔",
    "景明",
    "卓越",
    "康宁",
    "顺发",
    "凯达",
    "信达",
    "福源",
    "海川",
    "建华",
    "同力",
    "明远",
    "聚鑫",
    "光大",
    "豫兴",
]
# (industry group code, business word, suffix, flags, risk tiers to draw from)
KINDS = [
    ("261", "化工", "有限公司", {"hazardous_chemicals": True}, ["major", "high", "high", "general"]),
    ("266", "精细化工", "有限公司", {"hazardous_chemicals": True}, ["high", "general"]),
    ("262", "化肥", "有限公司", {"hazardous_chemicals": True}, ["high", "general"]),
    ("131", "面粉", "有限公司", {}, ["general", "low"]),
    ("135", "肉类食品", "有限公司", {}, ["general", "low"]),
    ("143", "食品", "有限公司", {}, ["general", "low", "low"]),
    ("151", "酒业", "有限公司", {"key_fire_unit": True}, ["general", "low"]),
    ("342", "机械制造", "有限公司", {"high_risk_work": True}, ["general", "low"]),
    ("344", "泵阀", "股份有限公司", {}, ["general", "low"]),
    ("343", "起重设备", "有限公司", {"high_risk_work": True}, ["high", "general"]),
    ("171", "纺织", "有限公司", {"key_fire_unit": True}, ["general", "low"]),
    ("175", "印染", "有限公司", {}, ["general", "low"]),
    ("178", "无纺布制品", "有限公司", {"material_producer": True}, ["general", "low"]),
    ("543", "物流", "有限公司", {}, ["general", "low"]),
    ("599", "仓储", "有限公司", {"key_fire_unit": True}, ["general", "low"]),
    ("602", "快递", "有限公司", {}, ["low"]),
    ("471", "建筑工程", "有限公司", {"high_risk_work": True}, ["high", "general"]),
    ("481", "路桥建设", "有限公司", {"high_risk_work": True}, ["high", "general"]),
    ("271", "制药", "股份有限公司", {"hazardous_chemicals": True}, ["high", "general"]),
    ("274", "中药", "有限公司", {}, ["general", "low"]),
    ("277", "防护用品", "有限公司", {"material_producer": True}, ["general", "low"]),
    ("277", "口罩", "有限公司", {"material_producer": True}, ["general", "low"]),
    ("292", "塑料制品", "有限公司", {}, ["general", "low"]),
    ("301", "水泥", "有限公司", {"high_risk_work": True}, ["high", "general"]),
    ("451", "燃气", "有限公司", {"hazardous_chemicals": True, "key_fire_unit": True}, ["major", "high"]),
]
ROADS = [
    "建设路",
    "人民路",
    "工业大道",
    "纬一路",
    "经三路",
    "临港路",
    "科技大道",
    "创业路",
    "黄河路",
    "中原路",
    "文化路",
    "长江路",
]
SURNAMES = list("王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗")
GIVEN = [
    "伟",
    "芳",
    "娜",
    "敏",
    "静",
    "强",
    "磊",
    "军",
    "洋",
    "勇",
    "艳",
    "杰",
    "涛",
    "明",
    "超",
    "霞",
    "平",
    "刚",
    "桂英",
    "建华",
    "志强",
    "海燕",
    "国庆",
    "秀兰",
]
DEMO_SIZE = 300
SCALE_SERIAL_BASE = 100_000_000  # --scale enterprises use serials above the demo's


def _enterprise(serial, name, jurisdiction, industry_code, **fields):
    code = credit_code.make(f"91{jurisdiction.code[:6]}{serial:09d}")
    enterprise, _ = Enterprise.objects.update_or_create(
        credit_code=code,
        defaults={"name": name, "jurisdiction": jurisdiction, "industry_id": industry_code, **fields},
    )
    if enterprise.sector_department_id is None:
        enterprise.sector_department = enterprise.default_sector_department()
        enterprise.save(update_fields=["sector_department"])
    return enterprise


def _person(rng):
    return rng.choice(SURNAMES) + rng.choice(GIVEN)


def _phone(rng):
    return f"1{rng.choice('3589')}{rng.randrange(10**9):09d}"


def _fields(rng, index, street, kind):
    industry, word, suffix, flags, tiers = kind
    lat = Decimal(34.75 + rng.uniform(-0.12, 0.12)).quantize(Decimal("0.000001"))
    lng = Decimal(113.66 + rng.uniform(-0.16, 0.16)).quantize(Decimal("0.000001"))
    risk = rng.choice(tiers)
    status = rng.choices([EnterpriseStatus.OPERATING, EnterpriseStatus.SUSPENDED, EnterpriseStatus.CLOSED], [90, 7, 3])[
        0
    ]
    return {
        "address": f"江川市{street.parent.name_zh}{street.name_zh}{rng.choice(ROADS)}{rng.randint(1, 399)}号",
        "scale": Scale.ABOVE if rng.random() < 0.35 else Scale.BELOW,
        "risk_tier": risk,
        "is_key": risk in (RiskTier.MAJOR, RiskTier.HIGH) or rng.random() < 0.08,
        "hazardous_chemicals": flags.get("hazardous_chemicals", False),
        "key_fire_unit": flags.get("key_fire_unit", False) or rng.random() < 0.05,
        "high_risk_work": flags.get("high_risk_work", False),
        "material_producer": flags.get("material_producer", False),
        "headcount": rng.randint(8, 1200),
        "legal_representative": _person(rng),
        "safety_manager": _person(rng),
        "safety_manager_phone": _phone(rng),
        "latitude": lat,
        "longitude": lng,
        "status": status,
    }


def _name(rng, index, kind, used):
    _industry, word, suffix, *_rest = kind
    for attempt in range(50):
        trade = rng.choice(TRADE_NAMES) + (rng.choice(TRADE_NAMES) if attempt > 10 else "")
        place = rng.choice(["江川", "江川市", "河南", ""])
        name = f"{place}{trade}{word}{suffix}"
        if name not in used:
            used.add(name)
            return name
    return f"江川{word}{index}号{suffix}"


def seed(context):
    streets = context.objects["streets"]
    flagship = _enterprise(
        1,
        "江川华兴化工有限公司",
        streets[0],
        "261",
        address="江川市东湖区临港路88号",
        scale=Scale.ABOVE,
        risk_tier=RiskTier.HIGH,
        is_key=True,
        hazardous_chemicals=True,
        headcount=420,
        legal_representative="孙立华",
        safety_manager="刘强",
        safety_manager_phone="13912345678",
        latitude="34.752100",
        longitude="113.665400",
    )
    context.objects["flagship_enterprise"] = flagship
    context.objects["users"]["enterprise"] = demo_user(
        context,
        "enterprise",
        "企业安全员 刘强",
        [{"role": Role.ENTERPRISE, "enterprise": flagship, "title": "安全管理员"}],
    )
    context.objects["users"]["guard"] = demo_user(
        context, "guard", "门岗 周师傅", [{"role": Role.GUARD, "title": "门卫"}]
    )
    seed_registry(context, flagship)
    if context.scale:
        seed_scale(context, context.scale)
    context.log(f"Enterprises: {Enterprise.objects.count()}.")


def seed_registry(context, flagship):
    """The ~300 demo enterprises and the demo officials' assignments (same result every run)."""
    rng = context.rng
    streets = context.objects["streets"]
    used = {flagship.name}
    enterprises = [flagship]
    for index in range(2, DEMO_SIZE + 1):
        street = streets[index % len(streets)]
        kind = KINDS[rng.randrange(len(KINDS))]
        name = _name(rng, index, kind, used)
        enterprises.append(_enterprise(index, name, street, kind[0], **_fields(rng, index, street, kind)))

    users = context.objects["users"]
    inspector, leader = users["inspector"], users["leader"]
    # The inspector is resident instructor of the open enterprises in their street (东湖街道);
    # the mayor is leader contact of the city's major-risk enterprises.
    inspector_targets = [e for e in enterprises if e.jurisdiction_id == streets[0].pk and e.status != "closed"]
    leader_targets = [e for e in enterprises if e.risk_tier == RiskTier.MAJOR and e.status != "closed"][:12]
    wanted = {(inspector.pk, e.pk, AssignmentRole.RESIDENT_INSTRUCTOR) for e in inspector_targets[:15]}
    wanted |= {(leader.pk, e.pk, AssignmentRole.LEADER_CONTACT) for e in leader_targets}
    existing = set(
        Assignment.objects.filter(official__in=[inspector, leader]).values_list("official", "enterprise", "role")
    )
    Assignment.objects.filter(official__in=[inspector, leader]).exclude(
        pk__in=[
            pk
            for pk, o, e, r in Assignment.objects.filter(official__in=[inspector, leader]).values_list(
                "pk", "official", "enterprise", "role"
            )
            if (o, e, r) in wanted
        ]
    ).delete()
    for official_id, enterprise_id, role in sorted(wanted - existing):
        Assignment.objects.create(official_id=official_id, enterprise_id=enterprise_id, role=role, note="示范数据")
    context.log(f"Assignments: {Assignment.objects.count()}.")


def seed_scale(context, count: int, *, batch_size: int = 5000):
    """``count`` generated enterprises for benchmarks, in bulk (existing serials are skipped)."""
    rng = context.rng
    streets = context.objects["streets"]
    have = set(
        Enterprise.objects.filter(credit_code__gte="9", name__startswith="江川基准").values_list(
            "credit_code", flat=True
        )
    )
    batch = []
    created = 0
    initials = {}  # digits carry no pinyin, so every name of a kind has the same initials
    for index in range(count):
        street = streets[index % len(streets)]
        kind = KINDS[index % len(KINDS)]
        code = credit_code.make(f"91{street.code[:6]}{SCALE_SERIAL_BASE + index:09d}")
        if code in have:
            continue
        name = f"江川基准{kind[1]}{index:06d}号{kind[2]}"
        batch.append(
            Enterprise(
                credit_code=code,
                name=name,
                name_initials=initials.setdefault(kind[:3], pinyin_initials(name)),
                jurisdiction=street,
                industry_id=kind[0],
                **_fields(rng, index, street, kind),
            )
        )
        if len(batch) >= batch_size:
            created += _flush(batch)
            batch = []
    created += _flush(batch)
    context.log(f"Benchmark enterprises created: {created}.")


def _flush(batch) -> int:
    if not batch:
        return 0
    bulk_create_with_history(batch, Enterprise, batch_size=len(batch), default_change_reason="seed_demo --scale")
    return len(batch)

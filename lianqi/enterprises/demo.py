"""Demo enterprises and the demo enterprise user (whose enterprise is 江川华兴化工有限公司)."""

from lianqi.accounts.choices import Role
from lianqi.accounts.demo import demo_user
from lianqi.industries.models import Industry

from . import credit_code
from .choices import RiskTier, Scale
from .models import Enterprise


def _enterprise(serial, name, jurisdiction, industry_code, **fields):
    code = credit_code.make(f"91{jurisdiction.code[:6]}{serial:09d}")
    enterprise, _ = Enterprise.objects.update_or_create(
        credit_code=code,
        defaults={
            "name": name,
            "jurisdiction": jurisdiction,
            "industry": Industry.objects.get(code=industry_code),
            **fields,
        },
    )
    if enterprise.sector_department_id is None:
        enterprise.sector_department = enterprise.default_sector_department()
        enterprise.save(update_fields=["sector_department"])
    return enterprise


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
    context.log(f"Enterprises: {Enterprise.objects.count()}.")

"""Demo hazards in every state across the demo city, some overdue, several at the demo
enterprise user's own enterprise."""

import datetime
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from lianqi.enterprises.models import Enterprise

from . import services
from .choices import HazardStatus
from .models import Hazard
from .workflow import HAZARD_WORKFLOW

FINDINGS = [
    ("fire", "general", "二楼疏散通道堆放纸箱，安全出口被锁闭", "成品仓库"),
    ("fire", "general", "消防栓被货架遮挡，灭火器压力不足", "一号车间"),
    ("electrical", "general", "配电箱未接地，私拉乱接电线", "机修间"),
    ("hazardous_chemicals", "major", "储罐区可燃气体报警器失效，未设置紧急切断装置", "罐区"),
    ("confined_space", "general", "污水池有限空间未设置警示标识，未建立作业台账", "污水处理站"),
    ("dust_explosion", "major", "除尘系统未设置泄爆装置，粉尘清扫制度未落实", "抛光车间"),
    ("gas_lpg", "general", "食堂液化气钢瓶与灶具连接软管老化，未安装燃气报警器", "职工食堂"),
    ("special_equipment", "general", "叉车超期未检验，司机无证操作", "装卸区"),
    ("epidemic_prevention", "general", "入口未落实测温登记，消毒记录缺失", "厂区大门"),
    ("general_safety_management", "general", "安全生产责任制未更新，全员培训记录不全", "办公楼"),
    ("road_traffic", "general", "危货运输车辆动态监控终端离线", "车队"),
    ("self_built_houses", "general", "厂区自建仓库违规加层，未做结构安全鉴定", "东侧仓库"),
]
# How far through the life cycle each demo hazard goes.
PLAN = [
    "reported",
    "rectifying",
    "rectifying_overdue",
    "awaiting",
    "closed",
    "returned",
    "closed",
    "rectifying",
    "dismissed",
    "closed",
    "rectifying_overdue",
    "awaiting",
]


def _photo(rng):
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (320, 240), (rng.randint(120, 220), rng.randint(120, 220), rng.randint(120, 220)))
    draw = ImageDraw.Draw(image)
    for _ in range(6):
        x, y = rng.randint(0, 300), rng.randint(0, 220)
        draw.rectangle([x, y, x + rng.randint(10, 60), y + rng.randint(10, 40)], outline=(60, 60, 60), width=3)
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=80)
    return SimpleUploadedFile("photo.jpg", buffer.getvalue(), content_type="image/jpeg")


def _advance(hazard, stage, context, official, enterprise_user):
    today = timezone.localdate()
    if stage == "reported":
        return hazard
    if stage == "dismissed":
        return HAZARD_WORKFLOW.perform(
            hazard, "dismiss", actor=context.objects["users"]["office"], note="经核查为重复报告"
        )
    hazard = HAZARD_WORKFLOW.perform(
        hazard,
        "issue_order",
        actor=official,
        deadline=today + datetime.timedelta(days=context.rng.randint(3, 20)),
        responsible_person=hazard.enterprise.safety_manager or "安全员",
        measures="立即整改，整改完成后上传照片",
    )
    if stage == "rectifying_overdue":
        past = today - datetime.timedelta(days=context.rng.randint(1, 6))
        Hazard.objects.filter(pk=hazard.pk).update(deadline=past, original_deadline=past)
        return hazard
    if stage == "rectifying":
        return hazard
    submitter = enterprise_user or context.objects["users"]["admin"]
    if hazard.is_major:
        services.save_plan(
            hazard,
            actor=submitter,
            goal="消除重大隐患",
            measures="加装装置并检测",
            funds_and_materials="专项资金 20 万元",
            responsible_people="法定代表人牵头，安全员落实",
            time_limits="15 日内完成",
            safety_and_emergency="整改期间停用相关设备，编制专项应急预案",
        )
    hazard = HAZARD_WORKFLOW.perform(
        hazard, "submit_rectification", actor=submitter, note="已按要求整改完毕", photos=[_photo(context.rng)]
    )
    if stage == "awaiting":
        return hazard
    if stage == "returned":
        return HAZARD_WORKFLOW.perform(hazard, "return", actor=official, note="现场复核未完全整改，请继续整改")
    return HAZARD_WORKFLOW.perform(
        hazard, "accept", actor=official, note="现场复核，整改到位，同意销号", photos=[_photo(context.rng)]
    )


def seed(context):
    from lianqi.accounts.directory import enterprise_users

    if Hazard.objects.exists():
        context.log(f"Hazards: {Hazard.objects.count()} (already seeded).")
        return
    users = context.objects["users"]
    flagship = context.objects.get("flagship_enterprise")
    enterprises = list(Enterprise.objects.active().exclude(pk=getattr(flagship, "pk", None)).order_by("pk")[:36])
    targets = ([flagship] * 6 if flagship else []) + enterprises
    for index, enterprise in enumerate(targets):
        category, grade, description, location = FINDINGS[index % len(FINDINGS)]
        reporter = users["inspector"] if enterprise == flagship else users["office"]
        hazard = services.report_hazard(
            actor=reporter,
            enterprise=enterprise,
            category=category,
            grade=grade,
            description=description,
            location=location,
            photos=[_photo(context.rng)],
            found_at=timezone.now() - datetime.timedelta(days=context.rng.randint(1, 40)),
        )
        official = users["inspector"] if enterprise == flagship else users["office"]
        owner = enterprise_users(enterprise).first()
        _advance(hazard, PLAN[index % len(PLAN)], context, official, owner)
    public = services.report_public(
        jurisdiction=context.objects["streets"][1],
        description="小区门口燃气管道有明显气味，疑似泄漏",
        category="gas_lpg",
        location="临江路 18 号",
        reporter_name="张先生",
    )
    counts = {status: Hazard.objects.filter(status=status).count() for status in HazardStatus.values}
    context.log(
        f"Hazards: {Hazard.objects.count()} ({', '.join(f'{k} {v}' for k, v in counts.items())}); public report {public.number}."
    )

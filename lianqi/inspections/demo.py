"""Demo inspections for 江川市: a dozen in every state, including today's inspection of an
enterprise in 东湖街道 for the demo ``inspector``, a leader visit modelled on a visit report and
a monthly plan for key enterprises. Safe to run again: each demo inspection is found by its
title and enterprise, and only created when missing (open ones are moved to today's dates)."""

import io
from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from lianqi.checklists.choices import ItemType
from lianqi.checklists.evaluation import visible_codes
from lianqi.enterprises.models import Enterprise

from . import services
from .choices import Assignee, Frequency, InspectionKind, PlanTargets
from .models import Inspection, RecurringPlan

LEADER_VISIT = {
    # Modelled on a visit report: a district head leads department heads to an enterprise for
    # epidemic-prevention guidance at work resumption, visits the dispatch room and workshops,
    # talks with company leaders and issues requirements.
    "title": "区长带队“千企帮扶”疫情防控督导",
    "leader_names": "东湖区副区长 李鹏",
    "team_names": "区卫健委、发改委、工信局、消防大队、应急局、政府办、督查室负责同志",
    "accompanied_by": "公司负责人 孙立华、刘强及相关部门负责人",
    "sites": "中控调度室\n溶出车间\n焙烧车间中控室化验岗位",
    "summary": (
        "详细了解复工后生产组织和生产线运行情况，询问在岗员工防护措施落实和防疫物资储备情况。"
        "企业防控机制健全，体温检测和消毒记录完整；宿舍个别房间超员，已当场要求调整。"
    ),
    "requirements": [
        "严格落实在岗员工防护措施，做到测温、佩戴口罩、消毒“三到位”",
        "做好防疫物资储备，口罩、消毒液保障不少于7天用量",
        "统筹推进疫情防控和复工复产，确保生产安全",
    ],
}


def demo_photo(label="现场照片") -> SimpleUploadedFile:
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (320, 240), (70, 110, 160))
    ImageDraw.Draw(image).rectangle((20, 150, 300, 220), fill=(230, 230, 230))
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG")
    return SimpleUploadedFile("demo.jpg", buffer.getvalue(), content_type="image/jpeg")


def passing_value(item, failing=False):
    """A believable answer: passing unless ``failing``."""
    if item.type == ItemType.YES_NO_NA:
        if item.pass_answer:
            return {"yes": "no", "no": "yes"}[item.pass_answer] if failing else item.pass_answer
        return "yes"
    if item.type == ItemType.NUMBER:
        rule = item.fail_if or {}
        low = item.min_value if item.min_value is not None else 0
        high = item.max_value if item.max_value is not None else low + 100
        if failing and "gt" in rule:
            return min(high, rule["gt"] + 1)
        if failing and "lt" in rule:
            return max(low, rule["lt"] - 1)
        if "lt" in rule:
            return min(high, rule["lt"])
        if "gt" in rule:
            return round((low + rule["gt"]) / 2, 1) if rule["gt"] > low else low
        return low if low else round((low + high) / 4)
    if item.type in (ItemType.CHOICE, ItemType.MULTI_CHOICE):
        bad = set((item.fail_if or {}).get("in", []))
        values = [c["value"] for c in item.choices]
        good = [v for v in values if v not in bad] or values
        if item.type == ItemType.CHOICE and item.pass_answer:
            good = [item.pass_answer]
        pick = next(iter(bad)) if failing and bad else good[0]
        return [pick] if item.type == ItemType.MULTI_CHOICE else pick
    if item.type == ItemType.TEXT:
        return "情况良好"
    return None


def fill(inspection, user, *, failing=(), limit=None):
    """Answer the inspection's visible items (and add the photos they need)."""
    items = inspection.template_version.ordered_items()
    answers = {}
    done = 0
    for item in items:
        if item.code not in visible_codes(items, answers) or item.type == ItemType.PHOTO:
            continue
        value = passing_value(item, failing=item.code in failing)
        services.save_answer(
            inspection.pk,
            item.code,
            value,
            actor=user,
            note="现场发现问题，已拍照留存" if item.code in failing else None,
        )
        answers[item.code] = value
        done += 1
        if limit and done >= limit:
            return
    for item in items:
        needs_photo = item.type == ItemType.PHOTO or item.requires_photo
        if (
            needs_photo
            and item.code in visible_codes(items, answers)
            and not inspection.photos.filter(item_code=item.code).exists()
        ):
            services.add_photo(inspection.pk, item.code, demo_photo(), actor=user)


def failing_candidates(version, count):
    return [i.code for i in version.ordered_items() if i.proposes_hazard and not i.show_if][:count]


def seed(context):
    versions = context.objects.get("checklists", {})
    if not versions:
        context.log("Inspections: no checklist templates; skipped.")
        return
    users = context.objects["users"]
    inspector, office, leader = users["inspector"], users["office"], users["leader"]
    district_leader, enterprise_user = users["district_leader"], users.get("enterprise")
    flagship = context.objects["flagship_enterprise"]
    street = context.objects["streets"][0]  # 东湖街道
    nearby = list(
        Enterprise.objects.filter(jurisdiction__path__startswith=street.path).exclude(pk=flagship.pk).order_by("pk")[:6]
    )
    others = nearby or [flagship]
    today = timezone.localdate()
    departments = list(context.objects.get("district_departments", {}).values())[:3]

    def version(code):
        return versions.get(code) or next(iter(versions.values()))

    routine, campaign, own, visit = (
        InspectionKind.ROUTINE,
        InspectionKind.CAMPAIGN,
        InspectionKind.SELF,
        InspectionKind.LEADER_VISIT,
    )
    me, firm = [inspector], [enterprise_user]

    def near(n):
        return others[n % len(others)]

    specs = [
        # (title, enterprise, kind, template, planned offset, due offset, people, state, extra)
        ("燃气使用安全例行检查", near(0), routine, "ps-gas-lpg", 0, 0, me, "planned", {}),
        ("消防安全例行检查", near(1), routine, "ps-fire", -6, -2, me, "planned", {}),
        ("有限空间作业专项检查", near(2), campaign, "ps-confined-space", -1, 5, me, "in_progress", {}),
        ("危险化学品安全检查", flagship, routine, "ps-hazardous-chemicals", -8, -6, me, "submitted", {"failing": 2}),
        ("消防安全季度检查", near(3), routine, "ps-fire", -20, -18, me, "signed_off", {}),
        (LEADER_VISIT["title"], flagship, visit, "epidemic-resumption", -3, -3, me, "leader_visit", {"failing": 1}),
        ("汛期“五到位”专项检查", near(4), campaign, "ps-flood-prevention", 5, 10, me, "planned", {"leaders": [leader]}),
        ("企业自查：危险化学品", flagship, own, "ps-hazardous-chemicals", -12, -10, firm, "submitted", {}),
        ("企业自查：复工复产疫情防控", flagship, own, "epidemic-resumption", 0, 6, firm, "planned", {}),
        ("粉尘防爆检查（改期）", near(5), routine, "ps-dust-explosion", 2, 2, me, "cancelled", {}),
        ("道路交通安全检查", near(0), routine, "ps-road-traffic", 1, 3, me, "planned", {}),
        ("自建房安全排查", near(1), campaign, "ps-self-built-houses", -4, 1, me, "in_progress", {}),
    ]
    made = 0
    for title, enterprise, kind, code, planned, due, people, state, extra in specs:
        people = [p for p in people if p is not None]
        existing = Inspection.objects.filter(title=title, enterprise=enterprise, plan=None).first()
        if existing is not None:
            if existing.is_open:
                Inspection.objects.filter(pk=existing.pk).update(
                    planned_date=today + timedelta(days=planned), due_date=today + timedelta(days=max(due, planned))
                )
            continue
        leaders = extra.get("leaders", [])
        if state == "leader_visit":
            leaders = [district_leader]
        inspection = services.plan_inspection(
            actor=None,
            kind=kind,
            title=title,
            enterprise=enterprise,
            template_version=version(code),
            planned_date=today + timedelta(days=planned),
            due_date=today + timedelta(days=max(due, planned)),
            inspectors=people,
            leaders=leaders,
            departments=departments if kind in (InspectionKind.LEADER_VISIT, InspectionKind.CAMPAIGN) else [],
            leader_names=LEADER_VISIT["leader_names"] if state == "leader_visit" else "",
            team_names=LEADER_VISIT["team_names"] if state == "leader_visit" else "",
        )
        inspection.created_by = office
        inspection.save(update_fields=["created_by"])
        made += 1
        actor = people[0] if people else inspector
        failing = failing_candidates(inspection.template_version, extra.get("failing", 0))
        if state == "in_progress":
            fill(inspection, actor, limit=5)
        elif state in ("submitted", "signed_off", "leader_visit"):
            fill(inspection, actor, failing=failing)
            if state == "leader_visit":
                services.save_record(
                    inspection.pk,
                    actor=actor,
                    sites_inspected=LEADER_VISIT["sites"],
                    summary=LEADER_VISIT["summary"],
                    accompanied_by=LEADER_VISIT["accompanied_by"],
                    requirements=LEADER_VISIT["requirements"],
                )
            services.submit(inspection.pk, actor=actor)
            if state in ("signed_off", "leader_visit"):
                services.sign_off(inspection.pk, actor=office, representative="刘强")
        elif state == "cancelled":
            services.cancel(inspection.pk, actor=office, reason="企业停产检修，改期检查")
    plan, _created = RecurringPlan.objects.get_or_create(
        name="重点企业每月安全检查",
        defaults={
            "template": version("ps-hazardous-chemicals").template,
            "jurisdiction": street,
            "frequency": Frequency.MONTHLY,
            "targets": PlanTargets.KEY,
            "assignee": Assignee.ASSIGNED_OFFICIALS,
            "created_by": office,
        },
    )
    from .scheduling import generate_for_plan

    generated = generate_for_plan(plan, today)
    context.log(f"Inspections: {made} demo inspections made, {generated} from the monthly plan.")

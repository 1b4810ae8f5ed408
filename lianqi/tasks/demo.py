"""Demo deployed tasks from a meeting and a visit, with assignees in different states."""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from lianqi.departments.models import Department

from .models import Task, TaskAssignment
from .services import deploy_task
from .workflow import TASK_WORKFLOW


def _report():
    return SimpleUploadedFile("progress.pdf", b"%PDF-1.4\n% demo progress report\n", content_type="application/pdf")


def seed(context):
    if Task.objects.exists():
        context.log(f"Tasks: {Task.objects.count()} (already seeded).")
        return
    users = context.objects["users"]
    city = context.objects["city"]
    today = timezone.localdate()
    emergency = Department.objects.get(jurisdiction=city, short_name="应急局")
    industry = Department.objects.get(jurisdiction=city, short_name="工信局")
    health = Department.objects.get(jurisdiction=city, short_name="卫健委")
    districts = context.objects["districts"]

    chemicals = deploy_task(
        actor=users["office"],
        title="开展危险化学品企业安全生产专项整治",
        deadline=today + datetime.timedelta(days=20),
        jurisdiction=city,
        departments=[emergency],
        jurisdictions=districts[:2],
        source="meeting",
        source_note="全市安全生产视频会议",
        description="对辖区危化品企业开展全覆盖检查，建立隐患台账，重大隐患挂牌督办。",
    )
    flood = deploy_task(
        actor=users["leader"],
        title="落实防汛“五到位”要求",
        deadline=today + datetime.timedelta(days=1),
        jurisdiction=city,
        jurisdictions=districts,
        source="meeting",
        source_note="防汛工作部署会",
        description="指挥到位、信息到位、转移到位、队伍到位、物资到位，逐项落实并报送。",
    )
    # The flood task's deadline has passed for the districts that have not reported (demo only).
    past = today - datetime.timedelta(days=2)
    Task.objects.filter(pk=flood.pk).update(deadline=past)
    flood.assignments.update(deadline=past)
    resumption = deploy_task(
        actor=users["leader"],
        title="帮助重点企业解决复工复产中的原料和用工困难",
        deadline=today + datetime.timedelta(days=7),
        jurisdiction=city,
        departments=[industry, health],
        source="visit",
        source_note="市长调研东湖区企业",
    )
    dept = users["dept"]
    first = chemicals.assignments.get(department=emergency)
    first = TASK_WORKFLOW.perform(first, "start", actor=dept)
    TASK_WORKFLOW.perform(
        first, "report_progress", actor=dept, note="已检查危化品企业 18 家，发现隐患 23 处", progress=45
    )
    donghu_flood = flood.assignments.get(jurisdiction=districts[0])
    district_office = users.get("district_leader")
    if district_office:
        donghu_flood = TASK_WORKFLOW.perform(donghu_flood, "start", actor=district_office)
        TASK_WORKFLOW.perform(
            donghu_flood, "submit", actor=district_office, note="五到位均已落实，附检查表", attachments=[_report()]
        )
    context.log(
        f"Tasks: {Task.objects.count()} with {TaskAssignment.objects.count()} assignees ({resumption.title} …)."
    )

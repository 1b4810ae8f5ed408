"""The small world the permission matrix runs in: the standard cast's city plus one object of each
kind in the home jurisdiction (district A › street A, enterprise A), made through the services
where there is one, so that every URL with an id can be filled in.

    city ─┬─ district A ── street A: enterprise A (guarded gate), enterprise A2
          └─ district B ── street B: enterprise B

Actors (see ``permission_matrix.ACTORS``) are the people below; ``sibling`` leads district B and
``other_ent`` works for enterprise A2, in the same street as enterprise A.
"""

import datetime
from types import SimpleNamespace

from django.core.files.base import ContentFile
from django.utils import timezone

from lianqi.checkpoints.tests.test_keypersons import xlsx as key_person_xlsx
from lianqi.hazards.tests.conftest import make_photo


def build_cast():
    """The people and places: the same shape as the root conftest's ``cast``, plus a guard, an
    enterprise in street A with its own user, and a leader of district B."""
    from lianqi.accounts.choices import Role
    from lianqi.accounts.tests.factories import MembershipFactory, UserFactory
    from lianqi.departments.tests.factories import DepartmentFactory
    from lianqi.enterprises.tests.factories import EnterpriseFactory, credit_code_for
    from lianqi.jurisdictions.choices import Level
    from lianqi.jurisdictions.tests.factories import JurisdictionFactory

    w = SimpleNamespace()
    w.city = JurisdictionFactory(code="419900", name_zh="江川市", name_en="Jiangchuan City", level=Level.CITY)
    w.district_a = JurisdictionFactory(code="419902", name_zh="东湖区", level=Level.DISTRICT, parent=w.city)
    w.district_b = JurisdictionFactory(code="419903", name_zh="西山区", level=Level.DISTRICT, parent=w.city)
    w.street_a = JurisdictionFactory(code="419902001", name_zh="东湖街道", level=Level.STREET, parent=w.district_a)
    w.street_b = JurisdictionFactory(code="419903001", name_zh="西山街道", level=Level.STREET, parent=w.district_b)
    w.department_a = DepartmentFactory(name_zh="东湖区应急管理局", jurisdiction=w.district_a)
    w.department_b = DepartmentFactory(name_zh="西山区应急管理局", jurisdiction=w.district_b)
    w.enterprise_a = EnterpriseFactory(
        name="东湖精细化工有限公司",
        credit_code=credit_code_for(1, "419902"),
        jurisdiction=w.street_a,
        sector_department=w.department_a,
        material_producer=True,
    )
    w.enterprise_a2 = EnterpriseFactory(
        name="东湖粮油加工有限公司", credit_code=credit_code_for(3, "419902"), jurisdiction=w.street_a
    )
    w.enterprise_b = EnterpriseFactory(
        name="西山食品有限公司", credit_code=credit_code_for(2, "419903"), jurisdiction=w.street_b
    )

    def person(username, **membership):
        user = UserFactory(username=f"m_{username}", phone="")
        if membership:
            MembershipFactory(user=user, **membership)
        return user

    w.admin = person("admin")
    w.admin.is_superuser = w.admin.is_staff = True
    w.admin.save()
    w.outsider = person("outsider")
    w.leader = person("leader", role=Role.LEADER, jurisdiction=w.district_a)
    w.office = person("office", role=Role.OFFICE, jurisdiction=w.city)
    w.dept = person("dept", role=Role.DEPARTMENT, department=w.department_a)
    w.inspector = person("inspector", role=Role.INSPECTOR, jurisdiction=w.street_a)
    w.enterprise = person("enterprise", role=Role.ENTERPRISE, enterprise=w.enterprise_a)
    w.guard = person("guard", role=Role.GUARD)
    w.sibling = person("sibling", role=Role.LEADER, jurisdiction=w.district_b)
    w.other_ent = person("other_ent", role=Role.ENTERPRISE, enterprise=w.enterprise_a2)
    return w


def build_world():
    """Everything ``build_cast`` makes, and one object of each kind below district A."""
    w = build_cast()
    today = timezone.localdate()
    _enterprises(w, today)
    _checklists_and_inspections(w, today)
    _hazards(w, today)
    _appeals(w, today)
    _tasks(w, today)
    _checkpoints(w)
    _reporting(w, today)
    _spotchecks(w, today)
    _visits(w, today)
    _dashboards(w, today)
    _notifications_and_jobs(w)
    return w


def _enterprises(w, today):
    from lianqi.enterprises import services

    w.assignment = services.assign(
        enterprise=w.enterprise_a, official=w.inspector, role="resident_instructor", actor=w.office
    )
    w.tab_key = "overview"


def _checklists_and_inspections(w, today):
    from lianqi.checklists.services import start_draft
    from lianqi.checklists.tests.factories import make_version
    from lianqi.inspections import services
    from lianqi.inspections.choices import InspectionKind

    w.version = make_version(actor=w.office)
    w.template = w.version.template
    # The editor's URLs work on a draft: a second version, being edited.
    w.draft = start_draft(w.template.pk, actor=w.office)
    w.draft_number = w.draft.number
    w.section = w.draft.sections.first()
    w.item = w.section.items.first()
    w.editor_kind, w.editor_action = "item", "down"
    w.inspection = services.plan_inspection(
        actor=w.office,
        kind=InspectionKind.ROUTINE,
        enterprise=w.enterprise_a,
        template_version=w.version,
        planned_date=today,
        inspectors=[w.inspector],
    )
    w.photo = services.add_photo(w.inspection.pk, "S1.6", make_photo("site.jpg"), actor=w.inspector)
    w.finding = services.add_finding(
        w.inspection.pk, actor=w.inspector, description="消防通道堵塞", category="fire", grade="general"
    )


def _hazards(w, today):
    from lianqi.hazards import services
    from lianqi.hazards.workflow import HAZARD_WORKFLOW
    from lianqi.workflows.models import Attachment

    w.hazard = services.report_hazard(
        actor=w.inspector,
        enterprise=w.enterprise_a,
        category="fire",
        description="二楼疏散通道堆放货物",
        location="二号仓库",
        photos=[make_photo()],
    )
    w.hazard = HAZARD_WORKFLOW.perform(
        w.hazard,
        "issue_order",
        actor=w.inspector,
        deadline=today + datetime.timedelta(days=7),
        responsible_person="刘强",
        measures="清理通道",
    )
    w.extension = services.request_extension(
        w.hazard, actor=w.enterprise, new_deadline=today + datetime.timedelta(days=14), reason="需采购货架"
    )
    w.attachment = Attachment.objects.filter(entry__object_id=w.hazard.pk).first()
    w.hazard_transition = "submit_rectification"


def _appeals(w, today):
    from lianqi.appeals import services
    from lianqi.appeals.models import RoutingRule

    RoutingRule.objects.create(appeal_type="raw_materials", jurisdiction=w.district_a, lead_department=w.department_a)
    w.appeal = services.raise_appeal(
        actor=w.enterprise,
        enterprise=w.enterprise_a,
        appeal_type="raw_materials",
        title="熔喷布供应不足",
        description="库存仅够三天，请协调供应商。",
    )
    w.appeal_transition = "accept"


def _tasks(w, today):
    from lianqi.tasks import services

    w.task = services.deploy_task(
        actor=w.leader,
        title="开展危化品专项检查",
        deadline=today + datetime.timedelta(days=10),
        jurisdiction=w.district_a,
        departments=[w.department_a],
    )
    w.task_assignment = w.task.assignments.first()
    w.task_transition = "accept"


def _checkpoints(w):
    from lianqi.checkpoints import keypersons, services
    from lianqi.checkpoints.models import Checkpoint, CheckpointGuard
    from lianqi.checkpoints.personal import make_id_number

    w.checkpoint = Checkpoint.objects.create(
        name="东湖精细化工 北门", kind="enterprise_gate", enterprise=w.enterprise_a, jurisdiction=w.street_a
    )
    CheckpointGuard.objects.create(checkpoint=w.checkpoint, user=w.guard)
    w.checkpoint_token = w.checkpoint.public_token
    person_id = make_id_number("410105", "19900307", 123)
    w.key_list = keypersons.import_list(
        actor=w.office,
        upload=key_person_xlsx([("赵敏", person_id, "密接")]),
        name="省指挥部推送 第3批",
        jurisdiction=w.city,
    ).key_list
    entry = {"name": "赵敏", "id_number": person_id, "phone": "13812345678", "health_code": "green"}
    entry |= {"temperature": 36.5, "direction": "in", "origin": "郑州市金水区"}
    w.entry, _created = services.register_entry(w.checkpoint, actor=w.guard, data=entry)
    w.alert = w.entry.alert
    w.verification = w.entry.verifications.first()
    w.pending_entry = services.self_register(
        w.checkpoint,
        data={
            "name": "张伟",
            "id_number": make_id_number("420102", "19851120", 456),
            "phone": "13998765432",
            "health_code": "green",
        },
    )


def _reporting(w, today):
    from lianqi.reporting import services

    w.daily_report = services.submit_report(
        w.enterprise_a,
        actor=w.enterprise,
        confirmed=True,
        resumed=True,
        staff_total=100,
        staff_on_post=80,
        capacity_pct=80,
    )
    w.material_report = services.submit_material(
        w.enterprise_a, actor=w.enterprise, material="mask_medical", capacity=1000, output=800, stock=200
    )


def _spotchecks(w, today):
    from lianqi.accounts.tests.factories import MembershipFactory, UserFactory
    from lianqi.spotchecks import services
    from lianqi.spotchecks.models import CheckItem, InspectorProfile, SpotCheckPlan

    item = CheckItem.objects.create(
        jurisdiction=w.district_a, code="AQJC-001", name_zh="安全生产主体责任落实情况", department=w.department_a
    )
    enforcer = UserFactory(username="m_enforcer")
    MembershipFactory(user=enforcer, role="department", department=w.department_a)
    for number, user in enumerate((w.dept, enforcer), start=1):
        InspectorProfile.objects.create(
            user=user,
            department=w.department_a,
            certificate_number=f"4199022023000{number}",
            certificate_expiry=today + datetime.timedelta(days=800),
        )
    w.plan = SpotCheckPlan.objects.create(
        name="东湖区安全生产“双随机”抽查",
        batch=f"{today.year}-1",
        jurisdiction=w.district_a,
        department=w.department_a,
        ratio=50,
        inspectors_per_target=2,
        period_start=today - datetime.timedelta(days=20),
        period_end=today + datetime.timedelta(days=40),
        created_by=w.office,
    )
    w.plan.items.set([item])
    services.draw(w.plan.pk, actor=w.office, seed="matrix")
    w.target = w.plan.targets.first()


def _visits(w, today):
    from lianqi.visits import services
    from lianqi.visits.models import CoverageRule
    from lianqi.visits.services import LeaderInput, OrganisationInput, VisitInput

    w.visit = services.save_visit(
        actor=w.office,
        data=VisitInput(
            title="区长走访东湖精细化工",
            date=today - datetime.timedelta(days=3),
            jurisdiction=w.district_a,
            leaders=[LeaderInput(name="", title="区长", user=w.leader)],
            departments=[w.department_a],
            organisations=[OrganisationInput(name="东湖精细化工", enterprise=w.enterprise_a, score=92.0)],
            requirements=["落实安全生产主体责任"],
            difficulties=["原料运输受阻"],
            source_text="…",
        ),
    )
    w.requirement = w.visit.requirements.first()
    w.difficulty_index = 0
    w.coverage_rule = CoverageRule.objects.create(
        name="包联领导每月走访", jurisdiction=w.district_a, created_by=w.office
    )


def visit_drafts(w):
    """An import batch and a draft of the leader (kept in the cache, so made per test)."""
    from pathlib import Path

    from lianqi.visits import drafts

    reports = Path(__file__).resolve().parents[2] / "visits" / "tests" / "fixtures" / "visit_reports"
    text = next(reports.glob("004*.txt")).read_text(encoding="utf-8")
    result = drafts.import_text(text, user=w.leader)
    assert result.draft, "the sample visit report no longer makes a draft"
    w.draft_key = result.draft
    w.batch_key = drafts.store_batch([result], user=w.leader)


def _dashboards(w, today):
    from lianqi.dashboards.models import Bulletin

    w.bulletin = Bulletin.objects.create(
        jurisdiction=w.district_a,
        kind="weekly",
        period_start=today - datetime.timedelta(days=7),
        period_end=today - datetime.timedelta(days=1),
        title="东湖区周报",
        status="done",
        created_by=w.leader,
    )
    w.bulletin.pdf.save("weekly.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=True)
    w.bulletin_fmt = "pdf"


def _notifications_and_jobs(w):
    from lianqi.jobs.models import Job
    from lianqi.notifications.models import Notification

    w.notification = Notification.objects.filter(recipient=w.leader).first() or Notification.objects.first()
    w.job = Job.objects.create(kind="enterprises.import_preview", label="导入预览", created_by=w.office, status="done")
    w.job.result_file.save("result.xlsx", ContentFile(b"PK"), save=True)
    w.audit_app, w.audit_model = "enterprises", "enterprise"

"""Every hazard transition, allowed and forbidden. A refused transition changes nothing."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from lianqi.hazards import services
from lianqi.hazards.choices import HazardStatus
from lianqi.hazards.models import Hazard
from lianqi.hazards.workflow import HAZARD_WORKFLOW
from lianqi.notifications.models import Notification
from lianqi.workflows.engine import StaleObject, WorkflowError
from lianqi.workflows.models import TimelineEntry

pytestmark = pytest.mark.django_db
TOMORROW = lambda: timezone.localdate() + datetime.timedelta(days=1)  # noqa: E731


def unchanged(hazard, *, status, entries):
    fresh = Hazard.objects.get(pk=hazard.pk)
    assert fresh.status == status
    assert TimelineEntry.objects.filter(object_id=hazard.pk).count() == entries


def test_reported_hazard_has_a_number_timeline_and_supervisor(hazard, cast):
    assert hazard.status == HazardStatus.REPORTED
    assert hazard.number.startswith(f"YH-{cast.district_a.code}-{timezone.localdate().year}-")
    assert hazard.supervising_department == cast.department_a
    assert [e.action for e in HAZARD_WORKFLOW.timeline(hazard)] == ["reported"]


def test_numbers_count_per_district_and_year(hazard, cast):
    second = services.report_hazard(
        actor=cast.inspector_a, enterprise=cast.enterprise_a, category="fire", description="x"
    )
    assert int(second.number.rsplit("-", 1)[1]) == int(hazard.number.rsplit("-", 1)[1]) + 1


def test_issue_order_sets_deadline_and_tells_the_enterprise(in_rectification, cast):
    hazard = in_rectification
    assert hazard.status == HazardStatus.RECTIFYING
    assert hazard.deadline == hazard.original_deadline
    assert hazard.issued_by == cast.inspector_a
    titles = Notification.objects.filter(recipient=cast.enterprise_user, channel="inapp").values_list(
        "title", flat=True
    )
    assert any(hazard.number in t for t in titles)


def test_enterprise_may_not_issue_orders(hazard, cast):
    with pytest.raises(PermissionDenied):
        HAZARD_WORKFLOW.perform(hazard, "issue_order", actor=cast.enterprise_user, deadline=TOMORROW())
    unchanged(hazard, status=HazardStatus.REPORTED, entries=1)


def test_leader_reads_but_may_not_act(hazard, cast):
    assert Hazard.objects.visible_to(cast.official_a).filter(pk=hazard.pk).exists()
    with pytest.raises(PermissionDenied):
        HAZARD_WORKFLOW.perform(hazard, "issue_order", actor=cast.official_a, deadline=TOMORROW())
    unchanged(hazard, status=HazardStatus.REPORTED, entries=1)


def test_order_needs_a_future_deadline(hazard, cast):
    with pytest.raises(WorkflowError) as error:
        HAZARD_WORKFLOW.perform(hazard, "issue_order", actor=cast.inspector_a)
    assert "deadline" in error.value.message_dict
    with pytest.raises(WorkflowError) as error:
        HAZARD_WORKFLOW.perform(hazard, "issue_order", actor=cast.inspector_a, deadline=datetime.date(2020, 1, 1))
    assert error.value.code == "deadline_past"
    unchanged(hazard, status=HazardStatus.REPORTED, entries=1)


def test_wrong_state_is_refused(hazard, cast, photo):
    with pytest.raises(WorkflowError) as error:
        HAZARD_WORKFLOW.perform(hazard, "accept", actor=cast.inspector_a, note="ok", photos=[photo()])
    assert error.value.code == "wrong_state"
    unchanged(hazard, status=HazardStatus.REPORTED, entries=1)


def test_submission_needs_a_note_and_a_photo(in_rectification, cast, photo):
    hazard = in_rectification
    with pytest.raises(WorkflowError) as error:
        HAZARD_WORKFLOW.perform(hazard, "submit_rectification", actor=cast.enterprise_user, note="已清理")
    assert set(error.value.message_dict) == {"photos"}
    unchanged(hazard, status=HazardStatus.RECTIFYING, entries=2)


def test_a_file_that_is_not_an_image_is_refused_and_nothing_is_written(in_rectification, cast):
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("photo.jpg", b"MZ\x90\x00 not an image", content_type="image/jpeg")
    with pytest.raises(WorkflowError) as error:
        HAZARD_WORKFLOW.perform(
            in_rectification, "submit_rectification", actor=cast.enterprise_user, note="x", photos=[fake]
        )
    assert "not an image" in " ".join(error.value.messages) or "不是图片" in " ".join(error.value.messages)
    unchanged(in_rectification, status=HazardStatus.RECTIFYING, entries=2)


def test_full_loop_with_return_and_acceptance_by_someone_else(in_rectification, cast, photo):
    hazard = HAZARD_WORKFLOW.perform(
        in_rectification, "submit_rectification", actor=cast.enterprise_user, note="已清理通道", photos=[photo()]
    )
    assert hazard.status == HazardStatus.AWAITING_ACCEPTANCE and hazard.rectified_by == cast.enterprise_user
    hazard = HAZARD_WORKFLOW.perform(hazard, "return", actor=cast.inspector_a, note="安全出口仍上锁")
    assert hazard.status == HazardStatus.RETURNED
    hazard = HAZARD_WORKFLOW.perform(
        hazard, "submit_rectification", actor=cast.enterprise_user, note="已拆锁", photos=[photo()]
    )
    hazard = HAZARD_WORKFLOW.perform(hazard, "accept", actor=cast.dept_a, note="现场核实，已整改", photos=[photo()])
    assert hazard.status == HazardStatus.CLOSED and hazard.accepted_by == cast.dept_a and hazard.closed_at
    actions = [e.action for e in HAZARD_WORKFLOW.timeline(hazard)]
    assert actions == ["reported", "issue_order", "submit_rectification", "return", "submit_rectification", "accept"]
    assert sum(e.attachments.count() for e in HAZARD_WORKFLOW.timeline(hazard)) == 3


def test_resume_after_return(in_rectification, cast, photo):
    hazard = HAZARD_WORKFLOW.perform(
        in_rectification, "submit_rectification", actor=cast.enterprise_user, note="x", photos=[photo()]
    )
    hazard = HAZARD_WORKFLOW.perform(hazard, "return", actor=cast.inspector_a, note="no")
    hazard = HAZARD_WORKFLOW.perform(hazard, "resume", actor=cast.enterprise_user)
    assert hazard.status == HazardStatus.RECTIFYING


def test_the_same_person_cannot_accept_their_own_rectification(in_rectification, cast, photo):
    hazard = HAZARD_WORKFLOW.perform(
        in_rectification, "submit_rectification", actor=cast.admin, note="x", photos=[photo()]
    )
    with pytest.raises(WorkflowError) as error:
        HAZARD_WORKFLOW.perform(hazard, "accept", actor=cast.admin, note="ok", photos=[photo()])
    assert error.value.code == "same_person"
    unchanged(hazard, status=HazardStatus.AWAITING_ACCEPTANCE, entries=3)


def test_acceptance_needs_an_opinion_and_photos(in_rectification, cast, photo):
    hazard = HAZARD_WORKFLOW.perform(
        in_rectification, "submit_rectification", actor=cast.enterprise_user, note="x", photos=[photo()]
    )
    with pytest.raises(WorkflowError) as error:
        HAZARD_WORKFLOW.perform(hazard, "accept", actor=cast.inspector_a)
    assert set(error.value.message_dict) == {"note", "photos"}
    unchanged(hazard, status=HazardStatus.AWAITING_ACCEPTANCE, entries=3)


def test_enterprise_may_not_accept_or_return(in_rectification, cast, photo):
    hazard = HAZARD_WORKFLOW.perform(
        in_rectification, "submit_rectification", actor=cast.enterprise_user, note="x", photos=[photo()]
    )
    for name in ("accept", "return"):
        with pytest.raises(PermissionDenied):
            HAZARD_WORKFLOW.perform(hazard, name, actor=cast.enterprise_user, note="x", photos=[photo()])
    unchanged(hazard, status=HazardStatus.AWAITING_ACCEPTANCE, entries=3)


def test_other_enterprise_and_sibling_district_may_not_act(in_rectification, cast, photo):
    from lianqi.accounts.models import Membership, User

    other = User.objects.create_user("other_ent", password="x" * 12)
    Membership.objects.create(user=other, role="enterprise", enterprise=cast.enterprise_b)
    with pytest.raises(PermissionDenied):
        HAZARD_WORKFLOW.perform(in_rectification, "submit_rectification", actor=other, note="x", photos=[photo()])
    assert not Hazard.objects.visible_to(other).filter(pk=in_rectification.pk).exists()
    assert not Hazard.objects.visible_to(cast.official_b).filter(pk=in_rectification.pk).exists()


def test_major_hazard_needs_the_six_part_plan_before_submission(cast, photo):
    cast.enterprise_a.sector_department = cast.department_a
    cast.enterprise_a.save()
    hazard = services.report_hazard(
        actor=cast.inspector_a,
        enterprise=cast.enterprise_a,
        category="hazardous_chemicals",
        grade="major",
        description="储罐区未设置紧急切断装置",
    )
    hazard = HAZARD_WORKFLOW.perform(hazard, "issue_order", actor=cast.inspector_a, deadline=TOMORROW())
    with pytest.raises(WorkflowError) as error:
        HAZARD_WORKFLOW.perform(hazard, "submit_rectification", actor=cast.enterprise_user, note="x", photos=[photo()])
    assert error.value.code == "plan_required"
    unchanged(hazard, status=HazardStatus.RECTIFYING, entries=2)
    with pytest.raises(WorkflowError) as incomplete:
        services.save_plan(hazard, actor=cast.enterprise_user, goal="加装切断阀")
    assert "measures" in incomplete.value.message_dict
    services.save_plan(
        hazard,
        actor=cast.enterprise_user,
        goal="加装切断阀",
        measures="采购安装",
        funds_and_materials="20万元",
        responsible_people="孙立华",
        time_limits="30日",
        safety_and_emergency="停用储罐，编制应急预案",
    )
    hazard = HAZARD_WORKFLOW.perform(
        hazard, "submit_rectification", actor=cast.enterprise_user, note="已安装", photos=[photo()]
    )
    assert hazard.status == HazardStatus.AWAITING_ACCEPTANCE


def test_dismiss_is_for_the_office_with_a_reason(hazard, cast):
    with pytest.raises(PermissionDenied):
        HAZARD_WORKFLOW.perform(hazard, "dismiss", actor=cast.inspector_a, note="重复")
    with pytest.raises(WorkflowError):
        HAZARD_WORKFLOW.perform(hazard, "dismiss", actor=cast.office)
    hazard = HAZARD_WORKFLOW.perform(hazard, "dismiss", actor=cast.office, note="重复举报")
    assert hazard.status == HazardStatus.DISMISSED


def test_stale_version_is_refused_with_a_reload_message(hazard, cast):
    with pytest.raises(StaleObject) as error:
        HAZARD_WORKFLOW.perform(
            hazard, "issue_order", actor=cast.inspector_a, deadline=TOMORROW(), expected_version=hazard.version + 5
        )
    assert error.value.code == "stale"
    unchanged(hazard, status=HazardStatus.REPORTED, entries=1)


def test_extension_before_the_deadline_is_approved_and_the_original_stays(in_rectification, cast):
    hazard = in_rectification
    original = hazard.deadline
    extension = services.request_extension(
        hazard, actor=cast.enterprise_user, new_deadline=original + datetime.timedelta(days=10), reason="设备到货延迟"
    )
    with pytest.raises(WorkflowError):
        services.request_extension(
            hazard, actor=cast.enterprise_user, new_deadline=original + datetime.timedelta(days=12), reason="again"
        )
    with pytest.raises(PermissionDenied):
        services.decide_extension(extension, actor=cast.enterprise_user, approve=True)
    services.decide_extension(extension, actor=cast.inspector_a, approve=True)
    hazard.refresh_from_db()
    assert hazard.deadline == original + datetime.timedelta(days=10)
    assert hazard.original_deadline == original


def test_extension_after_the_deadline_is_refused(in_rectification, cast):
    hazard = in_rectification
    with pytest.raises(WorkflowError) as error:
        services.request_extension(
            hazard,
            actor=cast.enterprise_user,
            new_deadline=hazard.deadline + datetime.timedelta(days=3),
            reason="late",
            today=hazard.deadline + datetime.timedelta(days=1),
        )
    assert error.value.code == "too_late"
    assert not hazard.extensions.exists()


def test_extension_must_move_the_deadline_later_and_refusal_needs_a_reason(in_rectification, cast):
    hazard = in_rectification
    with pytest.raises(WorkflowError) as error:
        services.request_extension(hazard, actor=cast.enterprise_user, new_deadline=hazard.deadline, reason="x")
    assert "new_deadline" in error.value.message_dict
    extension = services.request_extension(
        hazard, actor=cast.enterprise_user, new_deadline=hazard.deadline + datetime.timedelta(days=2), reason="x"
    )
    with pytest.raises(WorkflowError):
        services.decide_extension(extension, actor=cast.inspector_a, approve=False)
    services.decide_extension(extension, actor=cast.inspector_a, approve=False, note="理由不充分")
    hazard.refresh_from_db()
    assert hazard.deadline == hazard.original_deadline


def test_listed_supervision_only_for_major_hazards_by_the_office(hazard, cast):
    with pytest.raises(WorkflowError):
        services.list_for_supervision(
            hazard, actor=cast.office, level="city", body="市安委办", notice="江安委〔2026〕1号"
        )
    Hazard.objects.filter(pk=hazard.pk).update(grade="major")
    hazard.refresh_from_db()
    with pytest.raises(PermissionDenied):
        services.list_for_supervision(hazard, actor=cast.inspector_a, level="city", body="x", notice="y")
    services.list_for_supervision(hazard, actor=cast.office, level="city", body="市安委办", notice="江安委〔2026〕1号")
    hazard.refresh_from_db()
    assert hazard.is_listed and hazard.listing_notice == "江安委〔2026〕1号"


def test_public_report_goes_to_the_office_queue(cast):
    hazard = services.report_public(
        jurisdiction=cast.street_a, description="路边燃气管道漏气", category="gas_lpg", location="东湖路12号"
    )
    assert hazard.status == HazardStatus.REPORTED and hazard.enterprise is None
    assert Notification.objects.filter(recipient=cast.office, event__kind="hazard.reported").exists()
    with pytest.raises(WorkflowError) as error:
        HAZARD_WORKFLOW.perform(hazard, "issue_order", actor=cast.office, deadline=TOMORROW())
    assert error.value.code == "no_enterprise"
    services.link_enterprise(hazard, cast.enterprise_a, actor=cast.office)
    hazard = HAZARD_WORKFLOW.perform(hazard, "issue_order", actor=cast.office, deadline=TOMORROW())
    assert hazard.status == HazardStatus.RECTIFYING


def test_an_inspection_finding_becomes_a_hazard_once(cast, photo):
    from lianqi.checklists.tests.factories import make_version
    from lianqi.inspections.choices import InspectionKind
    from lianqi.inspections.models import Finding, Photo
    from lianqi.inspections.services import plan_inspection

    inspection = plan_inspection(
        actor=cast.office,
        kind=InspectionKind.ROUTINE,
        enterprise=cast.enterprise_a,
        template_version=make_version(),
        planned_date=timezone.localdate(),
        inspectors=[cast.inspector_a],
    )
    picture = Photo.objects.create(inspection=inspection, item_code="S1.1", image=photo(), uploaded_by=cast.inspector_a)
    finding = Finding.objects.create(
        inspection=inspection,
        item_code="S1.1",
        item_text_zh="安全出口是否畅通",
        description="安全出口被锁闭",
        proposed_category="fire",
        proposed_grade="general",
        clause="GB 35181-2017 第 7.3.6 条",
        created_by=cast.inspector_a,
    )
    finding.photos.add(picture)
    hazard = services.from_finding(finding, actor=cast.inspector_a)
    assert hazard.finding == finding and hazard.source == "inspection" and hazard.found_by == cast.inspector_a
    assert hazard.standard_clause.startswith("GB 35181") and hazard.category == "fire"
    assert HAZARD_WORKFLOW.timeline(hazard)[0].attachments.count() == 1
    with pytest.raises(WorkflowError) as error:
        services.from_finding(finding, actor=cast.inspector_a)
    assert error.value.code == "duplicate"
    with pytest.raises(PermissionDenied):
        services.from_finding(finding, actor=cast.official_b)

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from lianqi.notifications.models import Notification
from lianqi.tasks.choices import AssignmentStatus
from lianqi.tasks.models import Task
from lianqi.tasks.services import deploy_task
from lianqi.tasks.workflow import TASK_WORKFLOW
from lianqi.workflows.engine import WorkflowError

pytestmark = pytest.mark.django_db


def soon(days=10):
    return timezone.localdate() + datetime.timedelta(days=days)


def evidence():
    return SimpleUploadedFile("report.pdf", b"%PDF-1.4 progress report", content_type="application/pdf")


@pytest.fixture
def task(cast):
    return deploy_task(
        actor=cast.office,
        title="开展危化品企业专项检查",
        description="10日内完成辖区危化品企业全覆盖检查",
        deadline=soon(),
        jurisdiction=cast.city,
        departments=[cast.department_a],
        jurisdictions=[cast.district_b],
        source="meeting",
        source_note="全市安全生产电视电话会议",
    )


def test_deploy_creates_one_assignment_per_assignee_and_notifies_them(task, cast):
    assert task.assignments.count() == 2
    assert Notification.objects.filter(recipient=cast.dept_a, event__kind="task.deployed", channel="inapp").exists()
    assert Notification.objects.filter(recipient=cast.official_b, event__kind="task.deployed", channel="inapp").exists()


def test_deploy_rules(cast):
    with pytest.raises(PermissionDenied):
        deploy_task(
            actor=cast.inspector_a,
            title="x",
            deadline=soon(),
            jurisdiction=cast.street_a,
            departments=[cast.department_a],
        )
    with pytest.raises(PermissionDenied):  # a district leader cannot deploy at city level
        deploy_task(
            actor=cast.official_a, title="x", deadline=soon(), jurisdiction=cast.city, departments=[cast.department_a]
        )
    with pytest.raises(WorkflowError) as error:
        deploy_task(
            actor=cast.office,
            title="",
            deadline=timezone.localdate() - datetime.timedelta(days=1),
            jurisdiction=cast.city,
        )
    assert {"title", "deadline", "departments"} <= set(error.value.message_dict)
    assert not Task.objects.exists()


def test_assignee_reports_progress_and_completion_deployer_accepts(task, cast):
    assignment = task.assignments.get(department=cast.department_a)
    assignment = TASK_WORKFLOW.perform(assignment, "start", actor=cast.dept_a)
    assignment = TASK_WORKFLOW.perform(
        assignment, "report_progress", actor=cast.dept_a, note="已检查 12 家", progress=40
    )
    assert assignment.progress == 40 and assignment.status == AssignmentStatus.IN_PROGRESS
    with pytest.raises(WorkflowError) as error:
        TASK_WORKFLOW.perform(assignment, "submit", actor=cast.dept_a, note="完成")
    assert "attachments" in error.value.message_dict
    assignment = TASK_WORKFLOW.perform(
        assignment, "submit", actor=cast.dept_a, note="全部完成", attachments=[evidence()]
    )
    assert assignment.status == AssignmentStatus.SUBMITTED and assignment.progress == 100
    assert Notification.objects.filter(recipient=cast.office, event__kind="task.submit").exists()
    with pytest.raises(PermissionDenied):
        TASK_WORKFLOW.perform(assignment, "accept", actor=cast.dept_a)
    assignment = TASK_WORKFLOW.perform(assignment, "return", actor=cast.office, note="缺少台账")
    assert assignment.status == AssignmentStatus.RETURNED
    assignment = TASK_WORKFLOW.perform(
        assignment, "submit", actor=cast.dept_a, note="补充台账", attachments=[evidence()]
    )
    assignment = TASK_WORKFLOW.perform(assignment, "accept", actor=cast.office)
    assert assignment.status == AssignmentStatus.ACCEPTED and task.progress()["done"] == 1


def test_someone_else_cannot_act_for_the_assignee(task, cast):
    assignment = task.assignments.get(department=cast.department_a)
    with pytest.raises(PermissionDenied):
        TASK_WORKFLOW.perform(assignment, "start", actor=cast.official_b)
    assert not Task.objects.visible_to(cast.enterprise_user).exists()


def test_progress_must_be_a_percentage(task, cast):
    assignment = TASK_WORKFLOW.perform(task.assignments.get(department=cast.department_a), "start", actor=cast.dept_a)
    with pytest.raises(WorkflowError):
        TASK_WORKFLOW.perform(assignment, "report_progress", actor=cast.dept_a, note="x", progress=140)
    assignment.refresh_from_db()
    assert assignment.progress == 0


def test_sub_tasks_decompose_a_task_and_cannot_outlast_it(task, cast):
    sub = deploy_task(
        actor=cast.dept_a,
        title="东湖区危化品企业检查",
        deadline=soon(5),
        jurisdiction=cast.district_a,
        jurisdictions=[cast.street_a],
        parent=task,
    )
    assert sub.parent == task and task.subtasks.count() == 1
    with pytest.raises(WorkflowError):
        deploy_task(
            actor=cast.dept_a,
            title="x",
            deadline=soon(20),
            jurisdiction=cast.district_a,
            jurisdictions=[cast.street_a],
            parent=task,
        )


def test_scoping_of_tasks(task, cast):
    assert Task.objects.visible_to(cast.dept_a).filter(pk=task.pk).exists()  # assigned department
    assert Task.objects.visible_to(cast.official_b).filter(pk=task.pk).exists()  # assigned district
    other = deploy_task(
        actor=cast.official_b,
        title="西山区内部任务",
        deadline=soon(),
        jurisdiction=cast.district_b,
        jurisdictions=[cast.district_b],
    )
    assert not Task.objects.visible_to(cast.official_a).filter(pk=other.pk).exists()


def test_api_deploy_and_steps(as_token, cast):
    office = as_token(cast.office)
    bad = office.post("/api/v1/tasks/", {"title": ""}, format="json")
    assert bad.status_code == 400 and {"title", "deadline", "jurisdiction"} <= set(bad.json()["errors"])
    created = office.post(
        "/api/v1/tasks/",
        {
            "title": "迎汛检查",
            "deadline": soon().isoformat(),
            "jurisdiction": cast.city.pk,
            "departments": [cast.department_a.pk],
        },
        format="json",
    )
    assert created.status_code == 201, created.json()
    assignment_id = created.json()["assignments"][0]["id"]
    dept = as_token(cast.dept_a)
    assert (
        dept.post(f"/api/v1/task-assignments/{assignment_id}/transitions/start/", {}, format="json").status_code == 200
    )
    stale = dept.post(
        f"/api/v1/task-assignments/{assignment_id}/transitions/report_progress/",
        {"note": "x", "version": 0},
        format="json",
    )
    assert stale.status_code == 409
    assert as_token(cast.official_b).get(f"/api/v1/task-assignments/{assignment_id}/").status_code == 404
    assert as_token(cast.inspector_a).post("/api/v1/tasks/", {}, format="json").status_code == 403


def test_pages(client, cast, task):
    client.force_login(cast.dept_a)
    page = client.get(f"/tasks/{task.pk}/")
    assert page.status_code == 200 and "开展危化品企业专项检查" in page.content.decode()
    assert client.get("/tasks/").status_code == 200
    client.force_login(cast.outsider)
    assert client.get(f"/tasks/{task.pk}/").status_code == 404
    client.force_login(cast.office)
    bad = client.post("/tasks/new/", {"title": ""})
    assert bad.status_code == 400 and "title" in bad.context["form"].errors


def test_overdue_task_escalates_to_the_deployer(task, cast):
    import time_machine

    from lianqi.notifications.deadlines import check_deadlines

    tz = timezone.get_fixed_timezone(480)
    with time_machine.travel(datetime.datetime.combine(soon(12), datetime.time(9), tzinfo=tz), tick=False):
        check_deadlines()
    assert Notification.objects.filter(recipient=cast.office, event__kind="task.escalation1").exists()
    assert Notification.objects.filter(recipient=cast.dept_a, event__kind="task.overdue").exists()


def test_only_those_who_may_deploy_see_the_deploy_form(client, cast, task):
    for user in (cast.official_a, cast.office):
        client.force_login(user)
        assert client.get("/tasks/new/").status_code == 200
    for user in (cast.dept_a, cast.inspector_a, cast.enterprise_user, cast.outsider):
        client.force_login(user)
        assert client.get("/tasks/new/").status_code == 403
        assert client.post("/tasks/new/", {"title": "x"}).status_code == 403
    # Department A is assigned the task, so it may decompose it into sub-tasks.
    client.force_login(cast.dept_a)
    assert client.get(f"/tasks/{task.pk}/decompose/").status_code == 200
    assert Task.objects.count() == 1

"""The whole hazard loop in a real browser: an inspector records a hazard and orders its
rectification, the enterprise submits evidence, a different official accepts, and the timeline
shows every step. Screenshots: the timeline, the ledger with an overdue hazard, the inbox."""

import datetime
import io

import pytest
from django.utils import timezone

from lianqi.accounts.tests.factories import PASSWORD
from lianqi.core.tests.browser import SCREENSHOTS, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def jpeg(tmp_path):
    from PIL import Image

    path = tmp_path / "现场照片.jpg"
    buffer = io.BytesIO()
    Image.new("RGB", (480, 320), (180, 60, 40)).save(buffer, format="JPEG")
    path.write_bytes(buffer.getvalue())
    return path


def logout(page):
    page.get_by_test_id("user-menu").click()
    page.get_by_test_id("logout").click()
    page.wait_for_url("**/accounts/login/")


def test_hazard_closed_loop(page, live_server, cast, jpeg):
    cast.enterprise_a.sector_department = cast.department_a
    cast.enterprise_a.save()

    # 1. The inspector records the hazard with a photo.
    login(page, live_server, cast.inspector_a.username, PASSWORD)
    page.goto(f"{live_server.url}/hazards/new/")
    form = page.get_by_test_id("hazard-form")
    form.locator("select[name=enterprise]").select_option(str(cast.enterprise_a.pk))
    form.locator("select[name=category]").select_option("fire")
    form.locator("textarea[name=description]").fill("二楼疏散通道堆放纸箱，安全出口被锁闭")
    form.locator("input[name=location]").fill("成品仓库二楼")
    form.locator("input[name=photos]").set_input_files(str(jpeg))
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    assert page.get_by_test_id("hazard-status").inner_text().strip() == "已上报"
    hazard_url = page.url

    # 2. The inspector orders rectification with a deadline.
    order = page.get_by_test_id("action-issue_order")
    order.locator("input[name='issue_order-deadline']").fill(
        (timezone.localdate() + datetime.timedelta(days=7)).isoformat()
    )
    order.locator("input[name='issue_order-responsible_person']").fill("刘强")
    with page.expect_navigation():
        order.locator("button[type=submit]").click()
    assert page.get_by_test_id("hazard-status").inner_text().strip() == "整改中"
    logout(page)

    # 3. The enterprise submits its rectification with a photo; it sees the order in its inbox.
    login(page, live_server, cast.enterprise_user.username, PASSWORD)
    assert page.get_by_test_id("unread-count").inner_text().strip() != ""
    page.goto(hazard_url)
    submit = page.get_by_test_id("action-submit_rectification")
    submit.locator("textarea[name='submit_rectification-note']").fill("已清理通道，拆除安全出口锁具")
    submit.locator("input[name='submit_rectification-photos']").set_input_files(str(jpeg))
    with page.expect_navigation():
        submit.locator("button[type=submit]").click()
    assert page.get_by_test_id("hazard-status").inner_text().strip() == "待验收"
    assert page.get_by_test_id("action-accept").count() == 0  # the enterprise cannot accept
    logout(page)

    # 4. A different official (the supervising department) accepts with an opinion and photos.
    login(page, live_server, cast.dept_a.username, PASSWORD)
    page.goto(hazard_url)
    accept = page.get_by_test_id("action-accept")
    accept.locator("textarea[name='accept-note']").fill("现场复核，整改到位，同意销号")
    accept.locator("input[name='accept-photos']").set_input_files(str(jpeg))
    with page.expect_navigation():
        accept.locator("button[type=submit]").click()
    assert page.get_by_test_id("hazard-status").inner_text().strip() == "已销号"
    steps = page.locator("[data-testid=timeline] li.timeline-event")
    assert steps.count() == 4
    assert [steps.nth(i).get_attribute("data-action") for i in range(4)] == [
        "reported",
        "issue_order",
        "submit_rectification",
        "accept",
    ]
    images = page.locator("[data-testid=timeline] img")
    assert images.count() == 3
    assert images.first.evaluate("img => img.naturalWidth") > 0  # evidence is served to those who may see it
    page.screenshot(path=str(SCREENSHOTS / "hazard-timeline-zh-hans.png"), full_page=True)


def test_ledger_highlights_overdue_and_inbox(page, live_server, cast):
    from lianqi.hazards import services
    from lianqi.hazards.models import Hazard
    from lianqi.hazards.workflow import HAZARD_WORKFLOW

    cast.enterprise_a.sector_department = cast.department_a
    cast.enterprise_a.save()
    for description, overdue in (("配电箱未接地", True), ("灭火器压力不足", False), ("储罐区报警器失效", True)):
        hazard = services.report_hazard(
            actor=cast.inspector_a, enterprise=cast.enterprise_a, category="fire", description=description
        )
        HAZARD_WORKFLOW.perform(
            hazard, "issue_order", actor=cast.inspector_a, deadline=timezone.localdate() + datetime.timedelta(days=3)
        )
        if overdue:
            Hazard.objects.filter(pk=hazard.pk).update(deadline=timezone.localdate() - datetime.timedelta(days=4))
    login(page, live_server, cast.office.username, PASSWORD)
    page.goto(f"{live_server.url}/hazards/")
    assert page.locator("tr.lq-overdue").count() == 2
    assert page.get_by_test_id("ledger-rates").locator(".text-red").first.inner_text().strip() == "2"
    page.screenshot(path=str(SCREENSHOTS / "hazard-ledger-zh-hans.png"), full_page=True)
    page.get_by_test_id("user-menu").click()
    page.get_by_test_id("logout").click()
    login(page, live_server, cast.enterprise_user.username, PASSWORD)
    page.goto(f"{live_server.url}/inbox/")
    assert page.get_by_test_id("inbox").locator("a").count() >= 3
    page.screenshot(path=str(SCREENSHOTS / "inbox-zh-hans.png"), full_page=True)

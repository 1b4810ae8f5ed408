"""An enterprise raises a difficulty, the lead department replies, the enterprise rates it 2 and
it is back in the command office's queue. Screenshots: the enterprise's page, the department's
queue and the leaders' statistics."""

import pytest

from lianqi.accounts.tests.factories import PASSWORD
from lianqi.core.tests.browser import SCREENSHOTS, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def logout(page):
    page.get_by_test_id("user-menu").click()
    page.get_by_test_id("logout").click()
    page.wait_for_url("**/accounts/login/")


def test_difficulty_reopened_after_a_low_rating(page, live_server, cast):
    from lianqi.appeals.models import Appeal, RoutingRule

    RoutingRule.objects.create(
        appeal_type="raw_materials", jurisdiction=cast.district_a, lead_department=cast.department_a
    )

    login(page, live_server, cast.enterprise_user.username, PASSWORD)
    page.goto(f"{live_server.url}/appeals/new/")
    form = page.get_by_test_id("appeal-form")
    form.locator("select[name=appeal_type]").select_option("raw_materials")
    form.locator("input[name=title]").fill("熔喷布供应不足")
    form.locator("textarea[name=description]").fill("口罩生产线满负荷，熔喷布库存仅够三天，请协调上游供应商。")
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    assert page.get_by_test_id("appeal-status").inner_text().strip() == "已交办部门"
    appeal_url = page.url
    logout(page)

    login(page, live_server, cast.dept_a.username, PASSWORD)
    page.goto(f"{live_server.url}/appeals/?status=assigned")
    assert page.get_by_test_id("appeals").locator("tbody tr").count() == 1
    page.screenshot(path=str(SCREENSHOTS / "appeals-department-queue-zh-hans.png"), full_page=True)
    page.goto(appeal_url)
    with page.expect_navigation():
        page.get_by_test_id("action-accept").locator("button[type=submit]").click()
    reply = page.get_by_test_id("action-reply")
    reply.locator("textarea").fill("已联系两家熔喷布供应商，预计下周二到货 5 吨。")
    with page.expect_navigation():
        reply.locator("button[type=submit]").click()
    assert page.get_by_test_id("appeal-status").inner_text().strip() == "已答复"
    logout(page)

    login(page, live_server, cast.enterprise_user.username, PASSWORD)
    page.goto(appeal_url)
    rating = page.get_by_test_id("rating")
    rating.locator("input[name=rating][value='2']").check()
    rating.locator("input[name=solved][value=no]").check()
    rating.locator("textarea[name=note]").fill("到货时间太晚，生产线将停工")
    with page.expect_navigation():
        rating.locator("button[type=submit]").click()
    assert page.get_by_test_id("appeal-status").inner_text().strip() == "已重新打开"
    page.screenshot(path=str(SCREENSHOTS / "appeal-enterprise-page-zh-hans.png"), full_page=True)
    logout(page)

    login(page, live_server, cast.office.username, PASSWORD)
    page.goto(f"{live_server.url}/appeals/")
    page.get_by_test_id("office-queue").click()
    page.wait_for_load_state()
    rows = page.get_by_test_id("appeals").locator("tbody tr")
    assert rows.count() == 1 and Appeal.objects.get().number in rows.first.inner_text()
    page.goto(f"{live_server.url}/appeals/statistics/")
    page.get_by_test_id("heat-map").locator("canvas").wait_for()
    page.screenshot(path=str(SCREENSHOTS / "appeals-statistics-zh-hans.png"), full_page=True)

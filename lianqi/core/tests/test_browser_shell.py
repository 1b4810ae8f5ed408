"""The shell in a real browser: each demo role logs in, lands on its home page, switches
language and logs out. Screenshots of the login page and every home page in both languages."""

import pytest

from lianqi.core.tests.browser import SCREENSHOTS, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROLE_HOMES = {
    "leader": ("home-leader", "领导总览", "Leader's overview"),
    "office": ("home-office", "指挥办公室", "Command office"),
    "dept": ("home-department", "部门工作台", "Department workbench"),
    "inspector": ("home-inspector", "今日检查", "Inspector's day"),
    "enterprise": ("home-enterprise", "我的企业", "My enterprise"),
    "guard": ("home-guard", "卡口登记", "Checkpoint"),
    "admin": ("home-admin", "系统管理", "System administration"),
}


@pytest.fixture
def demo_city(transactional_db):
    import io

    from django.core.management import call_command
    from django.test.utils import override_settings

    with override_settings(DEBUG=True):  # the test runner turns DEBUG off; seed_demo needs it on
        call_command("seed_demo", stdout=io.StringIO())


def test_login_page_in_both_languages(page, live_server):
    for language, heading in (("zh-hans", "登录您的账号"), ("en", "Log in to your account")):
        page.context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
        page.goto(f"{live_server.url}/accounts/login/")
        assert page.get_by_role("heading", name=heading).is_visible()
        page.screenshot(path=str(SCREENSHOTS / f"login-{language}.png"), full_page=True)


def test_demo_roles_in_the_browser(browser, page, live_server, demo_city):
    """One demo city (seeding takes a while): a wrong password, every role's round trip, and
    the menu on a phone."""
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", "leader")
    page.fill("input[name=password]", "wrong")
    page.click("button[type=submit]")
    assert page.get_by_test_id("form-errors").is_visible()

    for username in ROLE_HOMES:
        _role_round_trip(page, live_server, username)

    _phone_menu(browser, live_server)


def _role_round_trip(page, live_server, username):
    test_id, zh_heading, en_heading = ROLE_HOMES[username]
    login(page, live_server, username, "demo")
    assert page.get_by_test_id(test_id).count() == 1
    # The demo users prefer Chinese: the heading is Chinese first.
    assert page.locator(".page-title").inner_text().strip() == zh_heading
    page.screenshot(path=str(SCREENSHOTS / f"home-{username}-zh-hans.png"), full_page=True)

    page.locator("[data-testid=language-switch] button[data-lang=en]").first.click()
    page.wait_for_load_state()
    assert page.locator(".page-title").inner_text().strip() == en_heading
    page.screenshot(path=str(SCREENSHOTS / f"home-{username}-en.png"), full_page=True)

    # The preference is remembered on the account: a fresh browser context gets English.
    page.get_by_test_id("user-menu").click()
    page.get_by_test_id("logout").click()
    page.wait_for_url("**/accounts/login/")
    login(page, live_server, username, "demo")
    assert page.locator(".page-title").inner_text().strip() == en_heading
    # Switch back so the next run starts from Chinese.
    page.locator("[data-testid=language-switch] button[data-lang=zh-hans]").first.click()
    page.wait_for_load_state()
    assert page.locator(".page-title").inner_text().strip() == zh_heading
    page.get_by_test_id("user-menu").click()
    page.get_by_test_id("logout").click()
    page.wait_for_url("**/accounts/login/")


def _phone_menu(browser, live_server):
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN")
    page = context.new_page()
    login(page, live_server, "inspector", "demo")
    toggler = page.locator(".navbar-toggler")
    assert toggler.is_visible()
    toggler.click()
    page.get_by_role("link", name="辖区").wait_for(state="visible")
    page.screenshot(path=str(SCREENSHOTS / "home-inspector-phone.png"), full_page=True)
    context.close()

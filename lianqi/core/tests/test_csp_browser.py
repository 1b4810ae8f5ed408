"""The Content Security Policy in a real browser: every role's main pages — dashboards with
charts and maps, htmx tabs, the checklist conditions, the guard's offline queue, the API docs,
the Django admin — load and work with no policy violation and no script error."""

import pytest
from playwright.sync_api import expect

from lianqi.checkpoints.personal import make_id_number
from lianqi.core.tests.browser import SCREENSHOTS, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Collected before any page script runs; the policy does not apply to what the test injects.
WATCH = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__violations.push(e.violatedDirective + " blocked " + (e.blockedURI || "inline") + " at " + e.sourceFile + ":" + e.lineNumber);
});
"""


@pytest.fixture
def demo_city(transactional_db, settings, tmp_path):
    import io

    from django.core.management import call_command
    from django.test.utils import override_settings

    settings.MEDIA_ROOT = tmp_path / "media"
    with override_settings(DEBUG=True):  # seed_demo refuses to run otherwise
        call_command("seed_demo", stdout=io.StringIO())


class Watcher:
    """Console errors, uncaught exceptions and CSP violations of one browser context."""

    def __init__(self, page):
        self.problems = []
        page.context.add_init_script(WATCH)
        page.on("console", self._console)
        page.on("pageerror", lambda e: self.problems.append(f"pageerror: {e}"))
        page.on("response", self._response)

    def _console(self, message):
        # A failed load is reported with its address by _response (the browser asks for a
        # /favicon.ico that does not exist; that one is no problem).
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            self.problems.append(f"console: {message.text}")

    def _response(self, response):
        if response.status >= 400 and not response.url.endswith("/favicon.ico"):
            self.problems.append(f"http {response.status}: {response.url}")

    def visit(self, page, url, ready=None):
        response = page.goto(url)
        assert response.status < 400, (url, response.status)
        assert "script-src 'self'" in response.headers.get("content-security-policy", ""), url
        if ready:
            page.wait_for_selector(ready, state="attached")
        self.check(page, url)

    def check(self, page, where):
        page.wait_for_load_state("networkidle")
        violations = page.evaluate("window.__violations || []")
        problems = [f"csp: {v}" for v in violations] + self.problems
        self.problems = []
        assert problems == [], f"{where}: {problems}"


def test_main_pages_of_every_role_run_under_the_policy(browser, page, live_server, demo_city):
    from lianqi.checklists.models import ChecklistTemplate
    from lianqi.enterprises.models import Enterprise
    from lianqi.inspections.models import Inspection
    from lianqi.jurisdictions.models import Jurisdiction

    url = live_server.url
    watch = Watcher(page)

    # Without signing in: the login page, the public report form, published spot-check results.
    for path in ("/accounts/login/", "/hazards/report/", "/spot-checks/public/"):
        watch.visit(page, url + path)

    # The command office: lists, the enterprise map (Leaflet), an htmx tab, the statistics heat
    # map (ECharts), checklist templates with their confirm dialogs, the API docs.
    login(page, live_server, "office")
    watch.check(page, "office home")
    watch.visit(page, f"{url}/enterprises/")
    watch.visit(page, f"{url}/enterprises/map/", ready="#enterprise-map[data-loaded]")
    assert int(page.get_attribute("#enterprise-map", "data-loaded")) > 0  # points drawn
    enterprise = Enterprise.objects.filter(name="江川华兴化工有限公司").first() or Enterprise.objects.first()
    watch.visit(page, f"{url}/enterprises/{enterprise.pk}/")
    second = page.locator("[data-lq-tab]").nth(1)
    second.click()
    expect(second).to_have_class("nav-link active")  # the static script replaced hx-on
    watch.check(page, "enterprise tab")
    watch.visit(page, f"{url}/appeals/statistics/", ready="#heat svg, #heat canvas")
    template = ChecklistTemplate.objects.first()
    watch.visit(page, f"{url}/checklists/{template.pk}/")
    for path in ("/hazards/", "/appeals/", "/inspections/", "/checkpoints/", "/tasks/", "/dashboard/bulletins/"):
        watch.visit(page, url + path)
    watch.visit(page, f"{url}/api/docs/", ready=".swagger-ui .info")
    page.screenshot(path=str(SCREENSHOTS / "csp-api-docs.png"))

    # A leader's dashboard: the trend chart and the map.
    page.context.clear_cookies()
    login(page, live_server, "district_leader")
    district = Jurisdiction.objects.get(code="419902")
    watch.visit(page, f"{url}/dashboard/{district.pk}/", ready="#trend[data-ready]")
    page.screenshot(path=str(SCREENSHOTS / "csp-dashboard.png"))

    # An inspector conducting an inspection (answers saved by htmx, conditional items).
    page.context.clear_cookies()
    login(page, live_server, "inspector")
    watch.check(page, "inspector home")
    inspection = Inspection.objects.filter(
        status__in=["planned", "in_progress"], inspectors__username="inspector"
    ).first()
    watch.visit(page, f"{url}/inspections/{inspection.pk}/conduct/")
    radio = page.locator("form.lq-answer input[type=radio]").first
    page.click(f"label[for='{radio.get_attribute('id')}']")  # the button-style label
    page.wait_for_selector("[data-testid^=saved-]", state="attached")
    watch.check(page, "answer saved by htmx")

    # The enterprise's own pages.
    page.context.clear_cookies()
    login(page, live_server, "enterprise")
    watch.check(page, "enterprise home")
    for path in ("/reports/", "/hazards/", "/appeals/new/"):
        watch.visit(page, url + path)

    # The guard: one entry online, one queued offline and sent when the network returns.
    page.context.clear_cookies()
    login(page, live_server, "guard")
    page.get_by_test_id("open-guard-page").click()
    page.wait_for_load_state("networkidle")
    watch.check(page, "guard page")
    rows = page.get_by_test_id("entry-row")
    before = rows.count()
    _register(page, 1, "刘强", "13900000001")
    expect(rows).to_have_count(before + 1)
    page.context.set_offline(True)
    _register(page, 2, "陈静", "13900000002")
    expect(page.get_by_test_id("queued-row")).to_have_count(1)
    page.context.set_offline(False)
    expect(page.get_by_test_id("queue")).to_be_hidden(timeout=20_000)
    expect(rows).to_have_count(before + 2)
    # Offline, the browser reports the failed fetch as an error; what matters here is that the
    # policy blocked nothing.
    watch.problems = [p for p in watch.problems if "ERR_INTERNET_DISCONNECTED" not in p and "Failed to fetch" not in p]
    watch.check(page, "guard offline queue")

    # The system administrator in the Django admin.
    page.context.clear_cookies()
    login(page, live_server, "admin")
    for path in ("/admin/", "/admin/accounts/user/", "/admin/accounts/user/add/"):
        watch.visit(page, url + path)


def _register(page, index, name, phone):
    page.fill("#f-id", make_id_number("419902", "19880515", 400 + index))
    page.fill("#f-name", name)
    page.fill("#f-phone", phone)
    page.click("label[for=code-green]")
    page.fill("#f-temp", "36.5")
    page.fill("#f-origin", "东湖区")
    page.get_by_test_id("register").click()


def test_a_violation_would_be_seen(page, live_server):
    """The watcher is not blind: an inline script injected into a served page is reported."""
    watch = Watcher(page)
    page.goto(f"{live_server.url}/accounts/login/")
    page.evaluate(
        """() => { const s = document.createElement("script"); s.textContent = "window.__ran = 1"; document.body.appendChild(s); }"""
    )
    page.wait_for_timeout(200)
    assert page.evaluate("window.__ran") is None  # the policy stopped it
    with pytest.raises(AssertionError, match="script-src"):
        watch.check(page, "injected")

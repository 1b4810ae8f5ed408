"""Browser: the demo enterprise sends today's report with one tap and the district leader's
dashboard shows the changed rate; screenshots of the dashboard (desktop and phone) and of the
first two pages of a bulletin PDF, in zh-Hans."""

import datetime
import io
import re
import shutil
import subprocess

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from lianqi.core.tests.browser import SCREENSHOTS, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo_city(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    with override_settings(DEBUG=True):
        call_command("seed_demo", stdout=io.StringIO())


def _rate(page, key) -> str:
    return page.locator(f'[data-testid="rate-{key}"] .lq-stat').inner_text().strip()


def test_one_tap_report_moves_the_district_dashboard(page, live_server, demo_city, browser):
    from lianqi.jurisdictions.models import Jurisdiction

    district = Jurisdiction.objects.get(code="419902")  # 东湖区, the demo enterprise's district
    login(page, live_server, "district_leader")
    page.goto(f"{live_server.url}/dashboard/{district.pk}/")
    before = _rate(page, "reporting_rate")
    page.context.clear_cookies()

    login(page, live_server, "enterprise")
    card = page.locator('[data-testid="todays-report-card"]')
    card.locator('[data-testid="one-tap"]').click()
    page.wait_for_load_state()
    page.goto(f"{live_server.url}/")
    assert "已" in card.inner_text() or "Sent" in card.inner_text()
    page.screenshot(path=str(SCREENSHOTS / "reporting-enterprise-home-after-tap.png"), full_page=True)
    page.context.clear_cookies()

    login(page, live_server, "district_leader")
    page.goto(f"{live_server.url}/dashboard/{district.pk}/")
    after = _rate(page, "reporting_rate")
    assert float(after.rstrip("%")) > float(before.rstrip("%")), (before, after)


def test_dashboard_screenshots_desktop_and_phone(page, live_server, demo_city, browser):
    login(page, live_server, "leader")
    page.goto(f"{live_server.url}/dashboard/")
    page.wait_for_selector('#trend[data-ready="1"]')
    page.wait_for_timeout(500)
    page.screenshot(path=str(SCREENSHOTS / "dashboard-city-desktop.png"), full_page=True)
    # The "?" opens the definition (no hover needed on a phone).
    page.locator('[data-testid="rate-resumption_rate"] summary').click()
    assert "÷" in page.locator('[data-testid="rate-resumption_rate"]').inner_text()
    # Drill down to a district.
    page.locator('[data-testid="drill-down"] a').first.click()
    page.wait_for_selector('#trend[data-ready="1"]')

    phone = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN", timezone_id="Asia/Shanghai")
    tab = phone.new_page()
    login(tab, live_server, "leader")
    started = timezone.now()
    tab.goto(f"{live_server.url}/dashboard/")
    tab.wait_for_selector('#trend[data-ready="1"]')
    assert (timezone.now() - started) < datetime.timedelta(seconds=10)
    tab.wait_for_timeout(500)
    tab.screenshot(path=str(SCREENSHOTS / "dashboard-city-phone.png"), full_page=True)
    phone.close()


def test_bulletin_pdf_pages_as_images(live_server, demo_city, tmp_path):
    from lianqi.accounts.models import User
    from lianqi.dashboards import bulletins
    from lianqi.jurisdictions.models import Jurisdiction

    if not shutil.which("pdftoppm"):
        pytest.skip("pdftoppm (poppler-utils) is not installed")
    city = Jurisdiction.objects.get(code="419900")
    today = timezone.localdate()
    office = User.objects.get(username="office")
    start, end = bulletins.period_of("monthly", today - datetime.timedelta(days=today.day))
    bulletin = bulletins.request_bulletin(city, "monthly", start, end, actor=office)
    bulletin = bulletins.generate(bulletin.pk, send=False)
    pdf = tmp_path / "bulletin.pdf"
    pdf.write_bytes(bulletin.pdf.read())
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    subprocess.run(  # noqa: S603
        ["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "2", str(pdf), str(SCREENSHOTS / "bulletin-page")],  # noqa: S607
        check=True,
    )
    pages = sorted(p.name for p in SCREENSHOTS.glob("bulletin-page-*.png"))
    assert len([p for p in pages if re.match(r"bulletin-page-0?[12]\.png", p)]) == 2

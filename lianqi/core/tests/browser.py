"""Browser fixtures shared by every app's Playwright tests (registered in conftest.py through
``pytest_plugins``).

    pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

    def test_something(page, live_server):
        login(page, live_server, "office", "demo")
        page.screenshot(path=str(SCREENSHOTS / "something.png"))

``browser`` is one headless Debian Chromium per test session; ``page`` is a fresh context (own
cookies) per test, 1280×900 unless the test is parametrised indirectly with another viewport:
``@pytest.mark.parametrize("page", [{"width": 390, "height": 844}], indirect=True)``.
Without /usr/bin/chromium the tests are skipped with the reason, except in CI (``CI=true``),
where a missing browser is a failure.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = Path(__file__).resolve().parents[3] / "test-artifacts" / "screenshots"
DEFAULT_VIEWPORT = {"width": 1280, "height": 900}


def _require_chromium():
    if CHROMIUM.exists():
        return
    reason = f"Chromium is not installed at {CHROMIUM} (apt-get install chromium); browser tests need it."
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(reason)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser():
    _require_chromium()
    from playwright.sync_api import sync_playwright

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        yield instance
        instance.close()


@pytest.fixture
def page(browser, request):
    viewport = getattr(request, "param", None) or DEFAULT_VIEWPORT
    context = browser.new_context(viewport=viewport, locale="zh-CN", timezone_id="Asia/Shanghai")
    context.set_default_timeout(15_000)
    tab = context.new_page()
    yield tab
    context.close()


def login(page, live_server, username: str, password: str = "demo") -> None:
    """Log in through the login form and wait for the home page."""
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    with page.expect_navigation():
        page.click("button[type=submit]")
    if "/accounts/login/" in page.url:
        raise AssertionError(f"Login as {username!r} failed; still on {page.url}")

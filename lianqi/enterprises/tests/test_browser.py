"""The registry in a real browser (zh-Hans): list, map, detail and an import from upload to
confirmation. Screenshots go to test-artifacts/screenshots/."""

import pytest

from lianqi.core.tests.browser import SCREENSHOTS, login

from .conftest import xlsx_bytes

# The flush after each test empties the GB/T 4754 table; factories and seed_demo reload it.
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo_city(transactional_db, settings, tmp_path):
    from django.core.management import call_command

    settings.DEBUG = True  # seed_demo refuses to run otherwise
    with open(tmp_path / "seed.log", "w") as log:
        call_command("seed_demo", stdout=log)
    settings.DEBUG = False


def shot(page, name):
    page.screenshot(path=str(SCREENSHOTS / f"enterprises-{name}.png"), full_page=True)


def test_list_map_and_detail(page, live_server, demo_city):
    login(page, live_server, "office", "demo")
    page.goto(f"{live_server.url}/enterprises/")
    rows = page.get_by_test_id("enterprise-table").locator("tbody tr")
    assert rows.count() == 50
    shot(page, "list")

    with page.expect_response(lambda r: "q=hxhg" in r.url):
        page.get_by_test_id("search").press_sequentially("hxhg")  # pinyin initials of 华兴化工
    page.wait_for_timeout(300)
    names = page.get_by_test_id("enterprise-table").locator("tbody tr td:first-child a").all_inner_texts()
    assert "江川华兴化工有限公司" in names and all("华兴化工" in n for n in names)
    assert "q=hxhg" in page.url  # the filtered list is in the address bar

    page.goto(f"{live_server.url}/enterprises/map/?flags=hazardous_chemicals")
    page.wait_for_selector("#enterprise-map[data-loaded]")
    assert int(page.get_attribute("#enterprise-map", "data-loaded")) > 10
    assert page.locator(".leaflet-overlay-pane canvas").count() == 1  # points drawn on a canvas (fast for thousands)
    shot(page, "map")

    page.goto(f"{live_server.url}/enterprises/")
    page.get_by_test_id("search").fill("华兴化工")
    with page.expect_response(lambda r: "q=" in r.url):
        page.get_by_test_id("search").press("Enter")
    page.wait_for_timeout(300)
    page.get_by_role("link", name="江川华兴化工有限公司").first.click()
    page.wait_for_selector("[data-testid=enterprise-tabs]")
    assert "91419902" in page.inner_text("#tab-panel")
    shot(page, "detail")
    page.get_by_test_id("enterprise-tabs").locator("a").nth(1).click()
    page.wait_for_selector("[data-testid=officials-table]")
    shot(page, "detail-officials")


def test_upload_preview_and_confirm(page, live_server, demo_city, tmp_path):
    header = ["统一社会信用代码", "企业名称", "属地区划代码", "行业代码", "风险等级", "重点企业", "安全负责人电话"]
    from lianqi.enterprises import credit_code

    good = [
        [
            credit_code.make(f"91419902{n:09d}"[:17]),
            f"江川浏览器测试食品有限公司{n}",
            "419902001",
            "143",
            "一般",
            "否",
            "13800000000",
        ]
        for n in range(900, 905)
    ]
    bad = [*good, ["91419902000000901X", "坏行", "419902001", "143", "紫色", "否", "123"]]
    login(page, live_server, "office", "demo")

    page.goto(f"{live_server.url}/enterprises/import/")
    (tmp_path / "bad.xlsx").write_bytes(xlsx_bytes([header, *bad]))
    page.set_input_files("input[name=file]", str(tmp_path / "bad.xlsx"))
    page.get_by_test_id("import-upload").click()
    page.wait_for_selector("[data-testid=import-preview]")
    errors = page.get_by_test_id("import-errors").locator("tbody tr")
    assert errors.count() == 3  # credit code, risk tier, phone — all on row 7
    assert page.get_by_test_id("import-confirm").count() == 0
    shot(page, "import-preview-errors")

    page.goto(f"{live_server.url}/enterprises/import/")
    (tmp_path / "good.xlsx").write_bytes(xlsx_bytes([header, *good]))
    page.set_input_files("input[name=file]", str(tmp_path / "good.xlsx"))
    page.get_by_test_id("import-upload").click()
    page.wait_for_selector("[data-testid=import-confirm]")
    shot(page, "import-preview")
    page.get_by_test_id("import-confirm").click()
    page.wait_for_selector("[data-testid=import-result]")
    assert "5" in page.get_by_test_id("import-result").inner_text()
    shot(page, "import-done")

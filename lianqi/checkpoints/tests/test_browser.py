"""The guard's phone in a real browser: three entries online, the network drops, two are queued
on the phone, the network returns and all five reach the server exactly once; a fever entry
raises an alert the owner sees. Screenshots: the guard page online and with a queue, the refusal,
the owner's alert."""

import pytest
from playwright.sync_api import expect

from lianqi.accounts.tests.factories import PASSWORD
from lianqi.checkpoints.personal import make_id_number
from lianqi.core.tests.browser import SCREENSHOTS, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}
PEOPLE = [
    ("刘强", "13900000001", "36.4"),
    ("陈静", "13900000002", "36.7"),
    ("杨洋", "13900000003", "36.5"),
    ("赵磊", "13900000004", "36.6"),
    ("黄敏", "13900000005", "36.3"),
]


def register(page, index, name, phone, temperature, code="green"):
    page.fill("#f-id", make_id_number("419902", "19880515", 300 + index).lower())
    page.fill("#f-name", name)
    page.fill("#f-phone", phone)
    page.click(f"label[for=code-{code}]")
    page.fill("#f-temp", temperature)
    page.fill("#f-origin", "东湖区")
    page.get_by_test_id("register").click()


@pytest.mark.parametrize("page", [PHONE], indirect=True)
def test_guard_registers_offline_and_online_and_the_owner_sees_the_fever_alert(
    page, live_server, cast, guard, checkpoint
):
    from lianqi.checkpoints.models import Alert, Entry

    cast.enterprise_user.phone = "13700000009"
    cast.enterprise_user.save()
    login(page, live_server, guard.username, PASSWORD)
    expect(page.get_by_test_id("guard-card")).to_be_visible()
    page.screenshot(path=str(SCREENSHOTS / "checkpoint-guard-home.png"), full_page=True)
    page.get_by_test_id("open-guard-page").click()
    rows = page.get_by_test_id("entry-row")

    # 1. Three entries while online.
    for index, (name, phone, temperature) in enumerate(PEOPLE[:3]):
        register(page, index, name, phone, temperature)
        expect(rows).to_have_count(index + 1)
        expect(page.get_by_test_id("result")).to_contain_text(name)
    expect(page.get_by_test_id("result")).to_have_class("lq-result lq-result-admitted")
    page.screenshot(path=str(SCREENSHOTS / "checkpoint-guard-online.png"), full_page=True)
    assert Entry.objects.count() == 3

    # 2. The network drops: two more are kept on the phone.
    page.context.set_offline(True)
    expect(page.get_by_test_id("net-status")).to_have_attribute("data-state", "offline")
    for index, (name, phone, temperature) in enumerate(PEOPLE[3:], start=3):
        register(page, index, name, phone, temperature)
        expect(page.get_by_test_id("queue-count")).to_have_text(str(index - 2))
    expect(page.get_by_test_id("queued-row")).to_have_count(2)
    expect(page.get_by_test_id("result")).to_have_class("lq-result lq-result-queued")
    page.screenshot(path=str(SCREENSHOTS / "checkpoint-guard-queue.png"), full_page=True)
    assert Entry.objects.count() == 3

    # 3. The network returns: the queue is sent by itself, exactly once.
    page.context.set_offline(False)
    expect(page.get_by_test_id("queue")).to_be_hidden(timeout=20_000)
    expect(rows).to_have_count(5)
    assert Entry.objects.count() == 5
    assert sorted(Entry.objects.values_list("name", flat=True)) == sorted(p[0] for p in PEOPLE)
    assert Entry.objects.values("client_id").distinct().count() == 5
    page.reload()  # nothing left in the phone's queue to send twice
    expect(rows).to_have_count(5)
    expect(page.get_by_test_id("queue")).to_be_hidden()
    assert Entry.objects.count() == 5

    # 4. A fever: the page warns before sending, the server refuses, the owner is alerted.
    page.fill("#f-temp", "38.2")
    expect(page.get_by_test_id("rule-warning")).to_be_visible()
    page.fill("#f-temp", "")
    register(page, 9, "周杰", "13900000009", "38.2")
    expect(page.get_by_test_id("result")).to_have_class("lq-result lq-result-refused")
    expect(page.get_by_test_id("result")).to_contain_text("周杰")
    page.screenshot(path=str(SCREENSHOTS / "checkpoint-guard-refused.png"), full_page=True)
    assert Alert.objects.get().reason_list == ["fever"]

    page.context.clear_cookies()
    login(page, live_server, cast.enterprise_user.username, PASSWORD)
    expect(page.get_by_test_id("unread-count")).to_be_visible()
    page.get_by_test_id("inbox-link").click()
    link = page.get_by_text("周*", exact=False).first
    expect(link).to_be_visible()
    link.click()
    expect(page.get_by_test_id("alert")).to_contain_text("38.2")
    expect(page.get_by_test_id("alert-status")).to_have_attribute("data-status", "open")
    page.screenshot(path=str(SCREENSHOTS / "checkpoint-alert-owner.png"), full_page=True)
    page.get_by_test_id("follow-up-form").locator("select[name=action]").select_option("sent_to_clinic")
    page.get_by_test_id("follow-up-form").locator("textarea[name=note]").fill("厂医陪同送发热门诊")
    with page.expect_navigation():
        page.get_by_test_id("follow-up-form").locator("button[type=submit]").click()
    expect(page.get_by_test_id("follow-ups")).to_contain_text("厂医陪同送发热门诊")

"""The phone form in a real browser: answer, photo, reload, submit. Screenshots of the phone
form, the template editor and the public spot-check results."""

import pytest
from django.utils import timezone

from lianqi.core.tests.browser import SCREENSHOTS, login

from .conftest import png_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def demo_city(transactional_db, settings, tmp_path):
    from django.core.management import call_command

    settings.MEDIA_ROOT = tmp_path / "media"
    settings.DEBUG = True  # seed_demo refuses to run otherwise
    with open(tmp_path / "seed.log", "w") as log:
        call_command("seed_demo", stdout=log)
    settings.DEBUG = False


@pytest.fixture
def todays(demo_city):
    """Today's inspection of an enterprise in 东湖街道 for the demo inspector, with the small
    test checklist (so the test can answer every item)."""
    from lianqi.accounts.models import User
    from lianqi.checklists.tests.factories import make_version
    from lianqi.enterprises.models import Enterprise
    from lianqi.inspections.choices import InspectionKind
    from lianqi.inspections.services import plan_inspection

    enterprise = Enterprise.objects.filter(jurisdiction__name_zh="东湖街道").order_by("pk").first()
    return plan_inspection(
        actor=None,
        kind=InspectionKind.ROUTINE,
        title="手机端测试检查",
        enterprise=enterprise,
        template_version=make_version(),
        planned_date=timezone.localdate(),
        inspectors=[User.objects.get(username="inspector")],
    )


@pytest.mark.parametrize("page", [PHONE], indirect=True)
def test_inspector_answers_on_a_phone_reloads_and_submits(page, live_server, todays, tmp_path):
    from lianqi.inspections.models import Answer, Finding, Inspection

    login(page, live_server, "inspector")
    page.locator(f"[data-testid=today-inspection][href$='/inspections/{todays.pk}/conduct/']").click()
    page.wait_for_selector("[data-testid=conduct-form]")

    def saved(code):
        page.wait_for_selector(f"[data-testid='saved-{code}']", state="attached")
        # htmx binds the swapped-in item's triggers when it settles (it drops .htmx-added then);
        # an answer typed before that would not be sent.
        page.wait_for_function("() => !document.querySelector('.htmx-added')")

    item = page.get_by_test_id("item-S1.2")
    assert not item.is_visible()  # shown only when LPG is used
    page.locator("label[for='a-S1.1-yes']").click()
    saved("S1.1")
    assert page.get_by_test_id("item-S1.2").is_visible()
    page.locator("label[for='a-S1.2-no']").click()
    saved("S1.2")
    page.locator("[data-testid='item-S1.3'] input[name=value]").fill("8")
    page.locator("[data-testid='item-S1.3'] input[name=value]").dispatch_event("change")
    saved("S1.3")
    # A number outside the limits is refused with a message; the saved value stays.
    page.locator("[data-testid='item-S1.3'] input[name=value]").fill("80")
    page.locator("[data-testid='item-S1.3'] input[name=value]").dispatch_event("change")
    page.wait_for_selector("[data-testid='error-S1.3']")
    photo = tmp_path / "cylinder.png"
    photo.write_bytes(png_bytes((120, 90)))
    page.locator("[data-testid='photo-input-S1.2']").set_input_files(str(photo))
    page.wait_for_selector("[data-testid='photo-S1.2']")
    page.locator("[data-testid='photo-input-S1.6']").set_input_files(str(photo))
    page.wait_for_selector("[data-testid='photo-S1.6']")
    page.screenshot(path=str(SCREENSHOTS / "inspection-phone-form.png"), full_page=True)

    page.reload()  # the connection drops, the page is lost: nothing typed is lost
    page.wait_for_selector("[data-testid=conduct-form]")
    assert page.locator("[id='a-S1.1-yes']").is_checked() and page.locator("[id='a-S1.2-no']").is_checked()
    assert page.locator("[data-testid='item-S1.3'] input[name=value]").input_value() == "8"
    assert page.locator("[data-testid='photo-S1.2']").count() == 1
    assert Answer.objects.filter(inspection=todays).count() == 3

    page.locator("[data-testid=submit-inspection]").click()
    page.wait_for_selector("[data-testid=findings]")
    page.screenshot(path=str(SCREENSHOTS / "inspection-phone-submitted.png"), full_page=True)
    todays = Inspection.objects.get(pk=todays.pk)
    assert todays.status == "submitted"
    assert set(Finding.objects.filter(inspection=todays).values_list("item_code", flat=True)) == {"S1.2", "S1.3"}


def test_template_editor_and_public_results(page, live_server, demo_city):
    from lianqi.checklists.models import ChecklistTemplate

    template = ChecklistTemplate.objects.get(code="ps-gas-lpg")
    login(page, live_server, "office")
    page.goto(f"{live_server.url}{template.get_absolute_url()}")
    page.get_by_test_id("edit-template").click()
    page.wait_for_selector("[data-testid=draft-banner]")
    page.screenshot(path=str(SCREENSHOTS / "checklist-template-editor.png"), full_page=True)
    page.locator("[data-testid='editor-item-S1.3'] a", has_text="编辑").first.click()
    page.wait_for_selector("[data-testid=editor-form]")
    page.screenshot(path=str(SCREENSHOTS / "checklist-item-form.png"), full_page=True)
    page.goto(f"{live_server.url}/checklists/{template.pk}/v1/preview/")
    page.set_viewport_size(PHONE)
    page.screenshot(path=str(SCREENSHOTS / "checklist-preview-phone.png"), full_page=True)

    page.context.clear_cookies()
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{live_server.url}/spot-checks/public/")
    assert page.get_by_test_id("public-results").locator("tbody tr").count() >= 4
    page.screenshot(path=str(SCREENSHOTS / "spot-check-public-results.png"), full_page=True)
    page.set_viewport_size(PHONE)
    page.screenshot(path=str(SCREENSHOTS / "spot-check-public-results-phone.png"), full_page=True)

"""The import loop in a real browser: paste report 004 → review page with highlights → correct
a field → save → requirements turned into tasks. Screenshots of the review page (English and
Traditional Chinese reports) and of the coverage view."""

import datetime

import pytest
from django.utils import timezone

from lianqi.accounts.tests.factories import PASSWORD
from lianqi.core.tests.browser import SCREENSHOTS, login

from .conftest import report

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def registry(cast):
    """Enterprises the seed reports name, so the review page shows matches and scores."""
    from lianqi.enterprises.tests.factories import EnterpriseFactory, credit_code_for

    for n, name in enumerate(["观海食品有限公司", "海洲水产有限公司", "展茅颐养院"], start=10):
        EnterpriseFactory(name=name, credit_code=credit_code_for(n, "419902"), jurisdiction=cast.street_a)
    cast.official_a.display_name = "何中伟"
    cast.official_a.save()
    cast.department_a.name_en = "Donghu District Civil Affairs Bureau"
    cast.department_a.save()
    return cast


def test_paste_review_correct_save_and_deploy(page, live_server, registry):
    from lianqi.inspections.models import Inspection
    from lianqi.tasks.models import Task

    login(page, live_server, "office", PASSWORD)
    page.goto(f"{live_server.url}/visits/import/")
    page.fill("textarea[name=text]", report("004"))
    page.get_by_test_id("read-report").click()
    page.wait_for_selector("[data-testid=review-form]")
    assert page.get_by_test_id("draft-badge").is_visible()
    source = page.get_by_test_id("source-text")
    assert source.locator("mark[data-field='leaders.name']").count() >= 1
    assert source.locator("mark[data-field='requirements']").count() >= 4
    assert source.locator("mark[data-field='organizations_visited']").first.inner_text() == "Guanhai Foods"
    assert page.locator("select[name=leader_0_user]").input_value() == str(registry.official_a.pk)
    page.screenshot(path=str(SCREENSHOTS / "visits-review-english.png"), full_page=True)
    assert not Inspection.objects.exists()  # nothing stored yet

    # Correct one field: the title, shortened to what the office files it under.
    page.fill("input[name=title]", "何中伟市长赴普陀检查疫情防控和复工复产")
    page.select_option("select[name=jurisdiction]", str(registry.district_a.pk))
    page.get_by_test_id("save-visit").click()
    page.wait_for_selector("[data-testid=requirements]")
    visit = Inspection.objects.get()
    assert visit.title == "何中伟市长赴普陀检查疫情防控和复工复产"
    assert visit.planned_date == datetime.date(2020, 2, 25)
    assert list(visit.leaders.all()) == [registry.official_a]
    requirements = visit.requirements.count()
    assert requirements >= 4

    page.get_by_test_id("all-tasks").click()
    page.wait_for_selector("[data-testid=requirement-task]")
    assert page.get_by_test_id("requirement-task").count() == requirements
    assert Task.objects.filter(source="visit").count() == requirements
    assert not page.get_by_test_id("make-task").count()
    page.screenshot(path=str(SCREENSHOTS / "visits-detail-tasks.png"), full_page=True)


def test_review_traditional_chinese(page, live_server, cast):
    login(page, live_server, "office", PASSWORD)
    page.goto(f"{live_server.url}/visits/import/")
    page.fill("textarea[name=text]", report("003"))
    page.get_by_test_id("read-report").click()
    page.wait_for_selector("[data-testid=review-form]")
    assert page.locator("input[name=leader_0_name]").input_value() == "朱是西"
    assert page.get_by_test_id("source-text").locator("mark[data-field='organizations_visited']").count() >= 3
    page.screenshot(path=str(SCREENSHOTS / "visits-review-traditional.png"), full_page=True)


def test_coverage_view(page, live_server, cast):
    from lianqi.enterprises.tests.factories import AssignmentFactory, EnterpriseFactory, credit_code_for
    from lianqi.visits import services
    from lianqi.visits.coverage import parse_period

    start = parse_period("quarter", None).start
    names = [
        "东湖精细化工有限公司",
        "江川机械制造有限公司",
        "东湖新材料科技有限公司",
        "华盛化工有限公司",
        "瑞丰食品有限公司",
    ]
    enterprises = [cast.enterprise_a] + [
        EnterpriseFactory(name=n, credit_code=credit_code_for(20 + i, "419902"), jurisdiction=cast.street_a)
        for i, n in enumerate(names[1:])
    ]
    for e in enterprises:
        e.is_key = True
        e.save()
    for e in enterprises[:4]:
        AssignmentFactory(enterprise=e, official=cast.official_a, role="leader_contact")
    rule = services.save_coverage_rule(
        actor=cast.office,
        name="重点企业每季度包联领导走访一次",
        jurisdiction=cast.district_a,
        scope="key",
        period="quarter",
    )
    for e in enterprises[:2]:
        services.save_visit(
            actor=cast.office,
            data=services.VisitInput(
                title=f"走访{e.name}",
                date=max(start, timezone.localdate() - datetime.timedelta(days=1)),
                jurisdiction=cast.district_a,
                leaders=[services.LeaderInput(name="", user=cast.official_a)],
                organisations=[services.OrganisationInput(name=e.name, enterprise=e, score=100)],
            ),
        )
    login(page, live_server, "office", PASSWORD)
    page.goto(f"{live_server.url}/visits/coverage/?rule={rule.pk}")
    assert page.get_by_test_id("coverage-rate").inner_text() == "40%"
    assert page.locator("tr[data-status=gap]").count() == 2
    assert page.locator("tr[data-status=no_contact]").count() == 1
    page.screenshot(path=str(SCREENSHOTS / "visits-coverage.png"), full_page=True)
    page.goto(f"{live_server.url}/visits/")
    page.screenshot(path=str(SCREENSHOTS / "visits-ledger.png"), full_page=True)

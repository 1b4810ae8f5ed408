"""The hand-computed small city (lianqi/reporting/tests/scenario.py) on the dashboard, in the
API and in the bulletin's PDF and spreadsheet."""

import io
import shutil
import subprocess

import pytest
import time_machine
from django.core import mail
from django.utils import translation
from openpyxl import load_workbook

from lianqi.dashboards import bulletins
from lianqi.dashboards.models import Bulletin, BulletinSubscription
from lianqi.reporting.tests.scenario import CITY_D3, CITY_PERIOD, D1, D3, EVENING_D3

pytestmark = pytest.mark.django_db


@pytest.fixture
def evening():
    with time_machine.travel(EVENING_D3, tick=False):
        yield


def test_dashboard_shows_the_hand_computed_day(city, evening, client):
    client.force_login(city.cast.office)
    page = client.get("/dashboard/").content.decode()
    # D3: 2 tracked, both resumed (100.0), staff 126/140 = 90.0, capacity mean 70.0.
    for key, value in (("resumption_rate", "100.0"), ("staff_return_rate", "90.0"), ("capacity_mean", "70.0")):
        assert CITY_D3[key] == float(value)
        block = page[page.index(f'data-testid="rate-{key}"') :][:400]
        assert value in block, key
    assert "南湖区" in page  # the district without tracked enterprises is listed, with dashes
    district = client.get(f"/dashboard/{city.cast.district_b.pk}/").content.decode()
    block = district[district.index('data-testid="rate-resumption_rate"') :][:400]
    assert "100.0" in block  # B resumed on D3
    assert "江川市" in district  # breadcrumb back up the tree


def test_dashboard_scope(city, evening, client):
    client.force_login(city.cast.official_b)
    assert client.get(f"/dashboard/{city.cast.district_a.pk}/").status_code == 404
    assert client.get(f"/dashboard/{city.cast.city.pk}/").status_code == 404
    response = client.get("/dashboard/")
    assert response.status_code == 200 and "西山区" in response.content.decode()
    client.force_login(city.cast.enterprise_user)
    assert client.get("/dashboard/").status_code == 403


def test_home_cards(city, evening, client):
    client.force_login(city.cast.office)
    assert 'data-testid="key-rates-card"' in client.get("/").content.decode()
    client.force_login(city.cast.enterprise_user)
    home = client.get("/").content.decode()
    assert 'data-testid="todays-report-card"' in home


def test_api_stats_match_the_hand_computed_period(city, evening, as_token):
    api = as_token(city.cast.office)
    response = api.get(f"/api/v1/stats/resumption/?jurisdiction={city.cast.city.pk}&from={D1}&to={D3}&by=industry")
    assert response.status_code == 200, response.json()
    body = response.json()
    assert {k: body["total"][k] for k in CITY_PERIOD} == CITY_PERIOD
    assert {g["key"]: g["tracked"] for g in body["groups"]} == {"13": 2, "26": 6}
    assert "resumption_rate" in body["definitions"]
    by_node = api.get(f"/api/v1/stats/resumption/?jurisdiction={city.cast.city.pk}&from={D1}&to={D3}&by=jurisdiction")
    assert {g["label"]: g["resumption_rate"] for g in by_node.json()["groups"]} == {
        "东湖区": 100.0,
        "西山区": 33.3,
        "南湖区": None,
    }
    # Scope: a sibling district's leader gets 404 for the city, and their own district by default.
    other = as_token(city.cast.official_b)
    assert other.get(f"/api/v1/stats/resumption/?jurisdiction={city.cast.city.pk}").status_code == 404
    assert other.get(f"/api/v1/stats/resumption/?from={D1}&to={D3}").json()["jurisdiction_name"] == "西山区"
    # "²" passes str.isdigit() but not int(): it was a 500; a non-number means the default node.
    assert (
        other.get(f"/api/v1/stats/resumption/?jurisdiction=²&from={D1}&to={D3}").json()["jurisdiction_name"] == "西山区"
    )
    assert as_token(city.cast.enterprise_user).get("/api/v1/stats/resumption/").status_code == 403
    assert api.get("/api/v1/stats/resumption/?from=2024-03-09&to=2024-03-01").status_code == 400


def _pdf_text(data: bytes) -> str:
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) is not installed")
    result = subprocess.run(["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True)  # noqa: S603, S607
    return result.stdout.decode()


def test_bulletin_pdf_and_xlsx_read_back(city, evening, settings, tmp_path, on_commit_now):
    settings.MEDIA_ROOT = tmp_path
    city.cast.office.email = "office@example.gov.cn"
    city.cast.office.save()
    BulletinSubscription.objects.create(user=city.cast.office, jurisdiction=city.cast.city)
    bulletin = bulletins.request_bulletin(city.cast.city, "weekly", D1, D3, actor=city.cast.office)
    bulletin = bulletins.generate(bulletin.pk)
    assert bulletin.status == "ready"
    assert bulletin.data["total"]["resumption_rate"] == 75.0  # archived with its figures

    text = _pdf_text(bulletin.pdf.read())
    flat = " ".join(text.split())
    with translation.override("zh-hans"):
        from django.utils.translation import gettext

        for heading in ("1. Work resumption overall", "2. By jurisdiction", "3. By industry", "5. Hidden hazards"):
            assert " ".join(gettext(heading).split()) in flat, heading
    assert "江川市" in flat and "东湖区" in flat and "西山区" in flat and "南湖区" in flat
    assert "农副食品加工业" in flat  # the industry table, in Chinese
    for figure in ("75.0", "82.5", "65.0", "81.1", "71.4", "57.1", "66.7", "87.5"):
        assert figure in flat, figure

    workbook = load_workbook(io.BytesIO(bulletin.xlsx.read()))
    summary = workbook.worksheets[0]
    values = {row[0]: row[1] for row in summary.iter_rows(min_row=5, values_only=True) if row[0]}
    from lianqi.reporting.rates import LABELS

    with translation.override(bulletin.language):
        assert values[str(LABELS["resumption_rate"])] == 75.0
        assert values[str(LABELS["capacity_weighted"])] == 81.1
    by_node = {row[0]: row[2] for row in workbook.worksheets[1].iter_rows(min_row=2, values_only=True)}
    assert by_node == {"东湖区": 100.0, "西山区": 33.3, "南湖区": None}

    assert len(mail.outbox) == 1 and mail.outbox[0].attachments[0][2] == "application/pdf"


def test_bulletin_api_and_pages(city, evening, settings, tmp_path, as_token, client):
    settings.MEDIA_ROOT = tmp_path
    bulletin = bulletins.generate(
        bulletins.request_bulletin(city.cast.city, "weekly", D1, D3, actor=city.cast.office).pk, send=False
    )
    api = as_token(city.cast.office)
    listing = api.get("/api/v1/bulletins/").json()["results"]
    assert [b["id"] for b in listing] == [bulletin.pk]
    download = api.get(f"/api/v1/bulletins/{bulletin.pk}/download/?format_=xlsx")
    assert download.status_code == 200 and b"".join(download.streaming_content)[:2] == b"PK"
    assert as_token(city.cast.official_b).get(f"/api/v1/bulletins/{bulletin.pk}/").status_code == 404
    assert as_token(city.cast.enterprise_user).get("/api/v1/bulletins/").json()["results"] == []
    client.force_login(city.cast.office)
    assert client.get("/dashboard/bulletins/").status_code == 200
    assert client.get(f"/dashboard/bulletins/{bulletin.pk}/pdf/").status_code == 200


def test_bulletin_on_demand_through_a_job(city, evening, settings, tmp_path, client, on_commit_now):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(city.cast.office)
    response = client.post(
        "/dashboard/bulletins/new/", {"jurisdiction": city.cast.district_a.pk, "kind": "weekly", "day": D1.isoformat()}
    )
    assert response.status_code == 302 and "/jobs/" in response["Location"]
    bulletin = Bulletin.objects.get()
    assert bulletin.status == "ready" and bulletin.period_end == D3  # a week still running stops today


def test_scheduled_bulletins_once_per_period(city, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    BulletinSubscription.objects.create(
        user=city.cast.office, jurisdiction=city.cast.city, monthly=False, half_year=False
    )
    with time_machine.travel("2024-03-11 01:00 +08:00", tick=False):
        made = bulletins.scheduled_bulletins()
        assert len(made) == 1 and bulletins.scheduled_bulletins() == []
    bulletin = Bulletin.objects.get()
    assert (bulletin.period_start.isoformat(), bulletin.period_end.isoformat()) == ("2024-03-04", "2024-03-10")
    assert bulletin.scheduled and bulletin.status == "ready"

"""Rates on a hand-computed small city (lianqi/reporting/tests/scenario.py).

Tracked enterprise-days D1–D3: D1 A, A2, B; D2 A, A2, B; D3 A, B (A2 closed) = 8.
Reports: D1 A (on time), A2 (on time), B (on time, not resumed); D2 A2 (on time), A (late),
B missing; D3 A, B (on time) = 7 received, 6 on time. Resumed: D1 A, A2; D2 A, A2; D3 A, B = 6.

    resumption       6 / 8                      = 75.0 %
    reporting        7 / 8                      = 87.5 %
    on time          6 / 8                      = 75.0 %
    staff return     (130 + 140 + 126) / (190 + 150 + 140) = 396 / 480 = 82.5 %
    capacity mean    (60+90+0+85+80+90+50) / 7  = 455 / 7 = 65.0 %
    weighted         (60·50+90·30+85·80+80·20+90·90+50·10) / (50+30+80+20+90+10) = 22700 / 280 = 81.1 %
    ≥ 90 % staffed   A2 D1, A D2, A2 D2 (45/50), A D3, B D3 (36/40) = 5 / 7 = 71.4 %
    ≥ 80 % capacity  90, 85, 80, 90 = 4 / 7     = 57.1 %
    key (A and B)    A 3 days + B on D3 = 4 / 6 = 66.7 %
"""

import pytest
import time_machine

from lianqi.reporting import rates
from lianqi.reporting.models import DailyReport, DailyRollup, RollupDay, TrackedPeriod
from lianqi.reporting.stats import resumption_stats

from .scenario import CITY_D2, CITY_D3, CITY_PERIOD, D1, D2, D3, DISTRICT_A_PERIOD, DISTRICT_B_PERIOD, EVENING_D3

pytestmark = pytest.mark.django_db


def subset(figures, expected):
    return {k: figures[k] for k in expected}


@pytest.fixture
def evening():
    with time_machine.travel(EVENING_D3, tick=False):
        yield


@pytest.mark.parametrize("source", ["raw", "rollup"])
def test_city_period_by_hand(city, evening, source):
    result = rates.resumption(city.cast.city, D1, D3, source=source)
    assert subset(result["total"], CITY_PERIOD) == CITY_PERIOD


@pytest.mark.parametrize("source", ["raw", "rollup"])
def test_districts_days_and_empty_district(city, evening, source):
    cast = city.cast
    assert subset(rates.resumption(cast.district_a, D1, D3, source=source)["total"], DISTRICT_A_PERIOD) == (
        DISTRICT_A_PERIOD
    )
    assert subset(rates.resumption(cast.district_b, D1, D3, source=source)["total"], DISTRICT_B_PERIOD) == (
        DISTRICT_B_PERIOD
    )
    empty = rates.resumption(city.district_c, D1, D3, source=source)["total"]
    assert empty["tracked"] == 0
    assert empty["resumption_rate"] is None and empty["reporting_rate"] is None
    assert subset(rates.resumption(cast.city, D2, D2, source=source)["total"], CITY_D2) == CITY_D2
    assert subset(rates.resumption(cast.city, D3, D3, source=source)["total"], CITY_D3) == CITY_D3


def test_groups_by_industry_jurisdiction_and_day(city, evening):
    cast = city.cast
    industry = {g["key"]: g for g in resumption_stats(cast.city, D1, D3, by="industry")["groups"]}
    assert set(industry) == {"13", "26"}
    assert industry["13"]["tracked"] == 2 and industry["13"]["resumption_rate"] == 100.0
    assert industry["26"]["tracked"] == 6 and industry["26"]["resumption_rate"] == 66.7
    assert "农副食品加工业" in industry["13"]["label"]
    children = {g["label"]: g for g in resumption_stats(cast.city, D1, D3, by="jurisdiction")["groups"]}
    assert children["东湖区"]["resumption_rate"] == 100.0
    assert children["西山区"]["resumption_rate"] == 33.3
    assert children["南湖区"]["tracked"] == 0 and children["南湖区"]["resumption_rate"] is None
    days = resumption_stats(cast.city, D1, D3, by="date")["groups"]
    assert [g["tracked"] for g in days] == [3, 3, 2]
    assert [g["on_time_rate"] for g in days] == [100.0, 33.3, 100.0]


def test_closed_enterprise_stops_being_tracked_the_day_it_closes(city):
    period = TrackedPeriod.objects.get(enterprise=city.a2)
    assert (period.start, period.end) == (D1, D2)
    assert not TrackedPeriod.objects.filter(enterprise=city.c).exists()


def test_late_report_counts_as_received_but_not_on_time(city):
    late = DailyReport.objects.get(enterprise=city.a, date=D2)
    assert late.late and late.channel == "on_behalf"
    assert not DailyReport.objects.get(enterprise=city.a2, date=D2).late


def test_rollups_are_maintained_on_submit_and_agree_with_raw(city, evening):
    from .scenario import report

    rates.ensure_built(D1, D3)
    assert RollupDay.objects.count() == 3
    # B reports D2 late, on D3 evening: its cell is recomputed in the same transaction.
    report(city.b, city.cast.office, D2, 20, resumed=True, total=40, on_post=20, capacity="40")
    for node in (city.cast.city, city.cast.district_a, city.cast.district_b, city.district_c):
        for by in (None, "industry", "jurisdiction", "date"):
            assert rates.resumption(node, D1, D3, by=by) == rates.resumption(node, D1, D3, by=by, source="raw")
    d2 = rates.resumption(city.cast.city, D2, D2)["total"]
    assert (d2["reported"], d2["on_time"]) == (3, 1)


def test_rebuild_command_gives_the_same_cells(city, evening):
    from django.core.management import call_command

    rates.ensure_built(D1, D3)
    before = sorted(DailyRollup.objects.values_list("date", "jurisdiction_id", "division", "tracked", "resumed"))
    call_command("rebuild_rollups", "--from", D1.isoformat(), "--to", D3.isoformat(), stdout=open("/dev/null", "w"))  # noqa: SIM115
    after = sorted(DailyRollup.objects.values_list("date", "jurisdiction_id", "division", "tracked", "resumed"))
    assert before == after


def test_dashboard_reads_few_queries(city, evening, client, django_assert_max_num_queries):
    rates.ensure_built(D1, D3)
    client.force_login(city.cast.office)
    client.get("/dashboard/")  # builds the rollups of the 30 days of the trend, once
    with django_assert_max_num_queries(30):
        response = client.get("/dashboard/")
    assert response.status_code == 200

"""Daily reports by month on PostgreSQL: rates read the same whichever partition holds a report
(the scenario's March 2024 reports first wait in the default partition, then get their month)."""

import pytest
import time_machine
from django.db import connection

from lianqi.core import partitioning
from lianqi.reporting import rates

from .scenario import CITY_PERIOD, D1, D3, EVENING_D3

pytestmark = pytest.mark.django_db


def homes():
    with connection.cursor() as cursor:
        cursor.execute("SELECT DISTINCT tableoid::regclass::text FROM reporting_dailyreport")
        return {row[0] for row in cursor.fetchall()}


def test_rates_are_the_same_whichever_partition_holds_the_reports(city):
    if connection.vendor != "postgresql":
        pytest.skip("partitions exist on PostgreSQL only")
    with time_machine.travel(EVENING_D3, tick=False):
        nodes = [city.cast.city, city.cast.district_a, city.cast.district_b]
        groupings = [None, "date", "industry", "jurisdiction"]

        def everything():
            return [
                rates.resumption(node, D1, D3, by=by, source=source)
                for node in nodes
                for by in groupings
                for source in ("raw", "rollup")
            ]

        before = everything()
        assert homes() == {"reporting_dailyreport_default"}
        created = partitioning.ensure_ahead()
        assert "reporting_dailyreport_p202403" in created
        assert homes() == {"reporting_dailyreport_p202403"}
        assert everything() == before
        total = rates.resumption(city.cast.city, D1, D3, source="raw")["total"]
        assert {k: total[k] for k in CITY_PERIOD} == CITY_PERIOD

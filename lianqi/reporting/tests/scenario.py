"""A small city with hand-computed rates (docs in test_rates.py), shared by the reporting and
dashboard tests.

    city 江川市 ── district A 东湖区 ── street A: enterprise A (key, chemicals 26), A2 (food 13)
              ├─ district B 西山区 ── street B: enterprise B (key, chemicals 26)
              └─ district C 南湖区: enterprise C, below designated size — not tracked

Days D1–D3 (2024-03-04 … 03-06), due at 12:00 each day. A2 closes on D3 (tracked D1–D2).
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal
from zoneinfo import ZoneInfo

import time_machine

from lianqi.enterprises.choices import EnterpriseStatus, Scale
from lianqi.enterprises.tests.factories import EnterpriseFactory, _industry, credit_code_for
from lianqi.jurisdictions.choices import Level
from lianqi.jurisdictions.tests.factories import JurisdictionFactory
from lianqi.reporting import services
from lianqi.reporting.models import TrackingRule

TZ = ZoneInfo("Asia/Shanghai")
D1, D2, D3 = datetime.date(2024, 3, 4), datetime.date(2024, 3, 5), datetime.date(2024, 3, 6)
EVENING_D3 = datetime.datetime(2024, 3, 6, 20, 0, tzinfo=TZ)


def at(day, hour, minute=0):
    return time_machine.travel(datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=TZ), tick=False)


@dataclass
class SmallCity:
    cast: object
    district_c: object
    a: object
    a2: object
    b: object
    c: object


def report(enterprise, user, day, hour, *, resumed, total, on_post, capacity, output=None):
    with at(day, hour):
        return services.submit_report(
            enterprise,
            actor=user,
            date=day,
            confirmed=True,
            resumed=resumed,
            staff_total=total,
            staff_on_post=on_post,
            capacity_pct=Decimal(capacity),
            output_value=None if output is None else Decimal(output),
        )


def build(cast) -> SmallCity:
    district_c = JurisdictionFactory(
        code="419904", name_zh="南湖区", name_en="Nanhu District", level=Level.DISTRICT, parent=cast.city
    )
    a, b = cast.enterprise_a, cast.enterprise_b
    for enterprise in (a, b):
        enterprise.scale, enterprise.is_key = Scale.ABOVE, True
        enterprise.save()
    a2 = EnterpriseFactory(
        name="东湖粮油加工有限公司",
        credit_code=credit_code_for(3, "419902"),
        jurisdiction=cast.street_a,
        industry=_industry("131"),
        scale=Scale.ABOVE,
    )
    c = EnterpriseFactory(
        name="南湖小商店", credit_code=credit_code_for(4, "419904"), jurisdiction=district_c, scale=Scale.BELOW
    )
    TrackingRule.objects.create(
        name="规上企业", jurisdiction=cast.city, start=D1, scale=Scale.ABOVE, material_producers=False
    )
    with at(D1, 0, 5):
        services.sync_tracking()
    office = cast.office
    # D1: all three on time.
    report(a, office, D1, 9, resumed=True, total=100, on_post=80, capacity="60", output="50")
    report(a2, office, D1, 10, resumed=True, total=50, on_post=50, capacity="90", output="30")
    report(b, office, D1, 11, resumed=False, total=40, on_post=0, capacity="0")
    # D2: A late (15:00), A2 on time, B missing.
    report(a2, office, D2, 8, resumed=True, total=50, on_post=45, capacity="80", output="20")
    report(a, office, D2, 15, resumed=True, total=100, on_post=95, capacity="85", output="80")
    # D3: A2 closed overnight (the morning sync stops tracking it from D3); A and B on time.
    a2.status = EnterpriseStatus.CLOSED
    a2.save()
    with at(D3, 0, 5):
        services.sync_tracking()
    report(a, office, D3, 9, resumed=True, total=100, on_post=90, capacity="90", output="90")
    report(b, office, D3, 9, resumed=True, total=40, on_post=36, capacity="50", output="10")
    return SmallCity(cast=cast, district_c=district_c, a=a, a2=a2, b=b, c=c)


# The figures by hand (see test_rates.py for the working).
CITY_PERIOD = {
    "tracked": 8,
    "reported": 7,
    "on_time": 6,
    "resumed": 6,
    "staff_total": 480,
    "staff_on_post": 396,
    "resumption_rate": 75.0,
    "staff_return_rate": 82.5,
    "capacity_mean": 65.0,
    "capacity_weighted": 81.1,
    "staffed_90_share": 71.4,
    "capacity_80_share": 57.1,
    "key_resumption_rate": 66.7,
    "reporting_rate": 87.5,
    "on_time_rate": 75.0,
}
DISTRICT_A_PERIOD = {"tracked": 5, "resumption_rate": 100.0, "reporting_rate": 100.0, "on_time_rate": 80.0}
DISTRICT_B_PERIOD = {"tracked": 3, "resumption_rate": 33.3, "reporting_rate": 66.7, "on_time_rate": 66.7}
CITY_D2 = {"tracked": 3, "reported": 2, "resumption_rate": 66.7, "on_time_rate": 33.3, "reporting_rate": 66.7}
CITY_D3 = {"tracked": 2, "resumption_rate": 100.0, "staff_return_rate": 90.0, "capacity_mean": 70.0}

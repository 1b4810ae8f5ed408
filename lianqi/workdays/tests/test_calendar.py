import datetime

import pytest

from lianqi.workdays.calendar import add_working_days, is_working_day, working_days_between
from lianqi.workdays.models import CalendarDay

pytestmark = pytest.mark.django_db
D = datetime.date


def test_the_2026_spring_festival_and_its_make_up_days_are_shipped():
    assert not is_working_day(D(2026, 2, 16))  # Monday in the holiday
    assert is_working_day(D(2026, 2, 14))  # Saturday worked before it
    assert is_working_day(D(2026, 2, 28))  # Saturday worked after it
    assert not is_working_day(D(2026, 2, 21))  # an ordinary weekend inside the holiday
    assert is_working_day(D(2026, 2, 24))


def test_three_working_days_across_the_national_day_holiday():
    # Friday 2026-09-18 + 3 working days: Sunday 20th is a make-up working day, so the 22nd.
    assert add_working_days(D(2026, 9, 18), 3) == D(2026, 9, 22)
    # Wednesday 30 September + 1 working day jumps the whole holiday to the 8th.
    assert add_working_days(D(2026, 9, 30), 1) == D(2026, 10, 8)
    # … and the make-up Saturday 10th counts.
    assert add_working_days(D(2026, 10, 9), 1) == D(2026, 10, 10)


def test_counting_between_dates_and_office_edits_take_effect():
    assert working_days_between(D(2026, 2, 13), D(2026, 2, 24)) == 2  # 14th (Saturday worked) and 24th
    CalendarDay.objects.create(date=D(2026, 11, 27), is_working=False, name="地方假日")
    assert not is_working_day(D(2026, 11, 27))
    assert add_working_days(D(2026, 11, 26), 1) == D(2026, 11, 30)


def test_statutory_2027_holidays_are_there():
    assert not is_working_day(D(2027, 2, 5)) and not is_working_day(D(2027, 10, 1))
    with pytest.raises(ValueError):
        add_working_days(D(2026, 1, 5), -1)

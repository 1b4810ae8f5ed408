"""Working-day arithmetic over the Monday–Friday week and the holiday calendar (CalendarDay).

Deadlines of appeals ("3 working days") and publication limits ("within 20 working days") are
counted here, so a holiday week or a weekend make-up working day moves them correctly. Each
process caches a year's exceptions; an edit bumps a version in the shared cache, so every app
server sees it at once.
"""

from __future__ import annotations

import datetime
from functools import lru_cache

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save

from lianqi.core.outage import cache_errors

VERSION_KEY = "workdays:version"


@lru_cache(maxsize=16)
def _exceptions(year: int, version: int) -> dict[datetime.date, bool]:
    from .models import CalendarDay

    return dict(CalendarDay.objects.filter(date__year=year).values_list("date", "is_working"))


def clear_cache(*args, **kwargs) -> None:
    _exceptions.cache_clear()
    if not cache.add(VERSION_KEY, 2, timeout=None):
        try:
            cache.incr(VERSION_KEY)
        except ValueError:
            cache.set(VERSION_KEY, 2, timeout=None)


class _Calendar:
    """The exceptions of the years a computation touches, read once per computation."""

    def __init__(self):
        try:
            self.version = cache.get_or_set(VERSION_KEY, 1, timeout=None)
        except cache_errors():
            self.version = None  # the cache is down: read the database, keep nothing
        self.years: dict[int, dict] = {}

    def is_working(self, day: datetime.date) -> bool:
        if day.year not in self.years:
            read = _exceptions if self.version is not None else _exceptions.__wrapped__
            self.years[day.year] = read(day.year, self.version)
        exception = self.years[day.year].get(day)
        return exception if exception is not None else day.weekday() < 5


def is_working_day(day: datetime.date) -> bool:
    return _Calendar().is_working(day)


def add_working_days(start: datetime.date, days: int) -> datetime.date:
    """The date ``days`` working days after ``start`` (``start`` itself not counted)."""
    if days < 0:
        raise ValueError("days must be 0 or more")
    calendar = _Calendar()
    current, remaining = start, days
    while remaining:
        current += datetime.timedelta(days=1)
        if calendar.is_working(current):
            remaining -= 1
    return current


def working_days_between(start: datetime.date, end: datetime.date) -> int:
    """Working days after ``start`` up to and including ``end`` (0 when end <= start)."""
    calendar = _Calendar()
    count, current = 0, start
    while current < end:
        current += datetime.timedelta(days=1)
        count += calendar.is_working(current)
    return count


def _connect():
    from .models import CalendarDay

    post_save.connect(clear_cache, sender=CalendarDay, dispatch_uid="workdays-cache-save")
    post_delete.connect(clear_cache, sender=CalendarDay, dispatch_uid="workdays-cache-delete")

"""Rebuild the daily rollups from the base tables: ``manage.py rebuild_rollups [--from D] [--to D]``."""

import datetime
import time

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Min
from django.utils import timezone

from lianqi.reporting.models import DailyReport, TrackedPeriod
from lianqi.reporting.rates import build_days


class Command(BaseCommand):
    help = "Rebuild the per-day rollups of daily reports (all days with tracked enterprises by default)."

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="date_from", type=datetime.date.fromisoformat)
        parser.add_argument("--to", dest="date_to", type=datetime.date.fromisoformat)

    def handle(self, *args, date_from=None, date_to=None, **options):
        today = timezone.localdate()
        if date_from is None:
            first = TrackedPeriod.objects.aggregate(d=Min("start"))["d"]
            first_report = DailyReport.objects.aggregate(d=Min("date"))["d"]
            candidates = [d for d in (first, first_report) if d]
            date_from = min(candidates) if candidates else today
        date_to = date_to or today
        if date_to < date_from:
            raise CommandError("--to is before --from.")
        started = time.monotonic()
        days = [date_from + datetime.timedelta(days=i) for i in range((date_to - date_from).days + 1)]
        cells = build_days(days)
        self.stdout.write(f"Rebuilt {len(days)} days ({cells} cells) in {time.monotonic() - started:.1f} s.")

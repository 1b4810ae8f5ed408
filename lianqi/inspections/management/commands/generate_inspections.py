import datetime

from django.core.management.base import BaseCommand, CommandError

from lianqi.inspections.scheduling import generate


class Command(BaseCommand):
    help = "Make this period's inspections from the active recurring plans (safe to run again)."

    def add_arguments(self, parser):
        parser.add_argument("--date", help="Run as of this day (YYYY-MM-DD); default today.")

    def handle(self, *args, date=None, **options):
        try:
            day = datetime.date.fromisoformat(date) if date else None
        except ValueError:
            raise CommandError("--date must be YYYY-MM-DD.") from None
        made = generate(day)
        self.stdout.write(f"{made} inspection(s) made.")

from django.core.management.base import BaseCommand

from lianqi.notifications import scheduler


class Command(BaseCommand):
    help = (
        "Run the periodic jobs (deadline reminders and escalation, webhook retries) in this process, "
        "for installations without Celery beat. --once runs what is due and exits."
    )

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Run the jobs that are due once, then exit.")
        parser.add_argument("--tick", type=float, default=5.0, help="Seconds between checks (default 5).")

    def handle(self, *args, once, tick, **options):
        if once:
            ran = scheduler.run_due()
            self.stdout.write("ran: " + (", ".join(ran) or "nothing due"))
            return
        self.stdout.write(f"Scheduler running (checking every {tick:g} s); Ctrl-C to stop.")
        scheduler.run_forever(tick)

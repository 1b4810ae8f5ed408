"""Build the demo city: ``manage.py seed_demo [--scale N]``.

Each app contributes its part in a ``demo.py`` module with a ``seed(context)`` function, called
in the order of INSTALLED_APPS. Running the command twice leaves one demo city, not two.
"""

import random
from dataclasses import dataclass, field

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.module_loading import import_string

DEMO_PASSWORD = "demo"  # noqa: S105 - demo only, refused when DEBUG is off


@dataclass
class DemoContext:
    scale: int
    password: str
    stdout: object
    rng: random.Random
    objects: dict = field(default_factory=dict)

    def log(self, message: str) -> None:
        self.stdout.write(message)


class Command(BaseCommand):
    help = (
        "Create the demo city (jurisdictions, departments, demo users with password 'demo', and "
        "each module's demo data). Refused when DEBUG is off. --scale N makes benchmark-sized data."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale",
            type=int,
            default=0,
            help="Number of enterprises to generate for benchmarks (0: the normal demo size).",
        )
        parser.add_argument("--seed", type=int, default=20200220, help="Random seed, for repeatable data.")

    def handle(self, *args, scale, seed, **options):
        if not settings.DEBUG:
            raise CommandError(
                "seed_demo creates accounts with the password 'demo' and is refused when DEBUG is off. "
                "Create real accounts with `manage.py createsuperuser` and the admin pages."
            )
        if scale < 0:
            raise CommandError("--scale must be 0 or a positive number.")
        # Demo steps send notifications; keep the console quiet (e-mails go to memory).
        from django.test.utils import override_settings

        quiet = override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend")
        quiet.enable()
        context = DemoContext(scale=scale, password=DEMO_PASSWORD, stdout=self.stdout, rng=random.Random(seed))  # noqa: S311 - demo data
        for config in apps.get_app_configs():
            if not config.name.startswith("lianqi."):
                continue
            try:
                seed_part = import_string(f"{config.name}.demo.seed")
            except ImportError:
                continue
            with transaction.atomic():
                seed_part(context)
        quiet.disable()
        self.stdout.write(self.style.SUCCESS("Demo data ready."))

from django.core.management.base import BaseCommand, CommandError

from lianqi.checklists.transfer import load_shipped


class Command(BaseCommand):
    help = (
        "Load the shipped checklist templates (lianqi/checklists/data/templates/*.json). Safe to run "
        "again: a version already loaded with the same content is left alone; a file whose content "
        "changed must carry a new version number."
    )

    def handle(self, *args, **options):
        failed = 0
        for path, version, created, problem in load_shipped():
            if problem:
                failed += 1
                self.stderr.write(self.style.ERROR(f"{path.name}: {problem}"))
            else:
                self.stdout.write(f"{path.name}: {version} {'loaded' if created else 'already loaded'}")
        if failed:
            raise CommandError(f"{failed} template file(s) failed validation; the others were loaded.")

"""``manage.py restore ARCHIVE``: put a backup archive back (see docs/backup.md)."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from lianqi.core.backup import BackupError, Database, restore_backup


class Command(BaseCommand):
    help = (
        "Restore an archive made by `manage.py backup`: checks its checksums and migration state, refuses a "
        "database or media directory that already holds data unless --force, restores both, then compares "
        "every table's row count with the archive."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", type=Path, help="The lianqi-….tar archive.")
        parser.add_argument(
            "--force", action="store_true", help="Replace a database and media directory that already hold data."
        )
        parser.add_argument("--database-url", help="Restore into this database instead of DATABASE_URL.")
        parser.add_argument("--media-root", type=Path, help="Restore the files here instead of MEDIA_ROOT.")
        parser.add_argument("--no-media", action="store_true", help="Restore the database only; leave files alone.")
        parser.add_argument(
            "--check", action="store_true", help="Only check the archive (checksums, migrations); change nothing."
        )

    def handle(self, *args, archive, force, database_url, media_root, no_media, check, **options):
        try:
            database = (
                Database.from_url(database_url)
                if database_url
                else Database.from_settings(connections["default"].settings_dict)
            )
            result = restore_backup(
                archive,
                database=database,
                media_root=None if no_media else (media_root or Path(settings.MEDIA_ROOT)),
                force=force,
                check_only=check,
                log=self.stdout.write,
            )
        except BackupError as error:
            raise CommandError(str(error)) from None
        manifest = result.manifest
        summary = (
            f"{len(manifest['tables'])} tables ({sum(manifest['tables'].values())} rows) and "
            f"{manifest['media']['files']} uploaded files, made {manifest['created_at']}"
        )
        if check:
            self.stdout.write(self.style.SUCCESS(f"The archive is intact: {summary}."))
        else:
            for table in result.extra_tables:
                self.stdout.write(
                    self.style.WARNING(f"The table {table} is not in the archive and was left as it was.")
                )
            self.stdout.write(self.style.SUCCESS(f"Restored {summary}; every table's row count matches."))
        if result.pending_migrations:
            self.stdout.write(
                self.style.WARNING(
                    f"The archive predates {len(result.pending_migrations)} migrations of this code "
                    f"({', '.join(result.pending_migrations[:3])}{' …' if len(result.pending_migrations) > 3 else ''}); "
                    "run `manage.py migrate` next."
                )
            )

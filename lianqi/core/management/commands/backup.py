"""``manage.py backup``: the database and the uploaded files in one archive (see docs/backup.md)."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from lianqi.core.backup import BackupError, Database, create_backup


class Command(BaseCommand):
    help = (
        "Back up the database (pg_dump, or SQLite's backup API) and every uploaded file into one archive "
        "lianqi-YYYYMMDDTHHMMSSZ.tar in BACKUP_DIR, with a manifest of checksums, row counts and migrations."
    )

    def add_arguments(self, parser):
        parser.add_argument("--output-dir", type=Path, help="Where to write the archive (default: BACKUP_DIR).")
        parser.add_argument("--database-url", help="Back up this database instead of DATABASE_URL.")
        parser.add_argument("--media-root", type=Path, help="Back up this directory instead of MEDIA_ROOT.")
        parser.add_argument(
            "--keep", type=int, default=0, help="Afterwards keep only the newest N archives of the directory (0: all)."
        )

    def handle(self, *args, output_dir, database_url, media_root, keep, **options):
        if keep < 0:
            raise CommandError("--keep must be 0 (keep all) or a positive number.")
        try:
            database = (
                Database.from_url(database_url)
                if database_url
                else Database.from_settings(connections["default"].settings_dict)
            )
            result = create_backup(
                database=database,
                media_root=media_root or Path(settings.MEDIA_ROOT),
                backup_dir=output_dir or Path(settings.BACKUP_DIR),
                keep=keep,
                log=self.stdout.write,
            )
        except BackupError as error:
            raise CommandError(str(error)) from None
        manifest = result.manifest
        rows = sum(manifest["tables"].values())
        self.stdout.write(
            f"{len(manifest['tables'])} tables ({rows} rows) and {manifest['media']['files']} uploaded files "
            f"({manifest['media']['bytes']} bytes)."
        )
        for path in result.removed:
            self.stdout.write(f"Removed the old archive {path.name} (--keep {keep}).")
        self.stdout.write(self.style.SUCCESS(f"Backup written to {result.path}"))

"""python manage.py extract_visit FILE [FILE ...] [--json]

Prints one JSON object per file (one per line).  A file without a visit, or
one that cannot be read, prints ``{"file": ..., "error": ..., "code": ...}``
and the command exits non-zero after processing every file.
"""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from lianqi.visits.extractor import ExtractionError, extract_bytes


class Command(BaseCommand):
    help = "Extract a structured visit draft from published visit reports (.txt, .html, .docx)."

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", metavar="FILE", help="report files to read")
        parser.add_argument(
            "--json",
            action="store_true",
            help="print one JSON object per file per line (the default output format as well)",
        )

    def handle(self, *args, **options):
        failures = 0
        for name in options["files"]:
            path = Path(name)
            try:
                data = path.read_bytes()
                record = extract_bytes(data, path.name)
            except OSError as exc:
                failures += 1
                out = {"file": name, "error": f"cannot read file: {exc.strerror or exc}", "code": "io_error"}
            except ExtractionError as exc:
                failures += 1
                out = {"file": name, "error": str(exc), "code": exc.code}
            else:
                out = record
            self.stdout.write(json.dumps(out, ensure_ascii=False))
        if failures:
            raise CommandError(f"{failures} of {len(options['files'])} file(s) gave no visit record")

"""Background jobs of the registry: checking an uploaded file, importing it, exporting a list."""

from __future__ import annotations

import os
import time

from django.core.files.storage import default_storage
from django.utils import translation
from django.utils.translation import gettext as _

from lianqi.jobs.registry import JobError

from .importing import apply_plan, build_plan

PREVIEW = "enterprises.import_preview"
APPLY = "enterprises.import_apply"
EXPORT = "enterprises.export"


def _plan(job):
    path, filename = job.params["path"], job.params["filename"]
    if not default_storage.exists(path):
        raise JobError(_("The uploaded file is no longer available; upload it again."))
    with default_storage.open(path, "rb") as fileobj:
        return build_plan(
            fileobj, filename, actor=job.created_by, progress=job.set_progress, total=job.params.get("rows", 0)
        )


def run_preview(job) -> dict:
    """Check every row; write nothing but the report."""
    with translation.override(job.created_by.language):
        return _plan(job).summary()


def run_apply(job) -> dict:
    """Check the file again (the registry may have changed since the preview) and write it, all or nothing."""
    started = time.monotonic()
    with translation.override(job.created_by.language):
        plan = _plan(job)
        if not plan.ok:
            summary = plan.summary()
            raise JobError(
                _("The file no longer passes the checks (%(count)d problems); nothing was imported. Upload it again.")
                % {"count": summary["error_count"] or len(summary["unknown_columns"]) + len(summary["missing_columns"])}
            )
        result = apply_plan(plan, actor=job.created_by, progress=job.set_progress)
    default_storage.delete(job.params["path"])
    result["filename"] = job.params["filename"]
    result["seconds"] = round(time.monotonic() - started, 1)
    return result


def stored_upload_path(name: str) -> str:
    import uuid

    extension = os.path.splitext(name.lower())[1]
    return f"imports/{uuid.uuid4().hex}{extension}"

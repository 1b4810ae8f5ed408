"""Validation of uploaded files, by content rather than by name.

Images are opened with Pillow (a file that is not an image is refused whatever its extension),
limited in size, and re-encoded so EXIF data (including GPS location) is not kept.
"""

from __future__ import annotations

import io
import os

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import InMemoryUploadedFile, UploadedFile
from django.utils.translation import gettext as _

IMAGE_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp", "GIF": "gif"}
DOCUMENT_EXTENSIONS = {".pdf", ".doc", ".docx", ".xls", ".xlsx", ".txt", ".csv", ".jpg", ".jpeg", ".png", ".webp"}


def max_upload_bytes() -> int:
    return getattr(settings, "MAX_UPLOAD_MB", 10) * 1024 * 1024


def check_size(upload: UploadedFile, limit: int | None = None) -> None:
    limit = limit or max_upload_bytes()
    if upload.size is not None and upload.size > limit:
        raise ValidationError(
            _("“%(name)s” is %(size).1f MB; the limit is %(limit)d MB."),
            code="too_large",
            params={"name": upload.name, "size": upload.size / 1048576, "limit": limit // 1048576},
        )


def clean_image(upload: UploadedFile, *, keep_exif: bool = False) -> UploadedFile:
    """Return a safe copy of an uploaded image, or raise ValidationError with a clear message."""
    from PIL import Image, ImageOps, UnidentifiedImageError

    check_size(upload)
    upload.seek(0)
    try:
        with Image.open(upload) as probe:
            probe.verify()
        upload.seek(0)
        image = Image.open(upload)
        image.load()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise ValidationError(
            _("“%(name)s” is not an image (JPEG, PNG, WebP or GIF)."), code="not_an_image", params={"name": upload.name}
        ) from None
    if image.format not in IMAGE_FORMATS:
        raise ValidationError(
            _("“%(name)s” is a %(format)s image; use JPEG, PNG, WebP or GIF."),
            code="image_format",
            params={"name": upload.name, "format": image.format},
        )
    if keep_exif:
        upload.seek(0)
        return upload
    fmt = image.format
    image = ImageOps.exif_transpose(image)  # keep the orientation the camera meant, drop the rest
    if fmt == "JPEG" and image.mode not in ("RGB", "L"):
        image = image.convert("RGB")
    buffer = io.BytesIO()
    image.save(buffer, format=fmt, **({"quality": 88} if fmt == "JPEG" else {}))
    size = buffer.tell()
    buffer.seek(0)
    stem = os.path.splitext(os.path.basename(upload.name or "photo"))[0][:80] or "photo"
    name = f"{stem}.{IMAGE_FORMATS[fmt]}"
    return InMemoryUploadedFile(buffer, "file", name, f"image/{IMAGE_FORMATS[fmt].replace('jpg', 'jpeg')}", size, None)


def clean_document(upload: UploadedFile) -> UploadedFile:
    """Attachments: size limit and an allowed type; images are cleaned as images."""
    check_size(upload)
    extension = os.path.splitext(upload.name or "")[1].lower()
    if extension not in DOCUMENT_EXTENSIONS:
        raise ValidationError(
            _("Files of type “%(ext)s” are not accepted; use PDF, Word, Excel, text or an image."),
            code="file_type",
            params={"ext": extension or "?"},
        )
    if extension in {".jpg", ".jpeg", ".png", ".webp"}:
        return clean_image(upload)
    head = upload.read(8)
    upload.seek(0)
    if extension == ".pdf" and not head.startswith(b"%PDF"):
        raise ValidationError(_("“%(name)s” is not a PDF file."), code="file_content", params={"name": upload.name})
    if extension in {".docx", ".xlsx"} and not head.startswith(b"PK"):
        raise ValidationError(
            _("“%(name)s” is not a valid Office file."), code="file_content", params={"name": upload.name}
        )
    return upload

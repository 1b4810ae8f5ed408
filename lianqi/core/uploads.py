"""Validation of uploaded files, by content rather than by name or the browser's content type.

Every place that accepts a file goes through one of these helpers:

- :func:`clean_image` — photos. The file is opened with Pillow (anything that is not a JPEG,
  PNG, WebP or GIF is refused whatever its name), its pixel count is bounded, and it is
  re-encoded, so EXIF and XMP data — GPS location, camera serial numbers — are never stored.
  No place in Lianqi keeps EXIF: where a location matters it is recorded as a field.
- :func:`clean_document` — attachments and evidence: the extension must be allowed *and* the
  content must be what the extension says (PDF header, OLE2 or Office Open XML package, plain
  text); images among them are cleaned as images.
- :func:`clean_spreadsheet` — imports (.xlsx / .csv): the same content checks, with the larger
  import limit.

Sizes come from settings per kind (``MAX_UPLOAD_MB`` for photos and attachments,
``MAX_IMPORT_MB`` for imports). Every refusal is a ``ValidationError`` with its own code and a
message naming the file.
"""

from __future__ import annotations

import codecs
import io
import os
import zipfile

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import InMemoryUploadedFile, UploadedFile
from django.utils.translation import gettext as _

IMAGE_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp", "GIF": "gif"}
IMAGE_EXTENSIONS = {".jpg", ".jpeg", ".png", ".webp", ".gif"}
# Extension → the content type we serve it with (never the one the browser sent).
DOCUMENT_TYPES = {
    ".pdf": "application/pdf",
    ".doc": "application/msword",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xls": "application/vnd.ms-excel",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".txt": "text/plain",
    ".csv": "text/csv",
}
DOCUMENT_EXTENSIONS = set(DOCUMENT_TYPES) | (IMAGE_EXTENSIONS - {".gif"})
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .doc / .xls (Compound File Binary)
# The part an Office Open XML package of each kind cannot lack.
OFFICE_MAIN_PART = {".docx": "word/document.xml", ".xlsx": "xl/workbook.xml"}
# A package whose parts unpack to more than this many times the import limit, or with more
# parts than this, is refused before any reader opens it (zip bombs).
OFFICE_MAX_EXPANSION = 20
OFFICE_MAX_PARTS = 5000


def upload_limit(kind: str = "document") -> int:
    """The largest accepted file of ``kind`` ("image", "document", "spreadsheet"), in bytes."""
    megabytes = settings.MAX_IMPORT_MB if kind == "spreadsheet" else settings.MAX_UPLOAD_MB
    return megabytes * 1024 * 1024


def max_upload_bytes() -> int:
    return upload_limit("document")


def check_size(upload: UploadedFile, limit: int | None = None, *, kind: str = "document") -> None:
    limit = limit or upload_limit(kind)
    if upload.size is not None and upload.size > limit:
        raise ValidationError(
            _("“%(name)s” is %(size).1f MB; the limit is %(limit)d MB."),
            code="too_large",
            params={"name": upload.name, "size": upload.size / 1048576, "limit": limit // 1048576},
        )
    if upload.size == 0:
        raise ValidationError(_("“%(name)s” is empty."), code="empty", params={"name": upload.name})


def _head(upload: UploadedFile, count: int = 8) -> bytes:
    upload.seek(0)
    head = upload.read(count)
    upload.seek(0)
    return head


def _not_what_it_says(upload: UploadedFile, extension: str) -> ValidationError:
    return ValidationError(
        _("“%(name)s” is not a real %(ext)s file: its content does not match its name."),
        code="file_content",
        params={"name": upload.name, "ext": extension},
    )


def clean_image(upload: UploadedFile) -> UploadedFile:
    """Return a re-encoded copy of an uploaded image without its metadata, or raise
    ValidationError with a clear message."""
    from PIL import Image, ImageOps, UnidentifiedImageError

    check_size(upload, kind="image")
    not_an_image = ValidationError(
        _("“%(name)s” is not an image (JPEG, PNG, WebP or GIF)."), code="not_an_image", params={"name": upload.name}
    )
    upload.seek(0)
    try:
        with Image.open(upload) as probe:
            fmt = probe.format
            width, height = probe.size
            if fmt in IMAGE_FORMATS and width * height <= settings.IMAGE_MAX_PIXELS:
                probe.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise not_an_image from None
    if fmt not in IMAGE_FORMATS:
        raise ValidationError(
            _("“%(name)s” is a %(format)s image; use JPEG, PNG, WebP or GIF."),
            code="image_format",
            params={"name": upload.name, "format": fmt},
        )
    if width * height > settings.IMAGE_MAX_PIXELS:
        raise ValidationError(
            _("“%(name)s” is %(width)d × %(height)d pixels; the limit is %(limit)d megapixels."),
            code="too_many_pixels",
            params={"name": upload.name, "width": width, "height": height, "limit": settings.IMAGE_MAX_PIXELS // 10**6},
        )
    upload.seek(0)
    try:
        image = Image.open(upload)
        image.load()
        image = ImageOps.exif_transpose(image)  # keep the orientation the camera meant, drop the rest
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise not_an_image from None
    if fmt == "JPEG" and image.mode not in ("RGB", "L"):
        image = image.convert("RGB")
    # Only what drawing the pixels needs goes into the new file: no EXIF, XMP or comments.
    kept = {key: image.info[key] for key in ("transparency", "icc_profile") if key in image.info}
    image.info = {}
    buffer = io.BytesIO()
    options = {"quality": 88} if fmt == "JPEG" else {}
    if "icc_profile" in kept:
        options["icc_profile"] = kept["icc_profile"]
    if "transparency" in kept and fmt in ("PNG", "GIF"):
        options["transparency"] = kept["transparency"]
    image.save(buffer, format=fmt, **options)
    size = buffer.tell()
    buffer.seek(0)
    stem = os.path.splitext(os.path.basename(upload.name or "photo"))[0][:80] or "photo"
    name = f"{stem}.{IMAGE_FORMATS[fmt]}"
    return InMemoryUploadedFile(buffer, "file", name, f"image/{IMAGE_FORMATS[fmt].replace('jpg', 'jpeg')}", size, None)


def check_office_package(upload: UploadedFile, extension: str, *, kind: str = "document") -> None:
    """An .xlsx or .docx must be a zip holding the package's main part, and must not unpack to
    far more than the upload limit (a zip bomb)."""
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            infos = archive.infolist()
            names = {info.filename for info in infos}
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        raise _not_what_it_says(upload, extension) from None
    finally:
        upload.seek(0)
    if "[Content_Types].xml" not in names or OFFICE_MAIN_PART[extension] not in names:
        raise _not_what_it_says(upload, extension)
    unpacked = sum(info.file_size for info in infos)
    if len(infos) > OFFICE_MAX_PARTS or unpacked > OFFICE_MAX_EXPANSION * upload_limit(kind):
        raise ValidationError(
            _("“%(name)s” unpacks to far more data than a real %(ext)s file; it is refused."),
            code="zip_bomb",
            params={"name": upload.name, "ext": extension},
        )


def check_text(upload: UploadedFile, extension: str) -> None:
    """A .txt or .csv must be text — UTF-8, GB 18030 (GBK) or UTF-16 with a byte-order mark, as
    spreadsheet programs save it — not a binary renamed."""
    upload.seek(0)
    sample = upload.read(64 * 1024)
    upload.seek(0)
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encodings = ["utf-16"]
    elif b"\x00" in sample:
        raise _not_what_it_says(upload, extension)
    else:
        encodings = ["utf-8", "gb18030"]
    for encoding in encodings:
        try:
            # Incremental: the sample may end inside a character.
            codecs.getincrementaldecoder(encoding)().decode(sample, final=False)
            return
        except UnicodeDecodeError:
            continue
    raise _not_what_it_says(upload, extension)


def _check_content(upload: UploadedFile, extension: str, *, kind: str) -> None:
    head = _head(upload)
    if extension == ".pdf" and not head.startswith(b"%PDF-"):
        raise _not_what_it_says(upload, extension)
    if extension in (".doc", ".xls") and not head.startswith(OLE2_MAGIC):
        raise _not_what_it_says(upload, extension)
    if extension in OFFICE_MAIN_PART:
        check_office_package(upload, extension, kind=kind)
    if extension in (".txt", ".csv"):
        check_text(upload, extension)


def clean_document(upload: UploadedFile) -> UploadedFile:
    """Attachments: size limit, an allowed type, content matching the type; images are cleaned
    as images. The returned file's ``content_type`` is the one we determined."""
    check_size(upload)
    extension = os.path.splitext(upload.name or "")[1].lower()
    if extension not in DOCUMENT_EXTENSIONS:
        raise ValidationError(
            _("Files of type “%(ext)s” are not accepted; use PDF, Word, Excel, text or an image."),
            code="file_type",
            params={"ext": extension or "?"},
        )
    if extension in IMAGE_EXTENSIONS:
        return clean_image(upload)
    _check_content(upload, extension, kind="document")
    upload.content_type = DOCUMENT_TYPES[extension]
    return upload


def clean_spreadsheet(upload: UploadedFile, *, extensions=(".xlsx", ".csv")) -> UploadedFile:
    """Imports: an .xlsx (or, where allowed, .csv) whose content is what its name says."""
    extension = os.path.splitext(upload.name or "")[1].lower()
    if extension not in extensions:
        raise ValidationError(
            _("Upload an %(types)s file (this one is “%(name)s”)."),
            code="file_type",
            params={"types": " / ".join(extensions), "name": upload.name},
        )
    check_size(upload, kind="spreadsheet")
    _check_content(upload, extension, kind="spreadsheet")
    return upload

"""The checkpoint's QR code (made locally with segno) and its printable A4 poster (WeasyPrint)."""

from __future__ import annotations

import io

import segno
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone


def qr_svg(checkpoint, *, scale: int = 6) -> str:
    """An inline <svg> of the self-registration link (error correction M survives a worn print)."""
    code = segno.make(checkpoint.self_registration_url(), error="m")
    buffer = io.BytesIO()
    code.save(buffer, kind="svg", scale=scale, border=2, xmldecl=False, svgns=True, dark="#111")
    return buffer.getvalue().decode()


def poster_pdf(checkpoint) -> bytes:
    from weasyprint import HTML

    html = render_to_string(
        "checkpoints/poster.html",
        {
            "checkpoint": checkpoint,
            # A PNG prints crisper than the SVG's stroked path in WeasyPrint (no hairlines between modules).
            "qr_png": segno.make(checkpoint.self_registration_url(), error="m").png_data_uri(scale=12, border=2),
            "url": checkpoint.self_registration_url(),
            "threshold": settings.FEVER_THRESHOLD,
            "retention": settings.PERSONAL_DATA_RETENTION_DAYS,
            "printed": timezone.localdate(),
        },
    )
    return HTML(string=html, base_url=settings.SITE_URL).write_pdf()

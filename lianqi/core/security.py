"""Security headers Django does not set itself: a Content Security Policy and a Permissions Policy.

Django 5.2 has no built-in CSP; this middleware adds one header to every response, built once
from settings. Pages carry no inline scripts or event-handler attributes (their scripts are
static files; data reaches them through ``json_script`` and ``data-`` attributes), so
``script-src 'self'`` holds. Inline *styles* stay allowed: templates use style attributes and
ECharts and Leaflet set styles in the markup they build (see docs/security.md).

Settings: ``CSP_IMG_SRC`` adds image sources (the map tile server of ``MAP_TILE_URL`` is added
by itself); ``CSP_REPORT_ONLY`` sends the policy as report-only, to try a change out first.
"""

from __future__ import annotations

from functools import cache
from urllib.parse import urlsplit

from django.conf import settings


def tile_source(url: str) -> str | None:
    """The CSP source of a Leaflet tile URL: "https://{s}.tile.example.cn/{z}/{x}/{y}.png" →
    "https://*.tile.example.cn"."""
    if not url:
        return None
    parts = urlsplit(url.replace("{s}", "*"))
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return None
    return f"{parts.scheme}://{parts.netloc}"


@cache
def _policy(tile_url: str, extra_images: tuple[str, ...]) -> str:
    images = ["'self'", "data:", "blob:", *extra_images]
    tiles = tile_source(tile_url)
    if tiles and tiles not in images:
        images.append(tiles)
    directives = {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": images,
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
    return "; ".join(f"{name} {' '.join(sources)}" for name, sources in directives.items())


def content_security_policy() -> str:
    return _policy(settings.MAP_TILE_URL, tuple(settings.CSP_IMG_SRC))


# Features no page uses are switched off; the camera stays available to our own pages (photos of
# hazards and inspections are taken through the file input, a QR scanner would need it).
PERMISSIONS_POLICY = ", ".join(
    [
        "camera=(self)",
        "geolocation=()",
        "microphone=()",
        "payment=()",
        "usb=()",
        "display-capture=()",
    ]
)


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        header = "Content-Security-Policy-Report-Only" if settings.CSP_REPORT_ONLY else "Content-Security-Policy"
        if "Content-Security-Policy" not in response and "Content-Security-Policy-Report-Only" not in response:
            response[header] = content_security_policy()
        if "Permissions-Policy" not in response:
            response["Permissions-Policy"] = PERMISSIONS_POLICY
        return response

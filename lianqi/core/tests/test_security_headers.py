"""Security headers on every kind of response, and templates that keep the policy possible (no
inline scripts, no on…="" handlers, no hx-on). The browser proof is test_csp_browser.py."""

import re
from pathlib import Path

import pytest

import lianqi
from lianqi.core.security import tile_source

pytestmark = pytest.mark.django_db

EXPECTED = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; "
    "font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
    "frame-ancestors 'none'"
)


@pytest.mark.parametrize("path", ["/accounts/login/", "/api/v1/hazards/", "/no-such-page/", "/healthz"])
def test_every_response_carries_the_headers(client, path):
    response = client.get(path)
    assert response["Content-Security-Policy"] == EXPECTED
    assert "camera=(self)" in response["Permissions-Policy"] and "microphone=()" in response["Permissions-Policy"]
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_pages_may_not_be_framed(client):
    response = client.get("/accounts/login/")
    assert response["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]


def test_the_map_tile_server_is_allowed_as_an_image_source(client, settings):
    settings.MAP_TILE_URL = "https://{s}.tile.example.gov.cn/{z}/{x}/{y}.png"
    settings.CSP_IMG_SRC = ["https://img.example.gov.cn"]
    policy = client.get("/accounts/login/")["Content-Security-Policy"]
    assert "img-src 'self' data: blob: https://img.example.gov.cn https://*.tile.example.gov.cn;" in policy
    assert "script-src 'self';" in policy  # nothing else widens


@pytest.mark.parametrize(
    "url, source",
    [
        ("https://tiles.example.cn/{z}/{x}/{y}.png", "https://tiles.example.cn"),
        ("http://10.1.2.3:8080/tiles/{z}/{x}/{y}.png", "http://10.1.2.3:8080"),
        ("", None),
        ("javascript:alert(1)", None),
        ("/tiles/{z}/{x}/{y}.png", None),  # our own server: 'self' covers it
    ],
)
def test_tile_sources(url, source):
    assert tile_source(url) == source


def test_report_only_mode(client, settings):
    settings.CSP_REPORT_ONLY = True
    response = client.get("/accounts/login/")
    assert "Content-Security-Policy" not in response
    assert response["Content-Security-Policy-Report-Only"] == EXPECTED


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/(ld\+)?json\")[^>]*>", re.I)
TEMPLATE_TAG = re.compile(r"{%.*?%}", re.S)
HANDLER = re.compile(r"\s(on[a-z]+|hx-on[:\w-]*)\s*=", re.I)


def test_no_template_has_an_inline_script_or_handler():
    root = Path(lianqi.__file__).parent
    offenders = []
    for template in sorted(root.rglob("templates/**/*.html")):
        text = TEMPLATE_TAG.sub("", template.read_text(encoding="utf-8"))  # {% … with ontime=x %} is no handler
        for pattern in (INLINE_SCRIPT, HANDLER):
            offenders += [f"{template.relative_to(root)}: {m.group(0).strip()}" for m in pattern.finditer(text)]
        if "javascript:" in text.lower():
            offenders.append(f"{template.relative_to(root)}: javascript: URL")
    assert offenders == []


def test_the_scan_would_catch_one():
    assert INLINE_SCRIPT.search("<script>alert(1)</script>")
    assert not INLINE_SCRIPT.search('<script src="/static/x.js"></script>')
    assert HANDLER.search('<form onsubmit="return confirm()">')
    assert HANDLER.search('<a hx-on::after-request="x()">')
    assert not HANDLER.search('<a data-confirm="x">')

"""Structured logs: a request id on every record of a request, and no secret in any record."""

import io
import json
import logging
import re

import pytest
from celery import shared_task

from lianqi.accounts.models import ApiToken
from lianqi.accounts.tests.factories import PASSWORD
from lianqi.core.logs import JsonFormatter, RequestIdFilter, TextFormatter, request_id_var, scrub

pytestmark = pytest.mark.django_db


@pytest.fixture
def captured():
    """Everything logged while the test runs, as the production handler writes it (JSON lines)."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RequestIdFilter())
    root = logging.getLogger()
    saved = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    yield stream
    root.removeHandler(handler)
    root.setLevel(saved)


def _records(stream):
    lines = [line for line in stream.getvalue().splitlines() if line.strip()]
    return [json.loads(line) for line in lines]  # every line is one JSON object


def test_settings_use_the_json_formatter_with_the_request_id_filter_and_the_middleware_first(settings):
    handler = settings.LOGGING["handlers"]["console"]
    assert handler["filters"] == ["request_id"]
    assert settings.LOGGING["formatters"][handler["formatter"]]["()"].startswith("lianqi.core.logs.")
    assert settings.MIDDLEWARE[0] == "lianqi.core.logs.RequestIdMiddleware"


def test_request_id_from_the_proxy_is_kept_and_reaches_every_record(client, captured):
    response = client.get("/api/v1/no-such-thing/", HTTP_X_REQUEST_ID="edge-7f3a.42")
    assert response.status_code == 404
    assert response["X-Request-ID"] == "edge-7f3a.42"
    records = [r for r in _records(captured) if r["logger"] == "django.request"]
    assert records, captured.getvalue()
    assert {r["request_id"] for r in records} == {"edge-7f3a.42"}
    assert request_id_var.get() is None  # nothing leaks into the next request on this thread


def test_a_missing_or_unsafe_request_id_is_replaced(client):
    made = client.get("/healthz")["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", made)
    assert client.get("/healthz")["X-Request-ID"] != made
    for bad in ("two words", "a" * 200, "x\r\nSet-Cookie: y=1", "<script>", "../etc"):
        replaced = client.get("/healthz", HTTP_X_REQUEST_ID=bad)["X-Request-ID"]
        assert replaced != bad and re.fullmatch(r"[0-9a-f]{32}", replaced), bad


def test_login_and_api_requests_leave_no_secret_in_the_logs(client, cast, captured):
    wrong = "Wr0ng-guess-Secret!"
    client.post("/accounts/login/", {"username": cast.official_a.username, "password": wrong})
    response = client.post("/accounts/login/", {"username": cast.official_a.username, "password": PASSWORD})
    assert response.status_code == 302
    session = client.cookies["sessionid"].value
    token = ApiToken.issue(cast.official_a)
    from rest_framework.test import APIClient

    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert api.patch("/api/v1/me/", {"phone": "13912345678"}, format="json").status_code == 200
    # A bad value: Django logs the 400 response, with the request attached.
    assert api.patch("/api/v1/me/", {"phone": "13912345678x", "language": "fr"}, format="json").status_code == 400
    bad_token = APIClient()
    bad_token.credentials(HTTP_AUTHORIZATION=f"Token {token[:-4]}beef")
    assert bad_token.get("/api/v1/me/").status_code in (401, 403)
    # Code that carelessly logs personal data or credentials is masked too.
    logger = logging.getLogger("lianqi.test")
    logger.warning(
        "visitor 110101199003074578 phone 13800138000 said password=%s with Authorization: Token %s",
        wrong,
        token,
    )
    try:
        raise ValueError(f"lookup of 110101199003074578 with token={token}")
    except ValueError:
        logger.exception("failed", extra={"request": response.wsgi_request, "user_phone": "13800138000", "step": 3})

    output = captured.getvalue()
    records = _records(captured)
    assert any(r["logger"] == "django.request" and r["request_id"] for r in records), output
    for secret in (wrong, PASSWORD, token, session, "13912345678", "13800138000", "110101199003074578"):
        assert secret not in output, secret
    masked = next(r for r in records if r["logger"] == "lianqi.test" and r["level"] == "WARNING")
    assert "110101********4578" in masked["message"] and "138****8000" in masked["message"]
    failed = next(r for r in records if r["message"] == "failed")
    assert failed["step"] == 3 and "user_phone" not in failed and "request" not in failed
    assert "ValueError" in failed["exception"] and "110101********4578" in failed["exception"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("id 11010119900307457X ok", "id 110101********457X ok"),
        ("call 15800001111.", "call 158****1111."),
        ('{"password": "hunter2", "user": "li"}', '{"password": "***", "user": "li"}'),
        ("Authorization: Bearer eyJhbGciOi.J9x1", "Authorization: *** ***"),
        ("csrftoken=abc123; sessionid=def456", "csrftoken=***; sessionid=***"),
        # Not secrets: left alone.
        ("Basic information about 12 enterprises", "Basic information about 12 enterprises"),
        ("order 2024-000123 of 1234567890123", "order 2024-000123 of 1234567890123"),
    ],
)
def test_scrub(text, expected):
    assert scrub(text) == expected


def test_text_format_for_development_is_scrubbed_and_names_the_request():
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "phone %s", ("13800138000",), None)
    RequestIdFilter().filter(record)
    assert "138****8000" in TextFormatter().format(record)
    token = request_id_var.set("r-1")
    try:
        RequestIdFilter().filter(record)
    finally:
        request_id_var.reset(token)
    assert TextFormatter().format(record).endswith("[request r-1]")


@shared_task(name="tests.core.log_in_task")
def log_in_task():
    logging.getLogger("lianqi.test.task").info("inside the task")


def test_a_task_queued_by_a_request_logs_with_its_id(captured):
    token = request_id_var.set("req-from-web")
    try:
        log_in_task.delay()  # eager in tests: runs here, as the worker would with the header
    finally:
        request_id_var.reset(token)
    log_in_task.delay()  # no request: the task's own id
    first, second = [r for r in _records(captured) if r["logger"] == "lianqi.test.task"]
    assert first["request_id"] == "req-from-web"
    assert second["request_id"] and second["request_id"] != "req-from-web"
    assert request_id_var.get() is None

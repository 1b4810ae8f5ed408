"""Secrets never reach the logs: with every logger at DEBUG (and SQL logging on), a failed
sign-in, checkpoint entries carrying an ID number and a phone, and API calls with a token —
good and bad — leave none of the password, the raw ID number, the phone or the token in any
log record. (SQL debug logging shows the parameters of the token lookup: it exists only with
DEBUG on, which production refuses to combine with real data — see docs/security.md.)"""

import logging

import pytest
from django.db import connection

from lianqi.accounts.tests.factories import PASSWORD
from lianqi.checkpoints.personal import make_id_number

pytestmark = pytest.mark.django_db

SECRET_PASSWORD = "Tr0ub4dor&3-horse-staple"  # noqa: S105
ID_NUMBER = make_id_number("410105", "19900307", 123)
PHONE = "13812345678"
BAD_ID = ID_NUMBER[:-1] + ("0" if ID_NUMBER[-1] != "0" else "1")  # wrong check digit


class Everything(logging.Handler):
    def __init__(self):
        super().__init__(logging.DEBUG)
        self.lines = []

    def emit(self, record):
        text = self.format(record)
        self.lines.append((record.name, text + " " + repr(record.args) + " " + repr(record.__dict__)))


@pytest.fixture
def all_logs():
    """Every logger at DEBUG into one handler; SQL statements logged with their parameters."""
    handler = Everything()
    handler.setFormatter(logging.Formatter("%(name)s %(levelname)s %(message)s"))
    root = logging.getLogger()
    loggers = [root] + [logging.getLogger(name) for name in list(logging.Logger.manager.loggerDict)]
    saved = [(logger, logger.level, logger.disabled) for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.DEBUG)
        logger.disabled = False
    root.addHandler(handler)
    connection.force_debug_cursor = True
    try:
        yield handler
    finally:
        connection.force_debug_cursor = False
        root.removeHandler(handler)
        for logger, level, disabled in saved:
            logger.setLevel(level)
            logger.disabled = disabled


def assert_absent(handler, secret, *, except_loggers=()):
    found = [(name, text[:300]) for name, text in handler.lines if secret in text and name not in except_loggers]
    assert found == []


def test_a_failed_sign_in_logs_no_password(client, cast, all_logs):
    client.post("/accounts/login/", {"username": cast.office.username, "password": SECRET_PASSWORD})
    client.post("/admin/login/", {"username": cast.admin.username, "password": SECRET_PASSWORD})
    client.force_login(cast.office)
    client.post(
        "/accounts/password/",
        {"old_password": SECRET_PASSWORD, "new_password1": SECRET_PASSWORD + "x", "new_password2": "other"},
    )
    assert all_logs.lines, "the capture works: something was logged"
    assert any("django_session" in text or "accounts_user" in text for _name, text in all_logs.lines)
    assert_absent(all_logs, SECRET_PASSWORD)
    assert_absent(all_logs, PASSWORD)


def test_checkpoint_entries_log_no_id_number_or_phone(client, cast, as_token, all_logs):
    from lianqi.accounts.choices import Role
    from lianqi.accounts.tests.factories import MembershipFactory, UserFactory
    from lianqi.checkpoints.models import Checkpoint, CheckpointGuard, Entry

    guard = UserFactory(username="guard_logs", phone="")
    MembershipFactory(user=guard, role=Role.GUARD)
    gate = Checkpoint.objects.create(
        name="北门", kind="enterprise_gate", enterprise=cast.enterprise_a, jurisdiction=cast.street_a
    )
    CheckpointGuard.objects.create(checkpoint=gate, user=guard)
    api = as_token(guard)
    body = {
        "name": "张伟",
        "id_number": ID_NUMBER,
        "phone": PHONE,
        "health_code": "green",
        "temperature": 36.5,
        "direction": "in",
        "origin": "郑州",
    }
    assert api.post(f"/api/v1/checkpoints/{gate.pk}/entries/", body, format="json").status_code == 201
    assert (
        api.post(f"/api/v1/checkpoints/{gate.pk}/entries/", {**body, "temperature": 38.2}, format="json").status_code
        == 201
    )
    refused = api.post(f"/api/v1/checkpoints/{gate.pk}/entries/", {**body, "id_number": BAD_ID}, format="json")
    assert refused.status_code == 400
    api.post(f"/api/v1/checkpoints/{gate.pk}/returning/", {"id_number": ID_NUMBER}, format="json")
    client.post(f"/checkpoints/c/{gate.public_token}/", {**body, "direction": "in"})
    client.post(f"/checkpoints/c/{gate.public_token}/", {**body, "id_number": BAD_ID, "direction": "in"})
    assert Entry.objects.count() >= 2
    assert any("checkpoints_entry" in text for _name, text in all_logs.lines)  # SQL was captured
    for secret in (ID_NUMBER, BAD_ID, PHONE, ID_NUMBER[6:14] + ID_NUMBER[14:]):
        assert_absent(all_logs, secret)


def test_api_tokens_are_not_logged(cast, all_logs):
    from rest_framework.test import APIClient

    from lianqi.accounts.models import ApiToken

    token = ApiToken.issue(cast.office)
    good = APIClient(HTTP_AUTHORIZATION=f"Token {token}")
    assert good.get("/api/v1/hazards/").status_code == 200
    assert good.get("/api/v1/hazards/999999/").status_code == 404
    wrong = "0123456789abcdef0123456789abcdef01234567"
    bad = APIClient(HTTP_AUTHORIZATION=f"Token {wrong}")
    assert bad.get("/api/v1/hazards/").status_code in (401, 403)
    assert any(name == "django.request" for name, _text in all_logs.lines)  # the refusal and the 404 were logged
    # Only the SQL of the token lookup, logged with DEBUG on, shows the key.
    assert_absent(all_logs, token, except_loggers=("django.db.backends",))
    assert_absent(all_logs, wrong, except_loggers=("django.db.backends",))

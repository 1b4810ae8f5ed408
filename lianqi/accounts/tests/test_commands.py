import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from lianqi.accounts.models import ApiToken
from lianqi.accounts.tests.factories import UserFactory

ROOT = Path(__file__).resolve().parents[3]


@pytest.mark.django_db
def test_issue_token_prints_a_working_token(capsys, client):
    user = UserFactory(username="api-user")
    call_command("issue_token", "api-user")
    key = capsys.readouterr().out.strip()
    [stored] = ApiToken.objects.filter(user=user)
    # Only the hash and the first characters are stored: the key is shown this once.
    assert stored.key_hash == hashlib.sha256(key.encode()).hexdigest() and stored.prefix == key[:6]
    assert key not in str(ApiToken.objects.values_list())
    response = client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {key}")
    assert response.status_code == 200 and response.json()["username"] == "api-user"
    call_command("issue_token", "api-user")  # a second token (another device): both work
    second = capsys.readouterr().out.strip()
    assert second != key and ApiToken.objects.filter(user=user).count() == 2
    assert client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {key}").status_code == 200
    call_command("issue_token", "api-user", "--rotate")
    third = capsys.readouterr().out.strip()
    for old in (key, second):
        response = client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {old}")
        assert response.status_code == 403 and response.json()["code"] == "authentication_failed"
    assert client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {third}").status_code == 200


@pytest.mark.django_db
def test_issue_token_for_unknown_user_fails_clearly():
    with pytest.raises(CommandError, match="No user named 'nobody'"):
        call_command("issue_token", "nobody")


def _production_env(**extra):
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}}
    env.update(
        DEBUG="0",
        SECRET_KEY="x" * 20 + "-production-secret-for-tests-only-0123456789",
        PERSONAL_DATA_HASH_KEY="production-personal-data-key-for-tests-0123456789",
        ALLOWED_HOSTS="lianqi.example.gov.cn",
        LIANQI_DATA_DIR=str(ROOT / "var" / "deploy-check"),
        **extra,
    )
    return env


def test_check_deploy_is_clean_with_production_settings():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=_production_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_settings_keep_the_security_policy():
    """What check --deploy does not look at: the policies of docs/security.md, as production
    reads them from its environment."""
    probe = (
        "import json; from django.conf import settings as s; from django.test import Client; "
        "r = Client(HTTP_HOST='lianqi.example.gov.cn').get('/healthz', secure=True); "
        "print(json.dumps({k: getattr(s, k) for k in ('SESSION_COOKIE_SECURE', 'CSRF_COOKIE_SECURE', "
        "'SESSION_EXPIRE_AT_BROWSER_CLOSE', 'SESSION_IDLE_TIMEOUT', 'TRUSTED_PROXY_COUNT', 'DEBUG')} "
        "| {'csp': r.headers.get('Content-Security-Policy'), 'hsts': r.headers.get('Strict-Transport-Security'), "
        "'min_length': s.AUTH_PASSWORD_VALIDATORS[1]['OPTIONS']['min_length']}))"
    )
    result = subprocess.run(  # noqa: S603 - our own manage.py with a fixed probe
        [sys.executable, "manage.py", "shell", "-c", probe],
        cwd=ROOT,
        env=_production_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    import json

    found = json.loads(result.stdout.strip().splitlines()[-1])
    assert found["DEBUG"] is False
    assert found["SESSION_COOKIE_SECURE"] and found["CSRF_COOKIE_SECURE"] and found["SESSION_EXPIRE_AT_BROWSER_CLOSE"]
    assert found["SESSION_IDLE_TIMEOUT"] == 7200 and found["TRUSTED_PROXY_COUNT"] == 1
    assert found["min_length"] >= 10
    assert "script-src 'self';" in found["csp"] and "frame-ancestors 'none'" in found["csp"]
    assert found["hsts"].startswith("max-age=31536000")


def test_production_refuses_the_development_secret_key():
    env = _production_env()
    env.pop("SECRET_KEY")
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_bad_setting_stops_start_up_with_a_clear_message():
    env = _production_env(LOGIN_FAILURE_LIMIT="many")
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode != 0
    assert "LOGIN_FAILURE_LIMIT='many' is not a whole number" in result.stderr


def test_seed_demo_is_refused_when_debug_is_off():
    result = subprocess.run(
        [sys.executable, "manage.py", "seed_demo"],
        cwd=ROOT,
        env=_production_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "refused when DEBUG is off" in result.stderr


@pytest.mark.django_db
def test_the_admin_lists_tokens_by_prefix_and_cannot_make_one(admin_client):
    user = UserFactory(username="integration")
    key = ApiToken.issue(user)
    page = admin_client.get("/admin/accounts/apitoken/")
    assert page.status_code == 200
    html = page.content.decode()
    assert key[:6] in html and key not in html and ApiToken.hash(key) not in html
    assert admin_client.get("/admin/accounts/apitoken/add/").status_code == 403

"""Production settings read from the environment: file storage, replica, log format, readiness."""

import runpy
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string

SETTINGS = Path(__file__).resolve().parents[2] / "settings.py"
PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": "settings-test-key-0123456789-abcdefghijklmnopqrstuvwxyz-0123456789",
    "PERSONAL_DATA_HASH_KEY": "0123456789abcdef0123456789abcdef",
    "ALLOWED_HOSTS": "lianqi.example.gov.cn",
    "DATABASE_URL": "postgres://lianqi@db.example:5432/lianqi",
}


def load(monkeypatch, **env):
    """The settings module evaluated afresh under ``env`` (the running settings are untouched)."""
    for name in ("STORAGE_BACKEND", "DATABASE_REPLICA_URL", "LOG_FORMAT", *[k for k in env if k.startswith("S3_")]):
        monkeypatch.delenv(name, raising=False)
    for name, value in {**PRODUCTION, **env}.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(SETTINGS))


def test_local_storage_by_default(monkeypatch, tmp_path):
    config = load(monkeypatch, MEDIA_ROOT=str(tmp_path))
    assert config["STORAGES"]["default"]["BACKEND"] == "django.core.files.storage.FileSystemStorage"
    assert config["MEDIA_ROOT"] == tmp_path
    assert config["STORAGES"]["staticfiles"]["BACKEND"] == "whitenoise.storage.CompressedManifestStaticFilesStorage"


def test_s3_storage_by_setting(monkeypatch):
    config = load(
        monkeypatch,
        STORAGE_BACKEND="s3",
        S3_BUCKET="lianqi-files",
        S3_ENDPOINT_URL="https://s3.example.gov.cn",
        S3_ACCESS_KEY_ID="AKEXAMPLE",
        S3_SECRET_ACCESS_KEY="not-a-real-secret",
        S3_PREFIX="prod",
    )
    default = config["STORAGES"]["default"]
    assert default["BACKEND"] == "storages.backends.s3.S3Storage"
    storage = import_string(default["BACKEND"])(**default["OPTIONS"])  # builds; no request is made
    assert storage.bucket_name == "lianqi-files"
    assert storage.endpoint_url == "https://s3.example.gov.cn"
    assert storage.location == "prod" and storage.default_acl is None and storage.querystring_auth
    assert storage.file_overwrite is False


def test_s3_storage_without_a_bucket_or_an_unknown_backend_stops_start_up(monkeypatch):
    with pytest.raises(ImproperlyConfigured, match="S3_BUCKET"):
        load(monkeypatch, STORAGE_BACKEND="s3")
    with pytest.raises(ImproperlyConfigured, match="STORAGE_BACKEND"):
        load(monkeypatch, STORAGE_BACKEND="ftp")


def test_replica_only_with_the_setting(monkeypatch):
    assert "replica" not in load(monkeypatch)["DATABASES"]
    config = load(monkeypatch, DATABASE_REPLICA_URL="postgres://reader@replica.example:5432/lianqi")
    replica = config["DATABASES"]["replica"]
    assert replica["HOST"] == "replica.example" and replica["USER"] == "reader"
    assert replica["TEST"] == {"MIRROR": "default"}
    assert config["DATABASE_ROUTERS"] == ["lianqi.core.replica.ReplicaRouter"]


def test_log_format_json_in_production_text_in_development(monkeypatch):
    assert load(monkeypatch)["LOGGING"]["handlers"]["console"]["formatter"] == "json"
    assert load(monkeypatch, DEBUG="1")["LOGGING"]["handlers"]["console"]["formatter"] == "text"
    assert load(monkeypatch, LOG_FORMAT="text")["LOGGING"]["handlers"]["console"]["formatter"] == "text"
    with pytest.raises(ImproperlyConfigured, match="LOG_FORMAT"):
        load(monkeypatch, LOG_FORMAT="xml")


def test_health_probes_are_not_redirected_to_https(monkeypatch):
    config = load(monkeypatch)
    assert config["SECURE_SSL_REDIRECT"] is True
    assert {r"^healthz$", r"^readyz$"} <= set(config["SECURE_REDIRECT_EXEMPT"])


@pytest.mark.django_db
def test_readyz_reports_redis_down(client, settings):
    from lianqi.core import views

    if not settings.REDIS_URL:
        pytest.skip("needs Redis (REDIS_URL)")
    assert client.get("/readyz").json()["redis"] == "ok"
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens there
    views._redis.cache_clear()
    try:
        response = client.get("/readyz")
    finally:
        views._redis.cache_clear()
    assert response.status_code == 503
    assert response.json()["status"] == "unavailable" and response.json()["database"] == "ok"
    assert response.json()["redis"] == "ConnectionError"

import pytest
from django.core.exceptions import ImproperlyConfigured

from lianqi.core.env import database_from_url, env_bool, env_float, env_int, env_list, env_str


def test_env_bool_reads_common_spellings(monkeypatch):
    for raw, expected in [("1", True), ("yes", True), ("On", True), ("0", False), ("false", False), ("", False)]:
        monkeypatch.setenv("X_FLAG", raw)
        assert env_bool("X_FLAG", not expected) is expected


def test_env_bool_rejects_nonsense_naming_the_variable(monkeypatch):
    monkeypatch.setenv("X_FLAG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="X_FLAG='maybe' is not a boolean"):
        env_bool("X_FLAG", False)


def test_env_int_checks_type_and_bounds(monkeypatch):
    monkeypatch.setenv("X_NUM", "abc")
    with pytest.raises(ImproperlyConfigured, match="not a whole number"):
        env_int("X_NUM", 1)
    monkeypatch.setenv("X_NUM", "0")
    with pytest.raises(ImproperlyConfigured, match="below the minimum of 1"):
        env_int("X_NUM", 5, minimum=1)
    monkeypatch.setenv("X_NUM", " 42 ")
    assert env_int("X_NUM", 5, minimum=1) == 42


def test_env_float_and_list_and_required_str(monkeypatch):
    monkeypatch.setenv("X_F", "41.5")
    with pytest.raises(ImproperlyConfigured, match="above the maximum"):
        env_float("X_F", 37.3, maximum=40)
    monkeypatch.setenv("X_L", "a, b,,c")
    assert env_list("X_L", []) == ["a", "b", "c"]
    monkeypatch.delenv("X_REQUIRED", raising=False)
    with pytest.raises(ImproperlyConfigured, match="X_REQUIRED is required"):
        env_str("X_REQUIRED")


def test_database_url_postgres_and_sqlite():
    db = database_from_url("postgres://root:p%40ss@127.0.0.1:5432/test")
    assert db["ENGINE"] == "django.db.backends.postgresql"
    assert (db["NAME"], db["USER"], db["PASSWORD"], db["HOST"], db["PORT"]) == (
        "test",
        "root",
        "p@ss",
        "127.0.0.1",
        "5432",
    )
    assert database_from_url("sqlite:////srv/x.db")["NAME"] == "/srv/x.db"
    assert database_from_url("sqlite:///rel.db")["NAME"] == "rel.db"


def test_prepared_statements_can_be_turned_off_for_a_pooler(monkeypatch):
    url = "postgres://root@127.0.0.1:5432/test"
    assert database_from_url(url)["OPTIONS"]["prepare_threshold"] == 5
    monkeypatch.setenv("DATABASE_PREPARED_STATEMENTS", "false")
    assert database_from_url(url)["OPTIONS"]["prepare_threshold"] is None
    monkeypatch.setenv("DATABASE_PREPARED_STATEMENTS", "maybe")
    with pytest.raises(ImproperlyConfigured, match="DATABASE_PREPARED_STATEMENTS"):
        database_from_url(url)


@pytest.mark.parametrize("url", ["mysql://x@y/z", "postgres://x@y:port/z", "postgres://x@y:5432/"])
def test_database_url_rejects_what_it_cannot_use(url):
    with pytest.raises(ImproperlyConfigured):
        database_from_url(url)

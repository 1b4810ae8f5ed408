"""While PostgreSQL or Redis is briefly down, requests fail cleanly (503 with Retry-After, JSON
for the API) or carry on without the cache; they do not answer 500 with a traceback."""

import datetime
import json
import socket

import pytest
from django.db import DEFAULT_DB_ALIAS, OperationalError, connection, connections
from django.test import RequestFactory, override_settings

from lianqi.core import ratelimit
from lianqi.core.views import server_error


def closed_port() -> int:
    """A loopback port nothing listens on (connections are refused at once)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def dead_cache():
    """The shared cache is a Redis server that is not running."""
    location = f"redis://127.0.0.1:{closed_port()}/0"
    return override_settings(
        CACHES={"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": location}}
    )


@pytest.fixture
def cache_down():
    with dead_cache():
        yield


@pytest.fixture
def cache_up():
    """A working cache (the machine's Redis when REDIS_URL is set, else local memory)."""
    from django.core.cache import cache

    cache.clear()
    return cache


def database_error() -> OperationalError:
    """The error Django raises when PostgreSQL does not answer (a real connection attempt)."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL")
    wrapper = type(connections[DEFAULT_DB_ALIAS])
    broken = wrapper({**connection.settings_dict, "PORT": str(closed_port())}, alias=DEFAULT_DB_ALIAS)
    try:
        broken.ensure_connection()
    except OperationalError as error:
        return error
    finally:
        broken.close()
    raise AssertionError("a connection to a closed port succeeded")


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/api/v1/enterprises/", "/enterprises/"])
def test_database_down_answers_503_with_retry_after(path):
    request = RequestFactory().get(path)
    error = database_error()
    try:
        raise error
    except OperationalError:
        response = server_error(request)
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    if path.startswith("/api/"):
        assert json.loads(response.content)["code"] == "unavailable"
    else:
        assert "503" in response.content.decode()


def test_a_bug_is_still_a_500():
    request = RequestFactory().get("/api/v1/enterprises/")
    try:
        raise ValueError("a bug")
    except ValueError:
        response = server_error(request)
    assert response.status_code == 500
    assert json.loads(response.content)["code"] == "server_error"


@pytest.mark.django_db
def test_login_while_the_cache_is_down_is_a_clean_503_not_a_500(client, cast, cache_down):
    """The login lockout counts failures in the cache: without it the page says "try again"."""
    client.raise_request_exception = False
    response = client.post("/accounts/login/", {"username": cast.office.username, "password": "wrong"})
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert "Traceback" not in response.content.decode()


@pytest.mark.django_db
def test_the_dashboard_works_without_the_cache(client, cast, cache_down):
    client.force_login(cast.office)
    response = client.get("/dashboard/")
    assert response.status_code == 200


def test_rate_limit_lets_visitors_through_while_the_cache_is_down(cache_down):
    assert all(ratelimit.hit("test-outage", "1.2.3.4", limit=2, window=60) for _ in range(5))


def test_rate_limit_still_refuses_when_the_cache_is_up(cache_up):
    results = [ratelimit.hit("test-outage", "1.2.3.4", limit=2, window=60) for _ in range(4)]
    assert results == [True, True, False, False]


@pytest.mark.django_db
def test_working_days_are_counted_without_the_cache():
    from lianqi.workdays.calendar import add_working_days, is_working_day
    from lianqi.workdays.models import CalendarDay

    holiday = datetime.date(2031, 3, 3)  # a Monday
    CalendarDay.objects.update_or_create(date=holiday, defaults={"is_working": False, "name": "test"})
    with dead_cache():
        assert not is_working_day(holiday)
        assert is_working_day(datetime.date(2031, 3, 4))
        # From Friday 28 February: the weekend and the holiday are skipped.
        assert add_working_days(datetime.date(2031, 2, 28), 1) == datetime.date(2031, 3, 4)

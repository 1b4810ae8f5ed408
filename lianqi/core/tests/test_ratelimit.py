"""Everything reachable without signing in is rate-limited per client address, answers 429 with
a clear page (or JSON under /api/) and a Retry-After header, and lets the client in again once
the window has passed."""

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse

from lianqi.accounts.tests.factories import PASSWORD, UserFactory
from lianqi.core import ratelimit
from lianqi.core.ratelimit import client_ip

pytestmark = pytest.mark.django_db


@pytest.fixture
def clock(monkeypatch):
    """The rate limiter's clock, moved by hand: ``clock.advance(seconds)``."""

    class Clock:
        now = 1_800_000_000.0  # the start of a window for every window length used here

        def advance(self, seconds):
            self.now += seconds

    clock = Clock()
    monkeypatch.setattr(ratelimit, "_now", lambda: clock.now)
    return clock


def from_ip(address, forwarded=None):
    extra = {"REMOTE_ADDR": address}
    if forwarded:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return extra


# --- The client's address ----------------------------------------------------------------------
def test_client_address_cannot_be_invented_with_x_forwarded_for(settings):
    factory = RequestFactory()
    settings.TRUSTED_PROXY_COUNT = 0  # no proxy: the header is the client's own words
    assert client_ip(factory.get("/", **from_ip("203.0.113.7", "10.9.9.9"))) == "203.0.113.7"
    settings.TRUSTED_PROXY_COUNT = 1  # one proxy: the address it appended, not what the client sent
    assert client_ip(factory.get("/", **from_ip("10.0.0.2", "1.1.1.1, 203.0.113.7"))) == "203.0.113.7"
    assert client_ip(factory.get("/", **from_ip("10.0.0.2", "203.0.113.7"))) == "203.0.113.7"
    assert client_ip(factory.get("/", **from_ip("10.0.0.2"))) == "10.0.0.2"
    settings.TRUSTED_PROXY_COUNT = 2
    assert client_ip(factory.get("/", **from_ip("10.0.0.3", "6.6.6.6, 203.0.113.7, 10.0.0.2"))) == "203.0.113.7"


# --- Public hazard reports ---------------------------------------------------------------------
def report(cast):
    return {"jurisdiction": cast.street_a.pk, "location": "东湖路1号", "category": "gas_lpg", "description": "燃气味"}


def test_public_hazard_reports_hit_the_limit_and_reset(client, cast, settings, clock, english):
    from lianqi.hazards.models import Hazard

    settings.PUBLIC_REPORT_LIMIT = 2
    url = reverse("hazards:public_report")
    codes = [client.post(url, report(cast), **from_ip("203.0.113.7")).status_code for _ in range(3)]
    assert codes == [200, 200, 429]
    limited = client.post(url, report(cast), **from_ip("203.0.113.7"))
    assert limited.status_code == 429 and 0 < int(limited["Retry-After"]) <= 3600
    assert "Too many reports from your connection" in limited.content.decode()
    assert Hazard.objects.count() == 2
    # Another address is not affected; inventing X-Forwarded-For does not help.
    assert client.post(url, report(cast), **from_ip("198.51.100.1")).status_code == 200
    assert client.post(url, report(cast), **from_ip("203.0.113.7", "192.0.2.99")).status_code == 429
    clock.advance(3600)
    assert client.post(url, report(cast), **from_ip("203.0.113.7")).status_code == 200
    assert Hazard.objects.count() == 4


# --- Checkpoint self-registration ---------------------------------------------------------------
def test_checkpoint_self_registration_hits_the_limit_and_resets(client, cast, settings, clock):
    from lianqi.checkpoints.models import Checkpoint, Entry
    from lianqi.checkpoints.personal import make_id_number

    settings.CHECKPOINT_SELF_REGISTRATION_LIMIT = 2
    gate = Checkpoint.objects.create(
        name="北门", kind="enterprise_gate", enterprise=cast.enterprise_a, jurisdiction=cast.street_a
    )
    url = f"/checkpoints/c/{gate.public_token}/"
    data = {
        "name": "张伟",
        "id_number": make_id_number("410105", "19900307", 123),
        "phone": "13812345678",
        "health_code": "green",
        "direction": "in",
        "origin": "郑州",
    }
    codes = [client.post(url, data, **from_ip("203.0.113.8")).status_code for _ in range(3)]
    assert codes == [200, 200, 429]
    assert Entry.objects.count() == 2
    clock.advance(600)
    assert client.post(url, data, **from_ip("203.0.113.8")).status_code == 200


# --- Login ---------------------------------------------------------------------------------------
def test_one_address_trying_many_names_is_stopped_with_429(client, settings, clock, english):
    settings.LOGIN_IP_FAILURE_LIMIT = 3
    settings.LOGIN_FAILURE_LIMIT = 100  # the per-account lockout is not what stops this
    UserFactory(username="ivy")
    for name in ("a", "b", "c"):
        assert (
            client.post("/accounts/login/", {"username": name, "password": "x"}, **from_ip("203.0.113.9")).status_code
            == 200
        )
    response = client.post("/accounts/login/", {"username": "ivy", "password": PASSWORD}, **from_ip("203.0.113.9"))
    assert response.status_code == 429 and int(response["Retry-After"]) > 0
    assert "Too many failed sign-ins from your network" in response.content.decode()
    assert not response.wsgi_request.user.is_authenticated
    # Someone else, elsewhere, signs in; successful sign-ins from a busy office count nothing.
    other = Client()
    assert (
        other.post("/accounts/login/", {"username": "ivy", "password": PASSWORD}, **from_ip("198.51.100.2")).status_code
        == 302
    )
    clock.advance(settings.LOGIN_LOCKOUT_SECONDS)
    assert (
        client.post("/accounts/login/", {"username": "ivy", "password": PASSWORD}, **from_ip("203.0.113.9")).status_code
        == 302
    )


def test_admin_login_is_locked_out_like_the_login_page(client, settings):
    settings.LOGIN_FAILURE_LIMIT = 2
    UserFactory(username="root", is_staff=True, is_superuser=True)
    for _ in range(2):
        assert client.post("/admin/login/", {"username": "root", "password": "wrong"}).status_code == 200
    response = client.post("/admin/login/?next=/admin/", {"username": "root", "password": PASSWORD})
    assert response.status_code == 200  # the form again, not the redirect into the admin
    assert not response.wsgi_request.user.is_authenticated
    # ... and the lockout is shared: the login page refuses the name too.
    response = client.post("/accounts/login/", {"username": "root", "password": PASSWORD})
    assert [e.code for e in response.context["form"].errors.as_data()["__all__"]] == ["locked"]


# --- Public pages and the API ---------------------------------------------------------------------
def test_public_pages_are_limited_with_a_page_and_json(client, settings, clock, english):
    settings.PUBLIC_PAGE_LIMIT = 2
    for _ in range(2):
        assert client.get("/spot-checks/public/", **from_ip("203.0.113.10")).status_code == 200
    page = client.get("/spot-checks/public/", **from_ip("203.0.113.10"))
    assert page.status_code == 429 and page["Retry-After"]
    assert 'data-testid="too-many-requests"' in page.content.decode()
    assert "Too many requests from your connection" in page.content.decode()
    schema = client.get("/api/schema/", **from_ip("203.0.113.10"))
    assert schema.status_code == 429 and schema.json()["code"] == "throttled"
    clock.advance(60)
    assert client.get("/spot-checks/public/", **from_ip("203.0.113.10")).status_code == 200

"""Session and password policies (docs/security.md): what a stolen or forgotten session can do,
and which passwords are refused."""

import pytest
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from lianqi.accounts.middleware import SessionIdleTimeoutMiddleware
from lianqi.accounts.tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db
LOGIN = "/accounts/login/"


def sign_in(client, username, password=PASSWORD):
    response = client.post(LOGIN, {"username": username, "password": password})
    assert response.status_code == 302, response.content[:500]
    return response


# --- Passwords -----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "password, code",
    [
        ("Sh0rt-pw", "password_too_short"),  # 8 characters: 10 is the minimum
        ("password123", "password_too_common"),
        ("qwertyuiop", "password_too_common"),
        ("1234509876543", "password_entirely_numeric"),
        ("zhangwei.jiangchuan", "password_too_similar"),  # the user's own name and e-mail
    ],
)
def test_weak_passwords_are_refused(password, code):
    user = UserFactory.build(username="zhangwei", email="zhangwei@jiangchuan.gov.cn", first_name="Zhang")
    with pytest.raises(ValidationError) as caught:
        validate_password(password, user)
    assert code in [error.code for error in caught.value.error_list]


def test_a_good_password_passes():
    user = UserFactory.build(username="zhangwei")
    assert validate_password("晴川-harbour-lantern-42", user) is None


def test_argon2_hashes_passwords_in_production():
    assert "Argon2PasswordHasher" in settings.PASSWORD_HASHERS[-2]  # tests put a fast hasher first
    assert [v["NAME"].rsplit(".", 1)[1] for v in settings.AUTH_PASSWORD_VALIDATORS] == [
        "UserAttributeSimilarityValidator",
        "MinimumLengthValidator",
        "CommonPasswordValidator",
        "NumericPasswordValidator",
    ]


def test_password_change_needs_the_old_password_and_applies_the_policy(client):
    user = UserFactory(username="hana")
    sign_in(client, "hana")
    url = reverse("accounts:password_change")
    weak = client.post(url, {"old_password": PASSWORD, "new_password1": "12345678", "new_password2": "12345678"})
    assert weak.status_code == 200 and "new_password2" in weak.context["form"].errors
    wrong = client.post(
        url, {"old_password": "guess", "new_password1": "晴川-harbour-42", "new_password2": "晴川-harbour-42"}
    )
    assert wrong.status_code == 200 and "old_password" in wrong.context["form"].errors
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_password_change_signs_out_every_other_session(client):
    UserFactory(username="iris")
    other_device = Client()
    sign_in(other_device, "iris")
    sign_in(client, "iris")
    assert other_device.get("/").status_code == 200
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": "晴川-harbour-42", "new_password2": "晴川-harbour-42"},
    )
    assert response.status_code == 302
    assert client.get("/").status_code == 200  # this session stays signed in
    assert other_device.get("/").status_code == 302  # the other one is out


# --- Sessions ------------------------------------------------------------------------------------
def test_the_session_key_changes_at_sign_in(client):
    UserFactory(username="jade")
    client.get(LOGIN)
    client.session.save()
    before = client.session.session_key
    sign_in(client, "jade")
    assert client.session.session_key != before


def test_logout_kills_the_session_on_the_server(client):
    UserFactory(username="kai")
    sign_in(client, "kai")
    stolen = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert client.post(reverse("accounts:logout")).status_code == 302
    thief = Client()
    thief.cookies[settings.SESSION_COOKIE_NAME] = stolen
    assert thief.get("/").status_code == 302  # the copied cookie opens nothing
    assert client.get(reverse("accounts:logout")).status_code == 405  # logging out is a POST (CSRF-protected)


def test_session_cookie_is_http_only_same_site_and_ends_with_the_browser(client):
    UserFactory(username="lee")
    response = sign_in(client, "lee")
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    assert cookie["expires"] == "" and cookie["max-age"] == ""  # a browser-session cookie
    assert client.session.get_expiry_age() <= settings.SESSION_COOKIE_AGE


def test_an_idle_session_is_signed_out(client, settings, monkeypatch):
    import lianqi.accounts.middleware as middleware

    settings.SESSION_IDLE_TIMEOUT = 600
    UserFactory(username="mia", language="en")
    now = [1_800_000_000]
    monkeypatch.setattr(middleware.time, "time", lambda: now[0])
    sign_in(client, "mia")
    assert client.session[SessionIdleTimeoutMiddleware.KEY] == now[0]
    now[0] += 500
    assert client.get("/").status_code == 200  # active: the clock restarts
    assert client.session[SessionIdleTimeoutMiddleware.KEY] == now[0]
    now[0] += 590
    assert client.get("/").status_code == 200
    now[0] += 601
    response = client.get("/", follow=True)
    assert response.redirect_chain[-1][0].startswith(LOGIN)
    assert "signed out after 10 minutes without activity" in response.content.decode()
    assert not response.wsgi_request.user.is_authenticated


def test_a_fresh_request_costs_no_session_write(client, django_assert_num_queries):
    """The idle clock is started at sign-in, so requests within a minute write nothing."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    user = UserFactory(username="noa")
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        client.get("/healthz")
        client.get(reverse("notifications:inbox"))
    assert not [q for q in queries.captured_queries if "django_session" in q["sql"] and "UPDATE" in q["sql"]]

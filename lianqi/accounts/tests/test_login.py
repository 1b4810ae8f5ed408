import pytest
from django.test import Client, override_settings
from django.urls import reverse

from lianqi.accounts.tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db
LOGIN = "/accounts/login/"


def _login(client, username, password):
    return client.post(LOGIN, {"username": username, "password": password})


def test_login_and_logout(client):
    user = UserFactory(username="alice")
    response = _login(client, "alice", PASSWORD)
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.get("/").wsgi_request.user == user
    assert client.post(reverse("accounts:logout")).status_code == 302
    assert client.get("/").status_code == 302  # back to the login page


@override_settings(LOGIN_FAILURE_LIMIT=3, LOGIN_LOCKOUT_SECONDS=600)
def test_lockout_after_repeated_failures_even_with_the_right_password(client):
    UserFactory(username="bob")
    for _ in range(3):
        response = _login(client, "bob", "wrong-password")
        assert response.status_code == 200
    response = _login(client, "bob", PASSWORD)
    assert response.status_code == 200
    assert [e.code for e in response.context["form"].errors.as_data()["__all__"]] == ["locked"]
    assert "10" in response.context["form"].errors["__all__"][0]  # the wait, in minutes
    assert not response.wsgi_request.user.is_authenticated


@override_settings(LOGIN_FAILURE_LIMIT=3)
def test_lockout_is_per_account_name_case_insensitive_and_success_resets(client):
    UserFactory(username="carol")
    UserFactory(username="dave")
    _login(client, "carol", "nope")
    _login(client, "CAROL", "nope")
    assert _login(client, "carol", PASSWORD).status_code == 302  # success resets the counter
    client.post(reverse("accounts:logout"))
    for _ in range(3):
        _login(client, "carol", "nope")
    assert _login(client, "dave", PASSWORD).status_code == 302  # another account is not affected


@override_settings(LOGIN_FAILURE_LIMIT=2)
def test_unknown_names_lock_the_same_way(client):
    for _ in range(2):
        _login(client, "ghost", "x")
    response = _login(client, "ghost", "x")
    assert "locked" in [e.code for e in response.context["form"].errors.as_data()["__all__"]]


def test_csrf_is_enforced_on_login_and_every_post_form():
    client = Client(enforce_csrf_checks=True)
    UserFactory(username="erin")
    assert client.post(LOGIN, {"username": "erin", "password": PASSWORD}).status_code == 403
    page = client.get(LOGIN)
    assert b"csrfmiddlewaretoken" in page.content


def test_every_post_form_template_has_a_csrf_token():
    from pathlib import Path

    import lianqi

    root = Path(lianqi.__file__).parent
    offenders = []
    for template in root.rglob("*.html"):
        text = template.read_text(encoding="utf-8")
        lowered = text.lower()
        if 'method="post"' in lowered and "csrf_token" not in text:
            offenders.append(str(template.relative_to(root)))
    assert offenders == []


def test_login_form_errors_are_field_level_and_translated(client):
    response = client.post(LOGIN, {"username": "", "password": ""}, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert set(errors) == {"username", "password"}
    assert errors["username"] == ["该字段是必填项。"]
    response = client.post(LOGIN, {"username": "", "password": ""}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.context["form"].errors["username"] == ["This field is required."]


def test_language_choice_is_remembered_on_the_account(client):
    user = UserFactory(username="frank", language="zh-hans")
    client.force_login(user)
    response = client.post(reverse("accounts:set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.language == "en"
    # A new session on another device (no cookie) gets English after login.
    other = Client()
    other.force_login(user)
    assert other.get("/").wsgi_request.LANGUAGE_CODE == "en"


def test_language_switch_rejects_unknown_language_and_foreign_redirect(client):
    user = UserFactory(username="gina", language="zh-hans")
    client.force_login(user)
    response = client.post(reverse("accounts:set_language"), {"language": "xx", "next": "https://evil.example/"})
    assert response["Location"] == "/"
    user.refresh_from_db()
    assert user.language == "zh-hans"


def test_password_change_rejects_a_wrong_old_password(client):
    user = UserFactory(username="hank")
    client.force_login(user)
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": "bad", "new_password1": "n3w-Passw0rd-ok", "new_password2": "n3w-Passw0rd-ok"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    assert "old_password" in response.context["form"].errors
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": "n3w-Passw0rd-ok", "new_password2": "n3w-Passw0rd-ok"},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("n3w-Passw0rd-ok")

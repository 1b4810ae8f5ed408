"""Shared test fixtures: the standard cast every scoping test uses.

city ─┬─ district_a ── street_a
      └─ district_b ── street_b          (a sibling district)

official_a   leader of district A            official_b  leader of district B
office       command office of the city      dept_a      department staff of a district-A department
inspector_a  inspector of street A           enterprise_user  user of enterprise A (street A)
enterprise_a, enterprise_b: one enterprise in each district
outsider     signed in, no membership        admin       system administrator
"""

import os
from dataclasses import dataclass

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop

# Browser fixtures (browser, page) and the login helper, shared by every app's browser tests.
pytest_plugins = ["lianqi.core.tests.browser"]


@dataclass
class Cast:
    city: object
    district_a: object
    district_b: object
    street_a: object
    street_b: object
    department_a: object
    department_b: object
    enterprise_a: object
    enterprise_b: object
    official_a: object
    official_b: object
    office: object
    dept_a: object
    inspector_a: object
    enterprise_user: object
    outsider: object
    admin: object


@pytest.fixture(autouse=True)
def _clean_cache():
    from django.conf import settings
    from django.core.cache import cache
    from django.utils import translation

    from lianqi.workdays.calendar import clear_cache

    cache.clear()
    clear_cache()  # the holiday calendar caches per process; a test may have edited it
    # Each test starts in the default language: requests activate a language for the thread,
    # which would otherwise leak into the next test.
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture
def cast(db):
    from lianqi.accounts.choices import Role
    from lianqi.accounts.tests.factories import MembershipFactory, UserFactory
    from lianqi.departments.tests.factories import DepartmentFactory
    from lianqi.enterprises.tests.factories import EnterpriseFactory, credit_code_for
    from lianqi.jurisdictions.choices import Level
    from lianqi.jurisdictions.tests.factories import JurisdictionFactory

    city = JurisdictionFactory(code="419900", name_zh="江川市", name_en="Jiangchuan City", level=Level.CITY)
    district_a = JurisdictionFactory(
        code="419902", name_zh="东湖区", name_en="Donghu District", level=Level.DISTRICT, parent=city
    )
    district_b = JurisdictionFactory(
        code="419903", name_zh="西山区", name_en="Xishan District", level=Level.DISTRICT, parent=city
    )
    street_a = JurisdictionFactory(
        code="419902001", name_zh="东湖街道", name_en="Donghu Street", level=Level.STREET, parent=district_a
    )
    street_b = JurisdictionFactory(
        code="419903001", name_zh="西山街道", name_en="Xishan Street", level=Level.STREET, parent=district_b
    )
    department_a = DepartmentFactory(name_zh="东湖区应急管理局", jurisdiction=district_a)
    department_b = DepartmentFactory(name_zh="西山区应急管理局", jurisdiction=district_b)

    enterprise_a = EnterpriseFactory(
        name="东湖精细化工有限公司", credit_code=credit_code_for(1, "419902"), jurisdiction=street_a
    )
    enterprise_b = EnterpriseFactory(
        name="西山食品有限公司", credit_code=credit_code_for(2, "419903"), jurisdiction=street_b
    )

    def person(username, **membership):
        user = UserFactory(username=username)
        if membership:
            MembershipFactory(user=user, **membership)
        return user

    admin = person("admin")
    admin.is_superuser = admin.is_staff = True
    admin.save()
    return Cast(
        city=city,
        district_a=district_a,
        district_b=district_b,
        street_a=street_a,
        street_b=street_b,
        department_a=department_a,
        department_b=department_b,
        enterprise_a=enterprise_a,
        enterprise_b=enterprise_b,
        official_a=person("official_a", role=Role.LEADER, jurisdiction=district_a),
        official_b=person("official_b", role=Role.LEADER, jurisdiction=district_b),
        office=person("office", role=Role.OFFICE, jurisdiction=city),
        dept_a=person("dept_a", role=Role.DEPARTMENT, department=department_a),
        inspector_a=person("inspector_a", role=Role.INSPECTOR, jurisdiction=street_a),
        enterprise_user=person("enterprise_user", role=Role.ENTERPRISE, enterprise=enterprise_a),
        outsider=person("outsider"),
        admin=admin,
    )


@pytest.fixture
def api_client():
    from rest_framework.test import APIClient

    return APIClient()


def token_client(user):
    from rest_framework.test import APIClient

    from lianqi.accounts.models import ApiToken

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {ApiToken.issue(user)}")
    return client


@pytest.fixture
def as_token():
    return token_client


@pytest.fixture
def on_commit_now(monkeypatch):
    """Run ``transaction.on_commit`` callbacks at once: tests inside a rolled-back transaction
    still see the notifications a committed request would send."""
    from django.db import transaction

    def run_now(func, using=None, robust=False):
        func()

    monkeypatch.setattr(transaction, "on_commit", run_now)


@pytest.fixture
def english(request):
    """English messages for tests that assert wording: the active language, and the cast's
    users' saved preference (pages and API answer in it)."""
    from django.utils import translation

    # Requests through the test client activate a language for the thread (LocaleMiddleware):
    # make that English too, so messages raised after a request are still in English.
    request.getfixturevalue("settings").LANGUAGE_CODE = "en"
    with translation.override("en"):
        if "cast" in request.fixturenames:
            from lianqi.accounts.models import User

            cast = request.getfixturevalue("cast")
            User.objects.update(language="en")
            for value in vars(cast).values():
                if isinstance(value, User):
                    value.language = "en"
        yield

import pytest

from lianqi.checkpoints.personal import make_id_number

# Valid resident ID numbers (check digits computed), for tests only.
ID_A = make_id_number("410105", "19900307", 123)
ID_B = make_id_number("420102", "19851120", 456)
PHONE_A = "13812345678"
PHONE_B = "13998765432"


@pytest.fixture
def guard(cast):
    from lianqi.accounts.choices import Role
    from lianqi.accounts.tests.factories import MembershipFactory, UserFactory

    user = UserFactory(username="guard_a", phone="")
    MembershipFactory(user=user, role=Role.GUARD)
    return user


@pytest.fixture
def checkpoint(cast, guard):
    """The gate of enterprise A (street A), guarded by ``guard``."""
    from lianqi.checkpoints.models import Checkpoint, CheckpointGuard

    gate = Checkpoint.objects.create(
        name="东湖精细化工 北门", kind="enterprise_gate", enterprise=cast.enterprise_a, jurisdiction=cast.street_a
    )
    CheckpointGuard.objects.create(checkpoint=gate, user=guard)
    return gate


@pytest.fixture
def other_checkpoint(cast):
    """A village entrance in street B (owned by the jurisdiction), with no guard."""
    from lianqi.checkpoints.models import Checkpoint

    return Checkpoint.objects.create(name="西山村 南口", kind="community_entrance", jurisdiction=cast.street_b)


def entry(**overrides):
    data = {
        "name": "张伟",
        "id_number": ID_A,
        "phone": PHONE_A,
        "health_code": "green",
        "temperature": 36.5,
        "direction": "in",
        "origin": "郑州市金水区",
    }
    data.update(overrides)
    return data


@pytest.fixture
def entry_data():
    return entry


class FastPathHandler:
    """The test client's handler with the registration fast path in front of it, as
    ``lianqi/wsgi.py`` puts it in front of Django (``fastpath.wrap``)."""

    def __init__(self, handler):
        self.handler = handler

    def __call__(self, environ):
        from django.core import signals
        from django.core.handlers.wsgi import WSGIRequest
        from django.db import close_old_connections
        from django.http import HttpResponse

        from lianqi.checkpoints import fastpath

        # As Django's test handler does: the test's transaction keeps its connection.
        signals.request_started.disconnect(close_old_connections)
        signals.request_finished.disconnect(close_old_connections)
        try:
            body = fastpath.answer(environ)
        finally:
            signals.request_started.connect(close_old_connections)
            signals.request_finished.connect(close_old_connections)
        if body is None:
            return self.handler(environ)
        response = HttpResponse(body, status=201, headers=dict(fastpath.HEADERS))
        response.fast_path = True
        response.wsgi_request = WSGIRequest(environ)
        response.request = environ
        return response


@pytest.fixture(params=["django", "fast-path"])
def post_entry(request, as_token, guard, checkpoint):
    """POST an entry as the guard through the API; returns the response. Each test runs twice:
    through Django alone and with the registration fast path in front, as in production."""
    client = as_token(guard)
    if request.param == "fast-path":
        client.handler = FastPathHandler(client.handler)

    def send(data=None, *, pk=None, **overrides):
        body = data if data is not None else entry(**overrides)
        return client.post(f"/api/v1/checkpoints/{pk or checkpoint.pk}/entries/", body, format="json")

    return send

"""Property-based fuzzing of the whole REST API with schemathesis.

Every operation of the OpenAPI schema (as served at ``/api/schema/``) is called in-process with
generated valid and invalid input, as one of several roles of the demo city, and each response must:

* not be a server error (5xx);
* have a documented status code and content type;
* if it is an error, match the documented error format (``lianqi.core.api.schema``).

Writes are wanted: POST/PUT/PATCH run against the seeded demo world, inside a transaction that is
rolled back after each operation. Path ids are drawn partly from records that exist (visible to the
role or not) and partly at random, so both the found and the not-found paths are exercised.

The budget is small and derandomized for CI. ``FUZZ_EXAMPLES=50`` (examples per operation) and
``FUZZ_PATHS=regex`` (only some paths) are for longer runs: ``bench/fuzz.py``,
``docs/benchmarks.md``.
"""

import io
import os
import re

import pytest
import schemathesis
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections, transaction
from django.test.utils import override_settings
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "8"))
STATS = os.environ.get("FUZZ_STATS")
# The demo accounts the fuzzer acts as (seed_demo); "nobody" sends no token at all.
ROLES = ("leader", "district_leader", "office", "dept", "inspector", "enterprise", "guard", "admin", "nobody")

CONFIG = schemathesis.Config.from_dict(
    {
        # The coverage phase (boundary values) does not combine with the role drawn by ``given``;
        # the fuzzing phase draws boundary values too, less systematically.
        "phases": {"coverage": {"enabled": False}, "stateful": {"enabled": False}},
        "generation": {"deterministic": True, "database": "none"},
    }
)
schema = schemathesis.openapi.from_wsgi("/api/schema/", get_wsgi_application(), config=CONFIG)
if os.environ.get("FUZZ_PATHS"):  # a regular expression, to fuzz a few operations only
    schema = schema.include(path_regex=os.environ["FUZZ_PATHS"])

# Filled by the ``world`` fixture: tokens per role, existing ids per path collection.
WORLD: dict = {"tokens": {}, "ids": {}}


@schemathesis.check
def error_schema_conformance(ctx, response, case):
    """Error responses (4xx) match the documented error format. Success bodies are the
    serializers' business and are checked by each app's API tests."""
    if response.status_code < 400:
        return None
    return response_schema_conformance(ctx, response, case)


CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, error_schema_conformance]


def _collection(path):
    match = re.match(r"^/api/v1/([a-z-]+)/\{id\}/", path)
    return match.group(1) if match else None


@schema.hook
def flatmap_path_parameters(context, path_parameters):
    """Mostly ids of records that exist (visible to the role or not), sometimes whatever was
    generated."""
    collection = _collection(context.operation.path)
    if collection is None or not isinstance(path_parameters, dict):
        return st.just(path_parameters)
    known = WORLD["ids"].get(collection) or [1]
    existing = st.sampled_from(known).map(lambda pk: {**path_parameters, "id": pk})
    return st.one_of(existing, existing, st.just(path_parameters))


def _existing_ids():
    from lianqi.api import router
    from lianqi.workflows.models import Attachment

    ids = {}
    for prefix, viewset, _basename in router.registry:
        model = getattr(viewset, "model", None) or getattr(getattr(viewset, "queryset", None), "model", None)
        if model is not None:
            ids[prefix] = list(model.objects.order_by("pk").values_list("pk", flat=True)[:40])
    ids["attachments"] = list(Attachment.objects.order_by("pk").values_list("pk", flat=True)[:40])
    return ids


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """The demo city, seeded once for the module and rolled back at its end."""
    from lianqi.accounts.models import ApiToken, User

    # As Django's test client does: a request must not close the connection that holds the
    # test's transaction.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    with django_db_blocker.unblock(), transaction.atomic():
        with override_settings(DEBUG=True):  # seed_demo refuses to run otherwise
            call_command("seed_demo", stdout=io.StringIO())
        for username in ROLES:
            user = User.objects.filter(username=username).first()
            if user is not None:
                WORLD["tokens"][username] = ApiToken.issue(user)
        WORLD["ids"] = _existing_ids()
        yield WORLD
        transaction.set_rollback(True)
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@schema.parametrize()
@schema.given(role=st.sampled_from(ROLES))
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_api_answers_every_input_within_its_schema(case, role, world, db):
    headers = {}
    if role != "nobody":
        headers["Authorization"] = f"Token {world['tokens'][role]}"
    response = case.call(headers=headers)
    if STATS:  # one line per call, for bench/fuzz.py's summary
        with open(STATS, "a") as log:
            log.write(f"{case.method} {case.operation.path} {role} {response.status_code}\n")
    case.validate_response(response, checks=CHECKS, headers=headers)

"""The registration fast path (fastpath.py): it stores only the ordinary entry, in one query,
and leaves every other request to the full stack. The rules themselves are tested through
both roads by test_entries.py (its ``post_entry`` runs each test twice)."""

import io
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from lianqi.accounts.models import ApiToken
from lianqi.checkpoints.models import Alert, Entry, Verification

from .conftest import ID_A, PHONE_A, FastPathHandler, entry
from .test_keypersons import xlsx

pytestmark = pytest.mark.django_db

# The guard page sends its time of registration with every queued entry.
NOW = timezone.now().replace(microsecond=0).isoformat()


@pytest.fixture
def fast_client(as_token):
    def make(user):
        client = as_token(user)
        client.handler = FastPathHandler(client.handler)
        return client

    return make


def post(client, checkpoint, body=None, **kwargs):
    return client.post(f"/api/v1/checkpoints/{checkpoint.pk}/entries/", body or entry(), format="json", **kwargs)


def test_an_ordinary_entry_is_stored_in_one_query_with_the_api_answer(
    fast_client, as_token, guard, checkpoint, monkeypatch
):
    from lianqi.checkpoints import fastpath

    client = fast_client(guard)
    statements = []
    run = fastpath._fetch_one

    def counted(sql, params):
        statements.append(sql)
        return run(sql, params)

    monkeypatch.setattr(fastpath, "_fetch_one", counted)
    with CaptureQueriesContext(connection) as queries:
        fast = post(client, checkpoint, entry(client_id="f-1", recorded_at=NOW))
    # One statement checks the token, the guard, the checkpoint, the key-person lists and stores
    # the entry (on PostgreSQL as a prepared statement past Django's cursor); no other query runs
    # (the savepoint around it exists only inside the test's transaction).
    assert len(statements) == 1 and statements[0].startswith("INSERT"), statements
    others = [q["sql"] for q in queries.captured_queries if "SAVEPOINT" not in q["sql"]]
    assert others in ([], [statements[0].replace("%s", "?")]) or len(others) == 1 and others[0].startswith("INSERT")
    assert fast.status_code == 201 and getattr(fast, "fast_path", False)
    assert fast["Content-Type"] == "application/json" and fast["X-Content-Type-Options"] == "nosniff"
    slow = post(as_token(guard), checkpoint, entry(client_id="f-2"))
    assert slow.status_code == 201 and not getattr(slow, "fast_path", False)
    fast_body, slow_body = fast.json(), slow.json()
    for key in ("id", "at", "client_id"):
        fast_body.pop(key), slow_body.pop(key)
    assert fast_body == slow_body  # the same answer, whichever road
    stored = Entry.objects.get(client_id="f-1")
    assert stored.registered_by == guard and stored.checkpoint == checkpoint
    assert stored.decision == "admitted" and stored.source == "guard" and stored.status == "confirmed"
    assert stored.id_hash == Entry.objects.get(client_id="f-2").id_hash
    assert ID_A not in str(fast.content) and PHONE_A not in str(fast.content)


@pytest.mark.parametrize(
    ("body", "status", "stored"),
    [
        (entry(temperature=38.2), 201, 1),  # fever: alert and notifications
        (entry(health_code="yellow"), 201, 1),
        (entry(phone=""), 400, 0),  # no phone and not a returning person
        (entry(temperature=50), 400, 0),
        (entry(id_number="410105199003071234"), 400, 0),
    ],
)
def test_unusual_entries_go_through_the_full_stack(fast_client, guard, checkpoint, body, status, stored):
    response = post(fast_client(guard), checkpoint, body)
    assert response.status_code == status, response.content
    assert not getattr(response, "fast_path", False)
    assert Entry.objects.count() == stored


def test_a_fever_entry_still_raises_its_alert(fast_client, guard, checkpoint, on_commit_now):
    response = post(fast_client(guard), checkpoint, entry(temperature=38.2))
    assert response.json()["decision"] == "refused"
    assert Alert.objects.filter(entry__checkpoint=checkpoint).count() == 1


def test_a_key_person_is_never_stored_by_the_fast_path(fast_client, guard, checkpoint, cast, on_commit_now):
    from lianqi.checkpoints import keypersons

    keypersons.import_list(
        actor=cast.office, upload=xlsx([("赵敏", ID_A, "密接")]), name="第3批", jurisdiction=cast.city
    )
    response = post(fast_client(guard), checkpoint)
    assert response.status_code == 201 and not getattr(response, "fast_path", False)
    assert response.json()["decision"] == "refused" and "key_person" in response.json()["reasons"]
    assert Verification.objects.count() == 1


def test_a_resend_is_answered_by_the_full_stack_with_the_stored_entry(fast_client, guard, checkpoint):
    client = fast_client(guard)
    first = post(client, checkpoint, entry(client_id="r-1", recorded_at=NOW))
    again = post(client, checkpoint, entry(client_id="r-1", recorded_at=NOW))
    assert first.fast_path and first.status_code == 201
    assert again.status_code == 200 and not getattr(again, "fast_path", False)
    assert again.json() == first.json()
    assert Entry.objects.count() == 1


def test_a_client_id_without_a_time_is_looked_up_by_the_full_stack(fast_client, guard, checkpoint):
    client = fast_client(guard)
    first = post(client, checkpoint, entry(client_id="u-1"))
    again = post(client, checkpoint, entry(client_id="u-1"))
    assert not getattr(first, "fast_path", False) and not getattr(again, "fast_path", False)
    assert (first.status_code, again.status_code) == (201, 200)
    assert Entry.objects.count() == 1


@pytest.mark.parametrize("who", ["office", "official_a", "inspector_a", "enterprise_user"])
def test_another_roles_token_is_refused_by_the_full_stack(fast_client, cast, checkpoint, who):
    response = post(fast_client(getattr(cast, who)), checkpoint)
    assert response.status_code == 403 and response.json()["code"] == "permission_denied"
    assert not Entry.objects.exists()


def test_outsiders_inactive_users_unknown_tokens_and_closed_checkpoints(fast_client, guard, checkpoint, cast):
    assert post(fast_client(cast.official_b), checkpoint).status_code == 404
    client = fast_client(guard)
    client.credentials(HTTP_AUTHORIZATION="Token " + "0" * 40)
    assert post(client, checkpoint).json()["code"] == "authentication_failed"
    client = fast_client(guard)
    guard.is_active = False
    guard.save()
    assert post(client, checkpoint).json()["code"] == "authentication_failed"
    guard.is_active = True
    guard.save()
    checkpoint.is_active = False
    checkpoint.save()
    response = post(fast_client(guard), checkpoint)
    assert response.status_code in (403, 404) and not getattr(response, "fast_path", False)
    assert not Entry.objects.exists()


def test_session_users_and_other_content_types_take_the_usual_road(client, guard, checkpoint, fast_client):
    client.force_login(guard)
    client.handler = FastPathHandler(client.handler)
    response = client.post(
        f"/api/v1/checkpoints/{checkpoint.pk}/entries/", json.dumps(entry()), content_type="application/json"
    )
    assert response.status_code == 201 and not getattr(response, "fast_path", False)
    response = fast_client(guard).post(
        f"/api/v1/checkpoints/{checkpoint.pk}/entries/", "name=x", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 415


def _prepared_registrations() -> list[tuple[int, int]]:
    """(generic plans, custom plans) of each fast-path INSERT prepared on this connection."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT generic_plans, custom_plans FROM pg_prepared_statements"
            " WHERE NOT from_sql AND statement LIKE 'INSERT INTO %%checkpoints_entry%%'"
        )
        return cursor.fetchall()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="prepared statements of PostgreSQL")
def test_on_postgresql_the_statement_is_planned_once_per_connection(fast_client, guard, checkpoint):
    """Planning the INSERT … SELECT costs more than running it: it has to be a prepared
    statement, executed with its generic plan, not parsed and planned for each registration."""
    client = fast_client(guard)
    for n in range(7):
        assert post(client, checkpoint, entry(client_id=f"p-{n}", recorded_at=NOW)).fast_path
    [(generic, custom)] = _prepared_registrations()
    assert generic + custom == 7 and generic >= 2  # PostgreSQL tries 5 custom plans, then keeps the generic one


@pytest.mark.skipif(connection.vendor != "postgresql", reason="prepared statements of PostgreSQL")
def test_the_prepared_statement_survives_a_new_month_partition(fast_client, guard, checkpoint):
    """The daily ensure-partitions job adds months while every server connection holds the
    prepared INSERT into the partitioned table: PostgreSQL plans it again, nothing fails."""
    import datetime

    from lianqi.core import partitioning

    client = fast_client(guard)
    assert post(client, checkpoint, entry(client_id="m-1", recorded_at=NOW)).fast_path
    with connection.cursor() as cursor:
        created = partitioning.ensure_months(cursor, Entry._meta.db_table, "at", [datetime.date(2039, 1, 1)])
    assert created == [partitioning.partition_name(Entry._meta.db_table, datetime.date(2039, 1, 1))]
    response = post(client, checkpoint, entry(client_id="m-2", recorded_at=NOW))
    assert response.status_code == 201 and response.fast_path
    assert Entry.objects.filter(client_id__in=["m-1", "m-2"]).count() == 2
    assert sum(generic + custom for generic, custom in _prepared_registrations()) == 2


@pytest.mark.skipif(connection.vendor != "postgresql", reason="prepared statements of PostgreSQL")
def test_without_prepared_statements_the_fast_path_still_serves(fast_client, guard, checkpoint, monkeypatch):
    """DATABASE_PREPARED_STATEMENTS=false (a pooler that loses them) sends the statement unprepared."""
    connection.ensure_connection()
    monkeypatch.setattr(connection.connection, "prepare_threshold", None)
    response = post(fast_client(guard), checkpoint, entry(client_id="n-1", recorded_at=NOW))
    assert response.status_code == 201 and response.fast_path
    assert _prepared_registrations() == [] and Entry.objects.filter(client_id="n-1").exists()


@pytest.mark.django_db(transaction=True)
def test_the_wsgi_application_serves_registrations_through_the_fast_path(cast, guard, checkpoint):
    """The real WSGI entry point (lianqi/wsgi.py), outside any test transaction, with Django's
    own connection upkeep."""
    from lianqi.wsgi import application

    token = ApiToken.issue(guard)

    def call(body: bytes, token=token):
        environ = {
            "REQUEST_METHOD": "POST",
            "PATH_INFO": f"/api/v1/checkpoints/{checkpoint.pk}/entries/",
            "QUERY_STRING": "",
            "SERVER_NAME": "testserver",
            "SERVER_PORT": "80",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "HTTP_HOST": "testserver",
            "wsgi.url_scheme": "http",
            "wsgi.input": io.BytesIO(body),
            "wsgi.errors": io.StringIO(),
            "CONTENT_TYPE": "application/json",
            "CONTENT_LENGTH": str(len(body)),
            "HTTP_AUTHORIZATION": f"Token {token}",
        }
        status = []
        content = b"".join(application(environ, lambda s, h, e=None: status.append(s)))
        return status[0], json.loads(content)

    status, body = call(json.dumps(entry(client_id="w-1", recorded_at=NOW)).encode())
    assert status == "201 Created" and body["decision"] == "admitted"
    status, again = call(json.dumps(entry(client_id="w-1", recorded_at=NOW)).encode())
    assert status.startswith("200") and again["id"] == body["id"]
    status, error = call(b"{broken")
    assert status.startswith("400") and error["code"] == "parse_error"
    status, error = call(json.dumps(entry()).encode(), token="f" * 40)
    assert status.startswith(("401", "403")) and error["code"] == "authentication_failed"
    assert Entry.objects.count() == 1
    assert connection.connection is None or connection.is_usable()

"""Raw ID numbers and phones never reach the database, a log record or an API response."""

import logging

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lianqi.checkpoints.personal import mask_phone

from .conftest import ID_A, ID_B, PHONE_A, PHONE_B, entry

pytestmark = pytest.mark.django_db

RAW = [ID_A, ID_A.lower(), ID_B, PHONE_A, PHONE_B, "138-1234-5678"]


def database_dump() -> str:
    """Every row of every table, as text (works on SQLite and PostgreSQL)."""
    parts = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608 - table names from introspection
            parts.extend(repr(row) for row in cursor.fetchall())
    return "\n".join(parts)


def test_raw_values_never_stored_logged_or_returned(
    post_entry, as_token, guard, checkpoint, cast, caplog, on_commit_now
):
    from lianqi.checkpoints import keypersons
    from lianqi.checkpoints.tests.test_keypersons import xlsx

    caplog.set_level(logging.DEBUG)
    responses = []
    with CaptureQueriesContext(connection) as queries:
        responses.append(post_entry(client_id="c1"))
        responses.append(post_entry(client_id="c1"))  # the resend
        responses.append(post_entry(id_number=ID_B, phone="138-1234-5678", temperature=38.4))  # fever: alert + SMS
        responses.append(post_entry(id_number=ID_A.lower(), phone=PHONE_B, health_code="red"))
        responses.append(post_entry(id_number=ID_A[:17] + "0" if ID_A[17] != "0" else ID_A[:17] + "1"))  # invalid
        responses.append(
            as_token(guard).post(f"/api/v1/checkpoints/{checkpoint.pk}/returning/", {"id_number": ID_A}, format="json")
        )
        responses.append(as_token(guard).get(f"/api/v1/checkpoints/{checkpoint.pk}/entries/"))
        keypersons.import_list(
            actor=cast.office, upload=xlsx([("赵敏", ID_B, "")]), name="名单", jurisdiction=cast.city
        )
        responses.append(post_entry(id_number=ID_B, phone=PHONE_B))  # key-person hit
        responses.append(as_token(cast.office).get("/api/v1/checkpoint-alerts/"))
        responses.append(as_token(cast.inspector_a).get("/api/v1/key-person-verifications/"))

    assert [r.status_code for r in responses] == [201, 200, 201, 201, 400, 200, 200, 201, 200, 200]
    assert any(mask_phone(PHONE_A) in r.content.decode() for r in responses)  # masked forms are there

    dump = database_dump()
    assert "张伟" in dump  # the dump does contain the entries
    sql = "\n".join(f"{q['sql']} {q.get('params', '')}" for q in queries.captured_queries)
    logs = "\n".join(f"{r.getMessage()} {r.args!r}" for r in caplog.records)
    bodies = "\n".join(r.content.decode() for r in responses)
    for raw in RAW:
        assert raw not in dump, f"raw value in the database: {raw}"
        assert raw not in sql, f"raw value sent to the database: {raw}"
        assert raw not in logs, f"raw value in a log record: {raw}"
        assert raw not in bodies, f"raw value in a response: {raw}"


def test_self_registration_stores_nothing_raw(client, checkpoint):
    response = client.post(
        f"/checkpoints/c/{checkpoint.public_token}/",
        {**entry(), "direction": "in", "phone": PHONE_A},
    )
    assert response.status_code == 200
    dump = database_dump()
    assert "张伟" in dump and ID_A not in dump and PHONE_A not in dump

"""The floor for bench/checkpoints.py: a minimal WSGI app that only inserts the same entry row
with psycopg (one autocommit connection per thread, as the application has) and answers with
its id. Nothing else — no framework, no authentication, no validation, no hashing.

Until November 2026 the floor shared one connection among a worker's threads; those threads then
waited for each other, and the floor measured about a third below what psycopg can do.

    BENCH_DSN=postgresql://root@127.0.0.1:5432/bench_checkpoints BENCH_CHECKPOINT=1 \\
        gunicorn bench.checkpoint_floor:application
"""

import json
import os
import threading

import psycopg

DSN = os.environ["BENCH_DSN"]
CHECKPOINT = int(os.environ["BENCH_CHECKPOINT"])
INSERT = (
    "INSERT INTO checkpoints_entry (checkpoint_id, at, direction, name, id_masked, id_hash, phone_masked, "
    "phone_hash, health_code, temperature, origin, status, decision, reasons, note, key_person_match, source, "
    "client_id, pickup_code) VALUES (%s, now(), %s, %s, '4101**********1234', %s, '138****5678', %s, %s, %s, %s, "
    "'confirmed', 'admitted', '', '', false, 'guard', %s, '') RETURNING id"
)
_local = threading.local()


def _db():
    connection = getattr(_local, "connection", None)
    if connection is None or connection.closed:
        connection = _local.connection = psycopg.connect(DSN, autocommit=True)
    return connection


def application(environ, start_response):
    if environ["REQUEST_METHOD"] != "POST":  # the start-up probe
        start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", "2")])
        return [b"ok"]
    length = int(environ.get("CONTENT_LENGTH") or 0)
    data = json.loads(environ["wsgi.input"].read(length) or b"{}")
    row = (
        _db()
        .execute(
            INSERT,
            (
                CHECKPOINT,
                data.get("direction", "in"),
                data["name"],
                "0" * 64,
                "1" * 64,
                data["health_code"],
                data["temperature"],
                data.get("origin", ""),
                data.get("client_id"),
            ),
        )
        .fetchone()
    )
    body = json.dumps({"id": row[0], "decision": "admitted", "client_id": data.get("client_id")}).encode()
    start_response("201 Created", [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
    return [body]

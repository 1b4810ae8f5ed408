"""Registration at the door without the framework around it.

``POST /api/v1/checkpoints/<id>/entries/`` is the busiest request of the system: every person
through every guarded door, at shift change hundreds a minute. Through the whole stack
(middleware, DRF's request, negotiation, authentication, permissions, renderer) one
registration costs about four times the Python of the registration itself, so the WSGI
application (``lianqi/wsgi.py``) sends this one request here first.

The fast path handles only the ordinary case, and answers exactly as the API view would:

* an ``Authorization: Token …`` header;
* a JSON body that ``validation.clean_entry`` accepts, with a phone number, and with its time of
  registration (``recorded_at``, as the guard page sends it) when it has a ``client_id``;
* an entry the rules (``services.guard_entry_values``) admit, or the guard refuses for another
  reason, with no alert;
* then ONE statement in autocommit, prepared once per connection on PostgreSQL, that stores the
  entry only if the token's user is active and guards this active checkpoint and no applicable
  key-person list names the person (the SQL fragments of ``Checkpoint.objects.for_registration``).

Anything else — no or another kind of credentials, a checkpoint the caller does not guard, bad
input, a resend of a stored ``client_id``, a fever, a non-green code, a key-person hint, a
database error — returns None and the request goes through the full stack, which gives the
documented answer (errors, 200 for a resend, alerts and notifications). So the fast path adds no
rule of its own: it can only take the ordinary request off the slow road.
"""

from __future__ import annotations

import json
import re
from io import BytesIO
from types import SimpleNamespace

from django.core import signals
from django.core.exceptions import ValidationError
from django.db import DatabaseError, IntegrityError, connection, transaction

from lianqi.accounts.models import ApiToken

from .api.serializers import entry_payload
from .models import Entry, guarded_checkpoint_sql, key_person_sql
from .services import guard_entry_values
from .validation import clean_entry

ROUTE = re.compile(r"/api/v1/checkpoints/(\d{1,18})/entries/")
MAX_BODY = 8 * 1024  # as the API view: an entry is a few hundred bytes
HEADERS = [
    ("Content-Type", "application/json"),
    ("X-Content-Type-Options", "nosniff"),
    ("X-Frame-Options", "DENY"),
    ("Referrer-Policy", "same-origin"),
    ("Cache-Control", "no-store"),
]


def wrap(application):
    """The WSGI application with the registration fast path in front of it."""

    def fast_registration(environ, start_response):
        body = answer(environ)
        if body is None:
            return application(environ, start_response)
        start_response("201 Created", [*HEADERS, ("Content-Length", str(len(body)))])
        return [body]

    return fast_registration


def answer(environ) -> bytes | None:
    """The body of the 201 answer when the fast path stored the entry, else None."""
    if environ.get("REQUEST_METHOD") != "POST":
        return None
    match = ROUTE.fullmatch(environ.get("PATH_INFO", ""))
    return register(environ, int(match[1])) if match else None


def register(environ, checkpoint_id: int) -> bytes | None:
    """The stored entry as the API's JSON, or None to let the full stack answer. Reads the body;
    the WSGI environ gets it back as ``wsgi.input`` for the full stack."""
    auth = environ.get("HTTP_AUTHORIZATION", "").split()
    if len(auth) != 2 or auth[0] != "Token" or not environ.get("CONTENT_TYPE", "").startswith("application/json"):
        return None
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return None
    if not 0 < length <= MAX_BODY:
        return None
    raw = environ["wsgi.input"].read(length)
    environ["wsgi.input"] = BytesIO(raw)
    try:
        cleaned = clean_entry(json.loads(raw), phone_optional=True)
    except (ValueError, ValidationError):
        return None
    if cleaned.phone is None:  # a returning person: the full path looks the phone up
        return None
    if cleaned.client_id and cleaned.recorded_at is None:
        # Idempotency needs the time (the unique key is checkpoint, client id, time): without
        # one, the full path looks the client id up first.
        return None
    # Connection upkeep (age, errors) as at the start of any request. Nothing of request_finished
    # is needed: the fast path touches no cache and no URLconf, and the next request_started
    # closes an obsolete connection.
    signals.request_started.send(sender=__name__, environ=environ)
    try:
        return _store(checkpoint_id, auth[1], cleaned)
    except IntegrityError:  # a resend of a stored client_id: the full path answers 200 with it
        return None
    except DatabaseError:
        # The connection may be dead (a database restart): drop it; the full path reconnects
        # (with Django's health check) and answers, or fails as every request would.
        connection.close()
        return None


def _store(checkpoint_id: int, token: str, cleaned) -> bytes | None:
    values, alert_reasons = guard_entry_values(
        cleaned=cleaned, phone=(cleaned.phone.masked, cleaned.phone.hash), matches=[]
    )
    if alert_reasons:
        return None
    values["checkpoint_id"] = checkpoint_id
    if connection.in_atomic_block:
        with transaction.atomic():  # a savepoint, as in register_entry: a resend must not break the caller's
            row = _insert(values, token)
    else:
        row = _insert(values, token)
    if row is None:
        return None
    stored = SimpleNamespace(pk=row[0], registered_by_id=row[1], **values)
    return json.dumps(entry_payload(stored), ensure_ascii=False, separators=(",", ":")).encode()


class _Statement:
    """The INSERT of the fast path, built once from the model: its SQL, its columns and the
    defaults of the columns the registration does not set."""

    def __init__(self):
        from lianqi.accounts.models import ApiToken, User

        quote = connection.ops.quote_name
        registered_by = Entry._meta.get_field("registered_by")
        self.fields = [f for f in Entry._meta.concrete_fields if not f.primary_key and f is not registered_by]
        # A column whose default is computed (the time) is always among the registration's values.
        self.defaults = {
            f.attname: f.get_default() for f in self.fields if not (f.has_default() and callable(f.default))
        }
        who = (
            f"g.user_id = (SELECT t.user_id FROM {ApiToken._meta.db_table} t JOIN {User._meta.db_table} u"  # noqa: S608
            " ON u.id = t.user_id WHERE t.key_hash = %s AND u.is_active)"
        )
        self.sql = "INSERT INTO {} ({}, {}) SELECT {}, g.user_id {} AND NOT {} RETURNING {}, {}".format(  # noqa: S608 - names from the models
            quote(Entry._meta.db_table),
            ", ".join(quote(f.column) for f in self.fields),
            quote(registered_by.column),
            # Typed parameters: the statement is prepared once per connection on PostgreSQL,
            # where a parameter in a SELECT list has no column type to take.
            ", ".join(f"CAST(%s AS {f.cast_db_type(connection)})" for f in self.fields),
            guarded_checkpoint_sql(who),
            key_person_sql(),
            quote(Entry._meta.pk.column),
            quote(registered_by.column),
        )

    def params(self, values: dict, token: str, id_hash: str) -> list:
        """The statement's parameters; the token is looked up by its hash, as stored."""
        row = self.defaults | values
        if connection.vendor == "postgresql":
            # The values are already what psycopg adapts (str, Decimal, aware datetime, bool, None).
            columns = [row[f.attname] for f in self.fields]
        else:
            columns = [f.get_db_prep_save(row[f.attname], connection) for f in self.fields]
        return [*columns, values["checkpoint_id"], ApiToken.hash(token), id_hash]


_statements: dict[str, _Statement] = {}


def _insert(values: dict, token: str) -> tuple[int, int] | None:
    """``Entry(**values).save(force_insert=True)`` as ONE statement that also checks everything
    the API view checks before it: the token's user is active and guards this active checkpoint,
    and no applicable key-person list names the person. ``INSERT … SELECT … WHERE …
    RETURNING``: (id, registering user), or None when a check fails (and nothing is stored); a
    resend raises IntegrityError (unique client_id)."""
    statement = _statements.get(connection.vendor)
    if statement is None:
        statement = _statements[connection.vendor] = _Statement()
    return _fetch_one(statement.sql, statement.params(values, token, values["id_hash"]))


def _fetch_one(sql: str, params):
    """Run the statement and return its first row. On PostgreSQL it is a prepared statement on
    Django's own connection (planned once per connection, not per registration: planning the
    joins costs more than running them; ``DATABASE_PREPARED_STATEMENTS``) and skips Django's
    per-request health check: a failure drops the connection and the full path, which checks,
    takes over (``register``)."""
    if connection.vendor != "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchone()
    import psycopg

    connection.ensure_connection()
    try:
        with psycopg.Cursor(connection.connection) as cursor:
            cursor.execute(sql, params, prepare=True)
            return cursor.fetchone()
    except psycopg.IntegrityError as error:
        raise IntegrityError(*error.args) from error
    except psycopg.Error as error:
        raise DatabaseError(*error.args) from error

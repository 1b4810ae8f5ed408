"""Structured logs: one JSON object a line, each record of a request carrying its request id.

- :class:`RequestIdMiddleware` (first in ``MIDDLEWARE``) takes ``X-Request-ID`` from the proxy when
  it is a sane token, or makes one, and returns it in the response header.
- :class:`RequestIdFilter` puts the id of the current request (or Celery task) on every record.
- :class:`JsonFormatter` writes the record as JSON; :class:`TextFormatter` is the same for people
  (development). Both pass the message through :func:`scrub`, so ID numbers, mobile numbers,
  tokens and passwords that slip into a message do not reach the log. Neither writes the request
  object, its headers or cookies.

Gunicorn's access log goes through :class:`JsonFormatter` too (``deploy/gunicorn.conf.py``):
method, path, status, duration, bytes, client and request id only — never headers or the query
string.

This module imports nothing from Django at import time: gunicorn's master loads it before
Django is set up.
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime
import json
import logging
import re
import uuid

REQUEST_ID_HEADER = "X-Request-ID"
_SANE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$")

request_id_var: contextvars.ContextVar[str | None] = contextvars.ContextVar("lianqi_request_id", default=None)


def current_request_id() -> str | None:
    return request_id_var.get()


def sane_request_id(value: str | None) -> str | None:
    """The id the proxy sent when it is a plain token (letters, digits, ``._:-``, at most 128)."""
    if value and _SANE_ID.match(value):
        return value
    return None


def new_request_id() -> str:
    return uuid.uuid4().hex


class RequestIdMiddleware:
    """Give each request an id, known to every log record of it and returned to the client."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = sane_request_id(request.headers.get(REQUEST_ID_HEADER)) or new_request_id()
        request.request_id = request_id
        token = request_id_var.set(request_id)
        try:
            response = self.get_response(request)
        finally:
            request_id_var.reset(token)
        response[REQUEST_ID_HEADER] = request_id
        return response


# --- Keeping secrets out of the logs --------------------------------------------------------------

_SCRUBS = [
    # Authorization schemes followed by their credential (one with a digit: not prose).
    (re.compile(r"(?i)\b(Token|Bearer|Basic)\s+(?=[^\s]*\d)[A-Za-z0-9._~+/=-]{8,}"), r"\1 ***"),
    # name=value / "name": "value" pairs whose value is a secret.
    (
        re.compile(
            r"""(?i)(["']?\b(?:password|passwd|pwd|secret|token|api[_-]?key|authorization|cookie|sessionid|csrftoken|csrfmiddlewaretoken|id_number|phone)\b["']?\s*[:=]\s*)(["']?)[^\s"'&,;}]+"""
        ),
        r"\1\2***",
    ),
    # Resident ID numbers (18 characters, the last a digit or X).
    (re.compile(r"(?<![0-9A-Za-z])(\d{6})\d{8}(\d{3}[0-9Xx])(?![0-9A-Za-z])"), r"\1********\2"),
    # Mainland mobile numbers.
    (re.compile(r"(?<!\d)(1[3-9]\d)\d{4}(\d{4})(?!\d)"), r"\1****\2"),
]


def scrub(text: str) -> str:
    """Mask what must never be logged: secrets after their names, credentials after their
    scheme, ID numbers (first 6 and last 4 kept) and mobile numbers (first 3 and last 4 kept)."""
    for pattern, replacement in _SCRUBS:
        text = pattern.sub(replacement, text)
    return text


class RequestIdFilter(logging.Filter):
    """Sets ``record.request_id``: the current request's (or task's) id, else ``None``.

    Django logs 4xx/5xx responses after the middleware has returned; those records carry the
    request, whose id is used then."""

    def filter(self, record: logging.LogRecord) -> bool:
        request_id = request_id_var.get()
        if request_id is None:
            request = getattr(record, "request", None)
            request_id = getattr(request, "request_id", None)
        record.request_id = request_id
        return True


# Attributes every LogRecord has; anything else came from ``extra=`` and may be written.
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime", "request_id"}
# Extras never written: the request (headers, cookies, body) and anything named like a secret.
_NEVER = re.compile(r"(?i)request|password|secret|token|cookie|authorization|phone|id_number|server_time")
# Gunicorn access-log atoms written, under readable names.
_ACCESS_ATOMS = {"m": "method", "U": "path", "s": "status", "B": "bytes", "h": "client", "a": "user_agent"}


def _access_fields(atoms) -> dict:
    fields = {name: atoms.get(key) for key, name in _ACCESS_ATOMS.items()}
    with contextlib.suppress(TypeError, ValueError):
        fields["status"] = int(fields["status"])
    if fields.get("bytes") in ("-", None):
        fields["bytes"] = None
    try:
        fields["duration_ms"] = round(int(atoms.get("D")) / 1000, 1)
    except (TypeError, ValueError):
        fields["duration_ms"] = None
    request_id = atoms.get(f"{{{REQUEST_ID_HEADER.lower()}}}o")
    fields["request_id"] = request_id if request_id not in (None, "-") else None
    fields["user_agent"] = scrub(str(fields["user_agent"] or ""))[:300]
    return fields


class JsonFormatter(logging.Formatter):
    """One JSON object a line: time (ISO 8601, UTC), level, logger, message, request_id,
    process, plus safe ``extra=`` fields and the traceback when there is one."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.datetime.fromtimestamp(record.created, tz=datetime.UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
        }
        if record.name == "gunicorn.access" and isinstance(record.args, dict):
            entry["message"] = "request"
            entry.update(_access_fields(record.args))
        else:
            entry["message"] = scrub(record.getMessage())
            entry["request_id"] = getattr(record, "request_id", None)
        entry["process"] = record.process
        for key, value in vars(record).items():
            if key in _STANDARD or key in entry or key.startswith("_") or _NEVER.search(key):
                continue
            if isinstance(value, str | int | float | bool) or value is None:
                entry[key] = scrub(value) if isinstance(value, str) else value
        if record.exc_info:
            entry["exception"] = scrub(self.formatException(record.exc_info))
        elif record.exc_text:
            entry["exception"] = scrub(record.exc_text)
        if record.stack_info:
            entry["stack"] = scrub(self.formatStack(record.stack_info))
        return json.dumps(entry, ensure_ascii=False, default=str)


class TextFormatter(logging.Formatter):
    """Plain text for development, scrubbed like the JSON lines, with the request id when known."""

    def __init__(self, fmt=None, datefmt=None, style="%", **kwargs):
        super().__init__(fmt or "%(asctime)s %(levelname)s %(name)s %(message)s", datefmt, style, **kwargs)

    def format(self, record: logging.LogRecord) -> str:
        text = scrub(super().format(record))
        request_id = getattr(record, "request_id", None)
        return f"{text} [request {request_id}]" if request_id else text


# --- Celery: the id of the request that queued a task follows it into the worker --------------------

_HEADER = "lianqi_request_id"
_task_tokens: dict = {}  # task id -> token of the request id set for it (tasks are shared objects)


def _attach_request_id(headers=None, **kwargs):
    request_id = request_id_var.get()
    if request_id and headers is not None:
        headers.setdefault(_HEADER, request_id)


def _enter_task(task=None, task_id=None, **kwargs):
    request = getattr(task, "request", None)
    request_id = getattr(request, _HEADER, None) or (getattr(request, "headers", None) or {}).get(_HEADER)
    # An eager task runs inside the request that queued it and keeps its id; a periodic job has
    # no request: its records carry the task id instead.
    request_id = sane_request_id(request_id) or request_id_var.get() or task_id
    _task_tokens[task_id] = request_id_var.set(request_id)


def _leave_task(task_id=None, **kwargs):
    token = _task_tokens.pop(task_id, None)
    if token is not None:
        with contextlib.suppress(ValueError):  # set in another context; nothing to undo here
            request_id_var.reset(token)


def connect_celery_signals() -> None:
    from celery.signals import before_task_publish, task_postrun, task_prerun

    before_task_publish.connect(_attach_request_id, dispatch_uid="lianqi-request-id-publish")
    task_prerun.connect(_enter_task, dispatch_uid="lianqi-request-id-prerun")
    task_postrun.connect(_leave_task, dispatch_uid="lianqi-request-id-postrun")

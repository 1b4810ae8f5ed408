"""Reads of heavy aggregate code on a read replica, when one is configured.

``DATABASE_REPLICA_URL`` adds a ``replica`` database (settings). Code opts in by wrapping its
reads in :func:`replica_reads`; :class:`ReplicaRouter` then sends the ORM reads of that block to
the replica, and :func:`read_connection` gives raw SQL the same choice. Everything else — every
write, every read outside such a block, and every read inside a transaction on the primary
(which must see its own writes) — goes to ``default``. Without the setting nothing changes.

A replica lags the primary by a little: only figures that may be a few seconds old opt in
(dashboards, rates, statistics). Code that writes and reads back inside such a block wraps the
read-back in :func:`primary_reads`.
"""

from __future__ import annotations

import contextvars
from contextlib import contextmanager

from django.db import DEFAULT_DB_ALIAS, connections

REPLICA = "replica"

_use_replica: contextvars.ContextVar[bool] = contextvars.ContextVar("lianqi_use_replica", default=False)


def replica_configured() -> bool:
    return REPLICA in connections.settings


@contextmanager
def replica_reads():
    """Reads inside the block may go to the replica (when configured, outside transactions)."""
    token = _use_replica.set(True)
    try:
        yield
    finally:
        _use_replica.reset(token)


@contextmanager
def primary_reads():
    """Reads inside the block go to the primary, even inside :func:`replica_reads`."""
    token = _use_replica.set(False)
    try:
        yield
    finally:
        _use_replica.reset(token)


def read_alias() -> str:
    """The database alias reads should use here and now."""
    if _use_replica.get() and replica_configured() and not connections[DEFAULT_DB_ALIAS].in_atomic_block:
        return REPLICA
    return DEFAULT_DB_ALIAS


def read_connection():
    """The connection raw SQL reads should use here and now."""
    return connections[read_alias()]


class ReplicaRouter:
    """``DATABASE_ROUTERS`` entry: reads to :func:`read_alias`, writes and migrations to default."""

    def db_for_read(self, model, **hints):
        return read_alias()

    def db_for_write(self, model, **hints):
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        # The replica holds the primary's rows: an object read there relates to one read here.
        return {obj1._state.db, obj2._state.db} <= {DEFAULT_DB_ALIAS, REPLICA, None}

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        # The replica follows the primary (streaming replication): never migrated itself.
        return db != REPLICA

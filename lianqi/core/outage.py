"""What a backing service being briefly down looks like (PostgreSQL restarting, Redis stopped),
and how the app answers it: the request fails cleanly with 503 and ``Retry-After`` instead of a
500, and the next request after the service returns succeeds without restarting anything
(``CONN_HEALTH_CHECKS`` reconnects to PostgreSQL; redis-py reconnects on its own)."""

from __future__ import annotations

import functools
import logging

logger = logging.getLogger(__name__)

# Seconds a client is asked to wait before trying again.
RETRY_AFTER = 5


@functools.cache
def cache_errors() -> tuple[type[BaseException], ...]:
    """Errors of the shared cache (Redis) when it cannot be reached."""
    try:
        from redis.exceptions import ConnectionError as RedisConnectionError
        from redis.exceptions import TimeoutError as RedisTimeoutError
    except ImportError:  # pragma: no cover - redis is a runtime dependency
        return (ConnectionError, TimeoutError)
    return (RedisConnectionError, RedisTimeoutError, ConnectionError, TimeoutError)


@functools.cache
def unavailable_errors() -> tuple[type[BaseException], ...]:
    """Errors that mean "a service the request needs is down for now", not a bug."""
    from django.db import InterfaceError, OperationalError
    from kombu.exceptions import OperationalError as BrokerError

    return (OperationalError, InterfaceError, BrokerError, *cache_errors())


def is_unavailable(exc: BaseException | None) -> bool:
    return exc is not None and isinstance(exc, unavailable_errors())

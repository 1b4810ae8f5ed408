"""Lock an account name out after repeated failed logins.

Counters live in the cache (Redis in production, shared by every app server) and are keyed by
the normalised user name, so a name that does not exist locks the same way as one that does and
an attacker learns nothing from the difference.
"""

import hashlib

from django.conf import settings
from django.core.cache import cache


def _key(username: str) -> str:
    digest = hashlib.sha256(username.strip().lower().encode()).hexdigest()[:32]
    return f"login-failures:{digest}"


def is_locked(username: str) -> bool:
    return (cache.get(_key(username)) or 0) >= settings.LOGIN_FAILURE_LIMIT


def register_failure(username: str) -> int:
    key = _key(username)
    timeout = settings.LOGIN_LOCKOUT_SECONDS
    if cache.add(key, 1, timeout):
        return 1
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout)
        return 1
    cache.touch(key, timeout)
    return count


def clear_failures(username: str) -> None:
    cache.delete(_key(username))

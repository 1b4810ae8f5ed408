"""A fixed-window rate limit in the shared cache, for public forms (no login)."""

from __future__ import annotations

import logging
import time

from django.core.cache import cache

from .outage import cache_errors

logger = logging.getLogger(__name__)


def client_ip(request) -> str:
    # Behind the documented reverse proxy, the first address of X-Forwarded-For is the client.
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    return forwarded.split(",")[0].strip() or request.META.get("REMOTE_ADDR", "unknown")


def hit(scope: str, key: str, *, limit: int, window: int) -> bool:
    """Count one hit; True while the caller stays within ``limit`` hits per ``window`` seconds."""
    bucket = int(time.time() // window)
    cache_key = f"ratelimit:{scope}:{key}:{bucket}"
    try:
        if cache.add(cache_key, 1, window + 1):
            return True
        try:
            count = cache.incr(cache_key)
        except ValueError:
            cache.set(cache_key, 1, window + 1)
            return True
    except cache_errors() as exc:
        # The cache (Redis) is down: let the form through rather than refuse every visitor;
        # the limit applies again as soon as the cache is back.
        logger.warning("rate limit %s not counted, the cache is unavailable: %s", scope, exc.__class__.__name__)
        return True
    return count <= limit

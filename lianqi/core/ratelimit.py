"""Fixed-window rate limits in the shared cache (Redis in production, so every app server counts
the same hits), for everything reachable without signing in.

- :func:`hit` counts one hit and says whether the caller is still within the limit;
- :func:`rate_limit` wraps a view: over the limit it answers 429 with a page, or JSON for the
  API, and a ``Retry-After`` header;
- :func:`client_ip` is the address limits are keyed by. Behind ``TRUSTED_PROXY_COUNT`` reverse
  proxies it is the address the outermost proxy saw; ``X-Forwarded-For`` entries a client adds
  in front of that are ignored, so a client cannot escape a limit by inventing addresses.
"""

from __future__ import annotations

import functools
import logging
import time

from django.conf import settings
from django.core.cache import cache
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from .outage import cache_errors

logger = logging.getLogger(__name__)


def client_ip(request) -> str:
    remote = request.META.get("REMOTE_ADDR", "") or "unknown"
    proxies = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if proxies <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    # Each trusted proxy appends the address it received the request from; the client is the
    # entry the outermost trusted proxy appended. Anything to its left came from the client.
    if len(forwarded) >= proxies:
        return forwarded[-proxies]
    return forwarded[0] if forwarded else remote


def _now() -> float:
    return time.time()


def _key(scope: str, key: str, window: int) -> str:
    return f"ratelimit:{scope}:{key}:{int(_now() // window)}"


def hit(scope: str, key: str, *, limit: int, window: int) -> bool:
    """Count one hit; True while the caller stays within ``limit`` hits per ``window`` seconds."""
    cache_key = _key(scope, key, window)
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


def count(scope: str, key: str, *, window: int) -> int:
    """Hits counted so far in the current window (without counting one)."""
    return cache.get(_key(scope, key, window)) or 0


def retry_after(window: int) -> int:
    """Seconds until the current window ends and the count starts again."""
    return max(1, int(window - _now() % window))


def too_many_requests(request, *, window: int, message: str | None = None):
    """The 429 answer: JSON under /api/ (the API's error shape), a page everywhere else."""
    message = message or _("Too many requests from your connection. Please wait a few minutes and try again.")
    wait = retry_after(window)
    if request.path.startswith("/api/") or "application/json" in request.headers.get("Accept", ""):
        response = JsonResponse({"code": "throttled", "message": message, "retry_after": wait}, status=429)
    else:
        response = render(request, "429.html", {"message": message, "minutes": max(1, round(wait / 60))}, status=429)
    response["Retry-After"] = str(wait)
    return response


def rate_limit(scope: str, *, limit, window: int, methods=("POST",)):
    """Limit a view to ``limit`` requests (a number, or a callable returning one, read at
    request time so settings can change it) per ``window`` seconds per client address."""

    def decorator(view):
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            if request.method in methods:
                allowed = limit() if callable(limit) else limit
                if not hit(scope, client_ip(request), limit=allowed, window=window):
                    return too_many_requests(request, window=window)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator

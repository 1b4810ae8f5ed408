import functools
import logging
import sys

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from .navigation import widgets_for
from .outage import RETRY_AFTER, is_unavailable
from .roles import primary_role

logger = logging.getLogger(__name__)


@login_required
def home(request):
    """Each role's home page: the cards its apps registered for that role."""
    access = request.user.access
    role = primary_role(access)
    cards = []
    for widget in widgets_for(role):
        context = widget.context(request, access)
        if context is not None:
            cards.append((widget.template, context))
    return render(request, "core/home.html", {"role": role, "cards": cards})


@never_cache
def healthz(request):
    """The process is up (no dependency is touched)."""
    return JsonResponse({"status": "ok"})


@functools.cache
def _redis():
    import redis

    return redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=2, socket_timeout=2)


@never_cache
def readyz(request):
    """The process can serve: the database answers, and Redis (cache, broker) when configured.
    A load balancer takes an instance out of rotation while this answers 503."""
    checks, ready = {}, True
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        checks["database"] = "ok"
    except Exception as exc:  # noqa: BLE001 - any failure means not ready
        checks["database"], ready = exc.__class__.__name__, False
    if settings.REDIS_URL:
        try:
            _redis().ping()
            checks["redis"] = "ok"
        except Exception as exc:  # noqa: BLE001 - any failure means not ready
            checks["redis"], ready = exc.__class__.__name__, False
    return JsonResponse({"status": "ok" if ready else "unavailable", **checks}, status=200 if ready else 503)


def page_not_found(request, exception=None):
    if request.path.startswith("/api/"):
        return JsonResponse({"code": "not_found", "message": _("Not found.")}, status=404)
    return render(request, "404.html", status=404)


def permission_denied(request, exception=None):
    if request.path.startswith("/api/"):
        return JsonResponse(
            {"code": "permission_denied", "message": str(exception) or _("Permission denied.")}, status=403
        )
    return render(request, "403.html", {"reason": str(exception or "")}, status=403)


def server_error(request):
    exc = sys.exc_info()[1]
    if is_unavailable(exc):
        return service_unavailable(request, exc)
    if request.path.startswith("/api/"):
        return JsonResponse(
            {"code": "server_error", "message": _("Server error. The error has been logged.")}, status=500
        )
    return render(request, "500.html", status=500)


def service_unavailable(request, exc):
    """503 while PostgreSQL or Redis is briefly down. The page is rendered without context
    processors: they would ask the database (the user, the navigation) that is not there."""
    logger.warning("%s %s: service unavailable (%s)", request.method, request.path, exc.__class__.__name__)
    if request.path.startswith("/api/"):
        message = _("The service is briefly unavailable. Please try again in a moment.")
        response = JsonResponse({"code": "unavailable", "message": message}, status=503)
    else:
        response = HttpResponse(loader.render_to_string("503.html"), status=503)
    response["Retry-After"] = str(RETRY_AFTER)
    return response

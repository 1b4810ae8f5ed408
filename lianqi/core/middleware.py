"""Middleware of the deployment (not of any domain app)."""

from django.conf import settings


def served_by(get_response):
    """Name the app server that answered (``LIANQI_SERVER_NAME``) in ``X-Served-By``, so that an
    operator behind the load balancer can tell the servers apart."""
    name = settings.SERVER_NAME_HEADER

    def middleware(request):
        response = get_response(request)
        response["X-Served-By"] = name
        return response

    return middleware

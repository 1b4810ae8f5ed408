"""Gunicorn configuration of Lianqi (``gunicorn -c deploy/gunicorn.conf.py lianqi.wsgi:application``).

Every value can be set through the environment (docs/deploy.md). Threads (gthread) rather than
sync workers: a sync worker closes the connection after each request, so keep-alive from the
proxy and persistent database connections (``DATABASE_CONN_MAX_AGE``) would be lost.

On SIGTERM gunicorn stops accepting connections and gives the requests in flight up to
``GUNICORN_GRACEFUL_TIMEOUT`` seconds to finish before the workers are killed.
"""

import multiprocessing
import os


def _int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        return int(value)
    except ValueError:
        raise SystemExit(f"{name}={value!r} is not a whole number.") from None


wsgi_app = "lianqi.wsgi:application"
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000").split(",")
worker_class = "gthread"
workers = _int("GUNICORN_WORKERS", _int("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
threads = _int("GUNICORN_THREADS", 6)
timeout = _int("GUNICORN_TIMEOUT", 60)  # a worker silent this long is killed and replaced
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)  # in-flight requests get this long after SIGTERM
keepalive = _int("GUNICORN_KEEPALIVE", 30)  # longer than nothing, shorter than nginx's upstream keepalive_timeout
# Recycle workers now and then so a slow leak never grows; the jitter keeps them from restarting together.
max_requests = _int("GUNICORN_MAX_REQUESTS", 2000)
max_requests_jitter = _int("GUNICORN_MAX_REQUESTS_JITTER", 200)
# Headers that say the request came over HTTPS are believed from these proxy addresses only.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
proxy_allow_ips = forwarded_allow_ips
# Limits of the request line and headers (the body limit is the application's and nginx's).
limit_request_line = 8190
limit_request_fields = 100
preload_app = False  # each worker imports the app itself: a reload (HUP) picks up new code
control_socket_disable = True  # no control socket: nothing but signals steers a running server

# Logs: JSON lines on stdout/stderr through the application's formatter (lianqi/core/logs.py);
# the access log carries the request id the application put on the response.
accesslog = "-"
errorlog = "-"
_format = os.environ.get("LOG_FORMAT", "json").strip().lower()
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {"()": "lianqi.core.logs.JsonFormatter"},
        "text": {"()": "lianqi.core.logs.TextFormatter"},
    },
    "handlers": {
        "error_console": {"class": "logging.StreamHandler", "formatter": _format, "stream": "ext://sys.stderr"},
        "access_console": {"class": "logging.StreamHandler", "formatter": _format, "stream": "ext://sys.stdout"},
    },
    "loggers": {
        "gunicorn.error": {
            "level": os.environ.get("LOG_LEVEL", "INFO"),
            "handlers": ["error_console"],
            "propagate": False,
        },
        "gunicorn.access": {"level": "INFO", "handlers": ["access_console"], "propagate": False},
    },
    "root": {"level": "INFO", "handlers": []},
}

"""Lianqi's WSGI application plus one slow path, for the graceful-shutdown test:
``/__slow?seconds=N`` answers after N seconds."""

import time
from urllib.parse import parse_qs

from lianqi.wsgi import application as lianqi_application


def application(environ, start_response):
    if environ.get("PATH_INFO") == "/__slow":
        seconds = float(parse_qs(environ.get("QUERY_STRING", "")).get("seconds", ["3"])[0])
        time.sleep(seconds)
        start_response("200 OK", [("Content-Type", "text/plain"), ("X-Request-ID", "slow-request")])
        return [b"finished after %.1f s" % seconds]
    return lianqi_application(environ, start_response)

"""X-Served-By names the app server behind a load balancer, only when LIANQI_SERVER_NAME is set."""

import pytest
from django.conf import settings
from django.http import HttpResponse
from django.test import RequestFactory

from lianqi.core.middleware import served_by


def test_the_header_names_the_server(settings):
    settings.SERVER_NAME_HEADER = "app7"
    response = served_by(lambda request: HttpResponse("ok"))(RequestFactory().get("/"))
    assert response["X-Served-By"] == "app7"


@pytest.mark.django_db
def test_without_a_server_name_no_header_is_sent(client):
    assert not settings.SERVER_NAME_HEADER
    assert "lianqi.core.middleware.served_by" not in settings.MIDDLEWARE
    assert "X-Served-By" not in client.get("/healthz").headers

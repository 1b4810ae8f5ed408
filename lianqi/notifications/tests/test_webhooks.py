"""Webhooks against a real HTTP receiver on loopback."""

import datetime
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import time_machine
from django.utils import timezone

from lianqi.notifications import webhooks
from lianqi.notifications.models import WebhookDelivery, WebhookSubscription
from lianqi.notifications.tasks import retry_webhooks

SECRET = "s3cret-shared-with-the-receiver"


class Receiver:
    """A local HTTP server that records requests; ``script`` gives the status (and delay) of
    each successive request."""

    def __init__(self, script=((200, 0),)):
        self.requests = []
        self.script = list(script)
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                index = len(receiver.requests)
                receiver.requests.append((dict(self.headers), body))
                status, delay = receiver.script[min(index, len(receiver.script) - 1)]
                time.sleep(delay)
                self.send_response(status)
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


def test_signature_round_trip_and_tampering():
    body = b'{"a": 1}'
    header = webhooks.sign(SECRET, 1_700_000_000, body)
    assert webhooks.verify_signature(SECRET, header, body, now=1_700_000_010)
    assert not webhooks.verify_signature(SECRET, header, b'{"a": 2}', now=1_700_000_010)
    assert not webhooks.verify_signature("other", header, body, now=1_700_000_010)
    assert not webhooks.verify_signature(SECRET, header, body, now=1_700_009_999)  # too old
    assert not webhooks.verify_signature(SECRET, "garbage", body)


@pytest.mark.django_db
def test_delivery_is_signed_and_verifiable(in_rectification, cast, photo):
    from lianqi.hazards.workflow import HAZARD_WORKFLOW

    with Receiver() as receiver:
        WebhookSubscription.objects.create(name="city hub", url=receiver.url, secret=SECRET, event_kinds=["hazard"])
        HAZARD_WORKFLOW.perform(
            in_rectification, "submit_rectification", actor=cast.enterprise_user, note="done", photos=[photo()]
        )
        delivery = WebhookDelivery.objects.get()
        webhooks.deliver(delivery.pk)  # the background pool may have done it already; this is idempotent
        deadline = time.time() + 5
        while not receiver.requests and time.time() < deadline:
            time.sleep(0.05)
    headers, body = receiver.requests[0]
    assert len(receiver.requests) == 1
    assert headers["X-Lianqi-Event"] == "hazard.submit_rectification"
    assert webhooks.verify_signature(SECRET, headers["X-Lianqi-Signature"], body)
    payload = json.loads(body)
    assert payload["object"] == {"type": "hazard", "id": in_rectification.pk, "url": payload["object"]["url"]}
    assert payload["object"]["url"].endswith(f"/hazards/{in_rectification.pk}/")
    delivery.refresh_from_db()
    assert delivery.status == "sent" and delivery.last_status_code == 200


@pytest.mark.django_db
def test_failing_receiver_is_retried_with_back_off(cast, hazard):
    from lianqi.notifications.events import emit

    with Receiver(script=[(500, 0), (503, 0), (200, 0)]) as receiver:
        WebhookSubscription.objects.create(name="flaky", url=receiver.url, secret=SECRET)
        with pytest.MonkeyPatch.context() as mp:  # keep the first attempt synchronous
            mp.setattr("lianqi.notifications.events.queue", lambda *a, **k: None)
            event = emit("hazard.test", hazard, key="flaky-test")
            from lianqi.notifications.events import dispatch

            dispatch(event.pk)
        delivery = WebhookDelivery.objects.get()
        assert webhooks.deliver(delivery.pk) == "pending"
        delivery.refresh_from_db()
        assert delivery.attempts == 1 and delivery.last_status_code == 500
        first_retry = delivery.next_attempt_at
        assert first_retry - timezone.now() > datetime.timedelta(seconds=20)

        assert retry_webhooks() == 0  # not due yet
        with time_machine.travel(first_retry + datetime.timedelta(seconds=1)):
            assert retry_webhooks() == 1
        delivery.refresh_from_db()
        assert delivery.attempts == 2 and delivery.status == "pending"
        assert delivery.next_attempt_at - first_retry > datetime.timedelta(seconds=50)  # backs off
        with time_machine.travel(delivery.next_attempt_at + datetime.timedelta(seconds=1)):
            retry_webhooks()
        delivery.refresh_from_db()
        assert delivery.status == "sent" and delivery.attempts == 3
        assert len(receiver.requests) == 3
        assert retry_webhooks() == 0 and webhooks.deliver(delivery.pk) == "skipped"  # never twice


@pytest.mark.django_db
def test_receiver_that_never_answers_fails_after_the_last_attempt(cast, hazard, monkeypatch):
    from lianqi.notifications.events import dispatch, emit

    monkeypatch.setattr(webhooks, "MAX_ATTEMPTS", 2)
    monkeypatch.setattr("lianqi.notifications.events.queue", lambda *a, **k: None)
    WebhookSubscription.objects.create(name="dead", url="http://127.0.0.1:9/nothing", secret=SECRET)
    dispatch(emit("hazard.test", hazard, key="dead-test").pk)
    delivery = WebhookDelivery.objects.get()
    webhooks.deliver(delivery.pk)
    delivery.refresh_from_db()
    delivery.next_attempt_at = timezone.now()
    delivery.save()
    webhooks.deliver(delivery.pk)
    delivery.refresh_from_db()
    assert delivery.status == "failed" and delivery.attempts == 2 and delivery.last_error


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_slow_receiver_does_not_slow_the_request(client, cast, monkeypatch, settings):
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("a request and a background delivery writing at once need a real server database")
    """The request that causes the event returns while the receiver is still sleeping."""
    from lianqi.hazards import services

    monkeypatch.undo()  # real on_commit: the request commits, then the event is dispatched
    settings.BACKGROUND_THREADS = True  # as in the embedded default: webhooks on a local thread
    cast.enterprise_a.sector_department = cast.department_a
    cast.enterprise_a.save()
    hazard = services.report_hazard(
        actor=cast.inspector_a, enterprise=cast.enterprise_a, category="fire", description="x"
    )
    with Receiver(script=[(200, 3)]) as receiver:
        WebhookSubscription.objects.create(name="slow", url=receiver.url, secret=SECRET)
        client.force_login(cast.inspector_a)
        started = time.monotonic()
        response = client.post(
            f"/hazards/{hazard.pk}/act/issue_order/",
            {
                "issue_order-version": hazard.version,
                "issue_order-deadline": (timezone.localdate() + datetime.timedelta(days=5)).isoformat(),
            },
        )
        elapsed = time.monotonic() - started
        assert response.status_code == 302
        assert elapsed < 1.5, elapsed
        deadline = time.time() + 10
        while time.time() < deadline:
            if WebhookDelivery.objects.filter(status="sent").exists():
                break
            time.sleep(0.1)
    assert WebhookDelivery.objects.get(event__kind="hazard.issue_order").status == "sent"

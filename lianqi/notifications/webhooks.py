"""Outbound webhooks: JSON body, HMAC-SHA256 signature, retries with exponential back-off.

Headers: ``X-Lianqi-Event`` (kind), ``X-Lianqi-Delivery`` (id), ``X-Lianqi-Signature``:
``t=<unix time>,v1=<hex HMAC-SHA256 of "<t>.<body>" with the subscription's secret>``.
A receiver verifies with :func:`verify_signature` (or its equivalent) and rejects old timestamps.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
import urllib.error
import urllib.request
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from .choices import DeliveryStatus
from .events import site_url
from .models import WebhookDelivery

TIMEOUT_SECONDS = 5
MAX_ATTEMPTS = 8
BASE_BACKOFF_SECONDS = 30
MAX_BACKOFF_SECONDS = 3600


def sign(secret: str, timestamp: int, body: bytes) -> str:
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={mac}"


def verify_signature(secret: str, header: str, body: bytes, *, tolerance: int = 300, now: float | None = None) -> bool:
    try:
        parts = dict(item.split("=", 1) for item in header.split(","))
        timestamp = int(parts["t"])
    except (ValueError, KeyError):
        return False
    if abs((now or time.time()) - timestamp) > tolerance:
        return False
    return hmac.compare_digest(sign(secret, timestamp, body), header)


def backoff(attempts: int) -> timedelta:
    return timedelta(seconds=min(MAX_BACKOFF_SECONDS, BASE_BACKOFF_SECONDS * 2 ** max(0, attempts - 1)))


def payload(delivery: WebhookDelivery) -> bytes:
    event = delivery.event
    subject = event.subject
    body = {
        "id": event.key,
        "delivery": delivery.pk,
        "kind": event.kind,
        "occurred_at": event.created_at.isoformat(),
        "object": {
            "type": event.content_type.model,
            "id": event.object_id,
            "url": site_url(subject.get_absolute_url()) if subject is not None else None,
        },
        "actor": event.actor.username if event.actor_id else None,
        "data": event.payload,
    }
    return json.dumps(body, ensure_ascii=False, sort_keys=True).encode()


def deliver(delivery_id: int) -> str:
    """Try one delivery now. Idempotent: a delivered or exhausted delivery is left alone, and a
    row being worked on by another worker is skipped."""
    with transaction.atomic():
        delivery = (
            WebhookDelivery.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("subscription", "event__content_type", "event__actor")
            .filter(pk=delivery_id, status=DeliveryStatus.PENDING)
            .first()
        )
        if delivery is None:
            return "skipped"
        body = payload(delivery)
        timestamp = int(time.time())
        request = urllib.request.Request(  # noqa: S310 - URL set by the office, http(s) only (URLField)
            delivery.subscription.url,
            data=body,
            method="POST",
            headers={
                "Content-Type": "application/json; charset=utf-8",
                "User-Agent": "Lianqi-Webhooks/1",
                "X-Lianqi-Event": delivery.event.kind,
                "X-Lianqi-Delivery": str(delivery.pk),
                "X-Lianqi-Signature": sign(delivery.subscription.secret, timestamp, body),
            },
        )
        delivery.attempts += 1
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310
                code = response.status
            error = ""
        except urllib.error.HTTPError as exc:
            code, error = exc.code, f"HTTP {exc.code}"
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            code, error = None, str(getattr(exc, "reason", exc))[:300]
        delivery.last_status_code = code
        delivery.last_error = error
        if code is not None and 200 <= code < 300:
            delivery.status, delivery.delivered_at, delivery.next_attempt_at = DeliveryStatus.SENT, timezone.now(), None
        elif delivery.attempts >= MAX_ATTEMPTS:
            delivery.status, delivery.next_attempt_at = DeliveryStatus.FAILED, None
        else:
            delivery.next_attempt_at = timezone.now() + backoff(delivery.attempts)
        delivery.save()
        return delivery.status


def due_deliveries():
    return WebhookDelivery.objects.filter(status=DeliveryStatus.PENDING, next_attempt_at__lte=timezone.now())

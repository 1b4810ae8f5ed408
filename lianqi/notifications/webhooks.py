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
from django.db.models import Q
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


LEASE_SECONDS = 120


def deliver(delivery_id: int) -> str:
    """Try one delivery now. Idempotent and safe with several workers: the delivery is claimed
    with a short lease (no database transaction stays open during the HTTP call), so a second
    worker skips it, and a worker that dies mid-call leaves it to the retry sweep."""
    now = timezone.now()
    with transaction.atomic():
        delivery = (
            WebhookDelivery.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("subscription", "event__content_type", "event__actor")
            .filter(pk=delivery_id, status=DeliveryStatus.PENDING)
            .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
            .first()
        )
        if delivery is None:
            return "skipped"
        delivery.attempts += 1
        delivery.next_attempt_at = now + timedelta(seconds=LEASE_SECONDS)
        delivery.save(update_fields=["attempts", "next_attempt_at"])
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
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310
            code, error = response.status, ""
    except urllib.error.HTTPError as exc:
        code, error = exc.code, f"HTTP {exc.code}"
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        code, error = None, str(getattr(exc, "reason", exc))[:300]
    delivery.last_status_code, delivery.last_error = code, error
    if code is not None and 200 <= code < 300:
        delivery.status, delivery.delivered_at, delivery.next_attempt_at = DeliveryStatus.SENT, timezone.now(), None
    elif delivery.attempts >= MAX_ATTEMPTS:
        delivery.status, delivery.next_attempt_at = DeliveryStatus.FAILED, None
    else:
        delivery.next_attempt_at = timezone.now() + backoff(delivery.attempts)
    delivery.save(update_fields=["status", "delivered_at", "next_attempt_at", "last_status_code", "last_error"])
    return delivery.status


def due_deliveries():
    return WebhookDelivery.objects.filter(status=DeliveryStatus.PENDING, next_attempt_at__lte=timezone.now())

"""Emit events and turn them into notifications (in-app, e-mail, SMS) and webhook deliveries.

An object that can be notified about implements:

- ``notification_recipients(kind) -> iterable of users``
- ``notification_title(kind, event) -> str`` (called in each recipient's language)
- ``notification_jurisdiction`` (a Jurisdiction: webhook scope and who to tell when someone
  cannot be reached)
- ``get_absolute_url()`` (the deep link)
"""

from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from lianqi.core.outage import unavailable_errors

from .choices import Channel, DeliveryStatus
from .models import Event, Notification, WebhookDelivery, WebhookSubscription

logger = logging.getLogger(__name__)

# Event kinds that also go out by SMS (urgent: escalations and alerts).
SMS_SUFFIXES = (".escalation1", ".escalation2", ".alert")


def emit(
    kind: str, obj, *, actor=None, key: str | None = None, payload: dict | None = None, entry=None
) -> Event | None:
    """Record the event once (by ``key``) and dispatch it after the transaction commits.
    Returns None when an event with that key exists already."""
    content_type = ContentType.objects.get_for_model(obj)
    if key is None:
        key = (
            f"{kind}:{obj.pk}:entry-{entry.pk}"
            if entry is not None
            else f"{kind}:{obj.pk}:{timezone.now().isoformat()}"
        )
    data = dict(payload or {})
    if entry is not None:
        data.setdefault("note", entry.note)
        data.setdefault("from", entry.from_state)
        data.setdefault("to", entry.to_state)
    try:
        with transaction.atomic():
            event = Event.objects.create(
                key=key, kind=kind, content_type=content_type, object_id=obj.pk, actor=actor, payload=data
            )
    except IntegrityError:
        return None
    transaction.on_commit(lambda: queue("lianqi.notifications.tasks.dispatch_event", event.pk))
    return event


def emit_on_commit(kind: str, obj, *, actor=None, entry=None, key=None, payload=None):
    return emit(kind, obj, actor=actor, entry=entry, key=key, payload=payload)


def queue(task_path: str, *args, background: bool = False) -> None:
    """Run a Celery task by name: on the broker in production; in the embedded default inline,
    or on a local thread when ``background`` (e.g. webhooks, so a slow receiver never holds up
    the request that caused the event)."""
    from django.utils.module_loading import import_string

    task = import_string(task_path)
    if settings.CELERY_TASK_ALWAYS_EAGER:
        if background and settings.BACKGROUND_THREADS:
            from .background import submit

            submit(task, *args)
        else:
            task.apply(args=args)
    else:
        try:
            task.delay(*args)
        except unavailable_errors() as exc:
            # The broker (Redis) is down. The work is not lost: the event stays undispatched
            # (a webhook delivery stays due) in the database, and the periodic
            # ``dispatch_pending`` (``retry_webhooks``) job sends it once the broker is back.
            logger.warning("could not queue %s%r, left for the periodic retry: %s", task_path, args, exc)


# An event is left to the periodic job only when its own dispatch has had time to run.
PENDING_GRACE_SECONDS = 30


def pending_events():
    """Events committed but never dispatched: their task was lost (the broker was down when the
    request queued it, or Redis restarted with the task still in its queue)."""
    cutoff = timezone.now() - datetime.timedelta(seconds=PENDING_GRACE_SECONDS)
    return Event.objects.filter(dispatched_at__isnull=True, created_at__lt=cutoff).order_by("created_at", "pk")


def dispatch_pending(limit: int = 500) -> int:
    """Dispatch events whose own dispatch never ran (safe alongside a late one: dispatch is
    idempotent). Returns how many were dispatched; one failing event does not stop the others."""
    count = 0
    for event_id in list(pending_events().values_list("pk", flat=True)[:limit]):
        try:
            dispatch(event_id)
        except Exception:
            logger.exception("dispatching pending event %s failed; tried again on the next run", event_id)
            continue
        count += 1
    return count


def site_url(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def dispatch(event_id: int) -> None:
    """Deliver one event to everyone concerned. Safe to run twice: every notification and
    delivery is unique per (event, recipient, channel) and sent only while still pending."""
    event = Event.objects.select_related("content_type").get(pk=event_id)
    subject = event.subject
    if subject is None:  # deleted since: nothing to tell anyone, and nothing left to retry
        Event.objects.filter(pk=event.pk, dispatched_at__isnull=True).update(dispatched_at=timezone.now())
        return
    recipients = {user.pk: user for user in subject.notification_recipients(event.kind) if user.is_active}
    if event.actor_id:
        recipients.pop(event.actor_id, None)  # the person who acted does not need telling
    url = site_url(subject.get_absolute_url())
    for user in recipients.values():
        with translation.override(user.language or settings.LANGUAGE_CODE):
            title = str(subject.notification_title(event.kind, event))
            body = event.payload.get("note", "") or ""
        Notification.objects.get_or_create(
            event=event,
            recipient=user,
            channel=Channel.IN_APP,
            defaults={
                "title": title,
                "body": body,
                "url": url,
                "status": DeliveryStatus.SENT,
                "sent_at": timezone.now(),
            },
        )
        _send_email(event, subject, user, title, body, url)
        if event.kind.endswith(SMS_SUFFIXES):
            _send_sms(event, user, title, url)
    _queue_webhooks(event, subject)
    Event.objects.filter(pk=event.pk, dispatched_at__isnull=True).update(dispatched_at=timezone.now())


def _claim(event, user, channel, title, body, url) -> Notification | None:
    """The pending notification for this channel, locked; None when it was already handled."""
    notification, _created = Notification.objects.get_or_create(
        event=event, recipient=user, channel=channel, defaults={"title": title, "body": body, "url": url}
    )
    with transaction.atomic():
        locked = Notification.objects.select_for_update().get(pk=notification.pk)
        if locked.status != DeliveryStatus.PENDING:
            return None
        return locked


def _send_email(event, subject, user, title, body, url) -> None:
    notification = _claim(event, user, Channel.EMAIL, title, body, url)
    if notification is None:
        return
    if not user.email:
        notification.status = DeliveryStatus.UNREACHABLE
        notification.error = "no e-mail address"
        notification.save(update_fields=["status", "error"])
        _tell_office_unreachable(event, subject, user)
        return
    with translation.override(user.language or settings.LANGUAGE_CODE):
        text = f"{title}\n\n{body}\n\n{_('Open it in Lianqi')}: {url}\n".replace("\n\n\n", "\n\n")
    try:
        send_mail(title, text, settings.DEFAULT_FROM_EMAIL, [user.email], fail_silently=False)
    except Exception as exc:  # noqa: BLE001 - any mail failure is recorded, never raised to the caller
        logger.warning("e-mail to user %s failed: %s", user.pk, exc.__class__.__name__)
        notification.status, notification.error = DeliveryStatus.FAILED, str(exc)[:300]
        notification.save(update_fields=["status", "error"])
        return
    notification.status, notification.sent_at = DeliveryStatus.SENT, timezone.now()
    notification.save(update_fields=["status", "sent_at"])


def _send_sms(event, user, title, url) -> None:
    from .sms import get_backend

    notification = _claim(event, user, Channel.SMS, title, "", url)
    if notification is None:
        return
    if not user.phone:
        notification.status, notification.error = DeliveryStatus.UNREACHABLE, "no phone"
        notification.save(update_fields=["status", "error"])
        return
    try:
        get_backend().send(user.phone, f"{title} {url}")
    except Exception as exc:  # noqa: BLE001
        notification.status, notification.error = DeliveryStatus.FAILED, str(exc)[:300]
        notification.save(update_fields=["status", "error"])
        return
    notification.status, notification.sent_at = DeliveryStatus.SENT, timezone.now()
    notification.save(update_fields=["status", "sent_at"])


def _tell_office_unreachable(event, subject, user) -> None:
    """Someone could not be reached by e-mail: the command office of the object's jurisdiction
    gets an in-app notice (once per event and person)."""
    from lianqi.accounts.choices import Role
    from lianqi.accounts.models import User

    node = getattr(subject, "notification_jurisdiction", None)
    if node is None:
        return
    codes = [c for c in node.path.split("/") if c]
    offices = User.objects.filter(
        is_active=True, memberships__role=Role.OFFICE, memberships__jurisdiction__code__in=codes
    ).distinct()
    for office_user in offices:
        if office_user.pk == user.pk:
            continue
        with translation.override(office_user.language or settings.LANGUAGE_CODE):
            title = _("%(person)s cannot be reached by e-mail (no address): %(item)s") % {
                "person": user,
                "item": subject.notification_title(event.kind, event),
            }
        unreachable_event, _created = Event.objects.get_or_create(
            key=f"unreachable:{event.pk}:{user.pk}",
            defaults={"kind": "user.unreachable", "content_type": event.content_type, "object_id": event.object_id},
        )
        Notification.objects.get_or_create(
            event=unreachable_event,
            recipient=office_user,
            channel=Channel.IN_APP,
            defaults={
                "title": title[:300],
                "url": site_url(subject.get_absolute_url()),
                "status": DeliveryStatus.SENT,
                "sent_at": timezone.now(),
            },
        )


def _queue_webhooks(event, subject) -> None:
    node = getattr(subject, "notification_jurisdiction", None)
    for subscription in WebhookSubscription.objects.filter(is_active=True).select_related("jurisdiction"):
        if not subscription.wants(event.kind):
            continue
        if subscription.jurisdiction and (node is None or not node.path.startswith(subscription.jurisdiction.path)):
            continue
        delivery, created = WebhookDelivery.objects.get_or_create(
            subscription=subscription, event=event, defaults={"next_attempt_at": timezone.now()}
        )
        if created:
            transaction.on_commit(
                lambda pk=delivery.pk: queue("lianqi.notifications.tasks.deliver_webhook", pk, background=True)
            )

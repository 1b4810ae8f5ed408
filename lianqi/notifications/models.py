from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from lianqi.accounts.choices import Role
from lianqi.core.scoping import ScopedQuerySet, under_paths

from .choices import Channel, DeliveryStatus


class Event(models.Model):
    """Something happened to an object. ``key`` makes every event happen once: a job that runs
    twice, or late, finds the event already there and sends nothing again."""

    key = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=60)
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    subject = GenericForeignKey("content_type", "object_id")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    payload = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    dispatched_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["content_type", "object_id"], name="event_subject"),
            # events.pending_events(): the few events whose dispatch was lost, found every 30 s.
            models.Index(fields=["created_at"], condition=Q(dispatched_at__isnull=True), name="event_pending"),
        ]

    def __str__(self):
        return self.key


class NotificationQuerySet(ScopedQuerySet):
    admin_sees_all = False  # an inbox is personal: opening or marking read is the recipient's

    def scope_q(self, access):
        return Q(recipient=access.user)

    def change_q(self, access):
        return Q(recipient=access.user)

    def unread(self):
        return self.filter(channel=Channel.IN_APP, read_at__isnull=True)


class Notification(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="notifications")
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    title = models.CharField(_("title"), max_length=300)
    body = models.TextField(_("message"), blank=True)
    url = models.CharField(_("link"), max_length=500, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "recipient", "channel"], name="notification_once_per_event_recipient_channel"
            )
        ]
        indexes = [
            # The unread count in the header and the inbox.
            models.Index(fields=["recipient", "channel", "read_at"], name="notification_inbox"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("notifications:open", args=[self.pk])


class WebhookSubscriptionQuerySet(ScopedQuerySet):
    def scope_q(self, access):
        return under_paths("jurisdiction", access.jurisdiction_paths(roles=[Role.OFFICE]))

    def change_q(self, access):
        return self.scope_q(access)


class WebhookSubscription(models.Model):
    """An outside system that wants events as signed HTTP POSTs."""

    name = models.CharField(_("name"), max_length=100)
    url = models.URLField(_("URL"), max_length=500)
    secret = models.CharField(_("signing secret"), max_length=200)
    event_kinds = models.JSONField(_("events"), default=list, blank=True, help_text=_("Empty: every event."))
    jurisdiction = models.ForeignKey(
        "jurisdictions.Jurisdiction",
        verbose_name=_("jurisdiction"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        help_text=_("Only events of objects in this jurisdiction; empty: all."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = WebhookSubscriptionQuerySet.as_manager()

    class Meta:
        verbose_name = _("webhook subscription")
        verbose_name_plural = _("webhook subscriptions")

    def __str__(self):
        return self.name

    def wants(self, kind: str) -> bool:
        return not self.event_kinds or kind in self.event_kinds or kind.split(".")[0] in self.event_kinds


class WebhookDelivery(models.Model):
    subscription = models.ForeignKey(WebhookSubscription, on_delete=models.CASCADE, related_name="deliveries")
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="webhook_deliveries")
    status = models.CharField(max_length=12, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.CharField(max_length=300, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["subscription", "event"], name="webhook_delivery_once_per_event")
        ]
        indexes = [
            # The retry sweep: pending deliveries whose time has come.
            models.Index(fields=["status", "next_attempt_at"], name="webhook_delivery_due"),
        ]

    def __str__(self):
        return f"{self.subscription_id}/{self.event_id}: {self.status}"


class DeadlinePolicy(models.Model):
    """When to remind and escalate, per kind of item (hazard, appeal, task); set by the office."""

    kind = models.CharField(_("kind of item"), max_length=30, unique=True)
    remind_days_before = models.PositiveSmallIntegerField(_("remind this many days before the deadline"), default=1)
    first_escalation_days = models.PositiveSmallIntegerField(
        _("escalate to the supervising department after this many days overdue"), default=1
    )
    second_escalation_days = models.PositiveSmallIntegerField(
        _("escalate to the command office after this many days overdue"), default=3
    )

    class Meta:
        verbose_name = _("deadline policy")
        verbose_name_plural = _("deadline policies")
        constraints = [
            models.CheckConstraint(
                condition=Q(second_escalation_days__gt=models.F("first_escalation_days")),
                name="deadline_policy_escalations_ordered",
                violation_error_message=_("The second escalation must come after the first."),
            )
        ]

    def __str__(self):
        return self.kind

import datetime
import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from lianqi.accounts.choices import Role
from lianqi.core.models import TimeStampedModel
from lianqi.core.scoping import ScopedQuerySet, any_of, under_paths

from .choices import (
    AccessAction,
    AlertStatus,
    CheckpointKind,
    Decision,
    Direction,
    EntrySource,
    EntryStatus,
    FollowUpAction,
    HealthCode,
    RefusalReason,
    VerificationResult,
    VerificationStatus,
)

TERRITORIAL = (Role.LEADER, Role.OFFICE, Role.INSPECTOR)


def start_of_today() -> datetime.datetime:
    """Local midnight today, as an aware datetime (what "today's entries" means)."""
    now = timezone.localtime()
    return now.replace(hour=0, minute=0, second=0, microsecond=0)


def new_public_token() -> str:
    return secrets.token_urlsafe(12)


def _guarded(access, field):
    """Rows whose checkpoint (``field``: "pk" or "checkpoint") the user guards."""
    if Role.GUARD not in access.roles:
        return None
    return Q(**{f"{field}__in": CheckpointGuard.objects.filter(user=access.user).values("checkpoint")})


def _checkpoint_scope(access, prefix=""):
    """Officials of the territory and the owning enterprise's users (not guards)."""
    conditions = [under_paths(f"{prefix}jurisdiction", access.jurisdiction_paths(roles=TERRITORIAL))]
    if access.enterprise_ids():
        conditions.append(Q(**{f"{prefix}enterprise__in": access.enterprise_ids()}))
    return any_of(conditions)


def _checkpoint_change(access, prefix=""):
    conditions = [under_paths(f"{prefix}jurisdiction", access.jurisdiction_paths(roles=[Role.OFFICE]))]
    if access.enterprise_ids():
        conditions.append(Q(**{f"{prefix}enterprise__in": access.enterprise_ids()}))
    return any_of(conditions)


class CheckpointQuerySet(ScopedQuerySet):
    def scope_q(self, access):
        return any_of([_checkpoint_scope(access), _guarded(access, "pk")])

    def change_q(self, access):
        return _checkpoint_change(access)

    def guarded_by(self, user):
        return self.filter(guard_links__user=user)

    def for_registration(self, pk, user, id_hash: str = ""):
        """The hot path of every registration at the door: the active checkpoint ``pk`` if
        ``user`` guards it, else None — with only what registration needs (its id and its
        jurisdiction's path) and ``key_person_hint``: whether an active key-person list that
        applies here names ``id_hash``. One plain SQL query instead of three ORM ones: the
        database round trips, not Python, bound the registration rate (docs/benchmarks.md)."""
        from django.db import connection

        from lianqi.jurisdictions.models import Jurisdiction

        sql = f"SELECT c.id, c.jurisdiction_id, j.path, {key_person_sql()} {guarded_checkpoint_sql('g.user_id = %s')}"
        with connection.cursor() as cursor:
            cursor.execute(sql, [id_hash, int(pk), user.pk])
            row = cursor.fetchone()
        if row is None:
            return None
        checkpoint = Checkpoint(pk=row[0], jurisdiction_id=row[1])
        checkpoint.jurisdiction = Jurisdiction(pk=row[1], path=row[2])
        checkpoint.key_person_hint = bool(row[3])
        return checkpoint


def key_person_sql() -> str:
    """SQL: does an active key-person list pushed to the checkpoint's node (``j``) or above name
    the ID hash (one parameter)?"""
    from lianqi.jurisdictions.models import Jurisdiction

    return (
        f"EXISTS (SELECT 1 FROM {KeyPerson._meta.db_table} kp"  # noqa: S608 - table names only
        f" JOIN {KeyPersonList._meta.db_table} l ON l.id = kp.key_list_id"
        f" JOIN {Jurisdiction._meta.db_table} lj ON lj.id = l.jurisdiction_id"
        " WHERE kp.id_hash = %s AND l.is_active AND j.path LIKE lj.path || '%%')"
    )


def guarded_checkpoint_sql(who: str) -> str:
    """SQL: FROM … WHERE … of the active checkpoint (one parameter: its id) guarded by ``who``
    (a condition on ``g.user_id`` with its own parameters), with its jurisdiction as ``j``."""
    from lianqi.jurisdictions.models import Jurisdiction

    return (
        f"FROM {Checkpoint._meta.db_table} c"  # noqa: S608 - table names only
        f" JOIN {CheckpointGuard._meta.db_table} g ON g.checkpoint_id = c.id"
        f" JOIN {Jurisdiction._meta.db_table} j ON j.id = c.jurisdiction_id"
        f" WHERE c.id = %s AND {who} AND c.is_active"
    )


class Checkpoint(TimeStampedModel):
    """A door where people are checked: code + temperature + registration (查码+测温+登记)."""

    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=20, choices=CheckpointKind.choices)
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("owning enterprise"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="checkpoints",
        help_text=_("Leave empty when the jurisdiction itself runs the checkpoint (a village or community door)."),
    )
    jurisdiction = models.ForeignKey(
        "jurisdictions.Jurisdiction",
        verbose_name=_("jurisdiction"),
        on_delete=models.PROTECT,
        related_name="checkpoints",
        help_text=_("Where the checkpoint is; it owns the checkpoint when no enterprise does."),
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    opens_at = models.TimeField(_("opens at"), null=True, blank=True)
    closes_at = models.TimeField(_("closes at"), null=True, blank=True)
    guards = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        through="CheckpointGuard",
        verbose_name=_("guards"),
        related_name="guarded_checkpoints",
        blank=True,
    )
    public_token = models.CharField(max_length=32, unique=True, default=new_public_token, editable=False)
    is_active = models.BooleanField(_("active"), default=True)

    objects = CheckpointQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["public_token"])

    class Meta:
        verbose_name = _("checkpoint")
        verbose_name_plural = _("checkpoints")
        ordering = ["jurisdiction__path", "name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("checkpoints:detail", args=[self.pk])

    @property
    def owner_label(self) -> str:
        return self.enterprise.name if self.enterprise_id else str(self.jurisdiction)

    def self_registration_url(self) -> str:
        return settings.SITE_URL.rstrip("/") + reverse("checkpoints:self_register", args=[self.public_token])

    def is_open_at(self, moment=None) -> bool:
        if not (self.opens_at and self.closes_at):
            return True
        now = timezone.localtime(moment).time()
        if self.opens_at <= self.closes_at:
            return self.opens_at <= now <= self.closes_at
        return now >= self.opens_at or now <= self.closes_at  # open across midnight


class CheckpointGuard(models.Model):
    checkpoint = models.ForeignKey(Checkpoint, on_delete=models.CASCADE, related_name="guard_links")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="guard_links")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("guard assignment")
        verbose_name_plural = _("guard assignments")
        constraints = [
            models.UniqueConstraint(
                fields=["checkpoint", "user"],
                name="checkpoint_guard_once",
                violation_error_message=_("This guard is already assigned to the checkpoint."),
            )
        ]

    def __str__(self):
        return f"{self.user} @ {self.checkpoint}"


class EntryQuerySet(ScopedQuerySet):
    def scope_q(self, access):
        guarded = _guarded(access, "checkpoint")
        return any_of(
            [
                _checkpoint_scope(access, "checkpoint__"),
                # Guards: their own checkpoint, today only.
                guarded & Q(at__gte=start_of_today()) if guarded is not None else None,
            ]
        )

    def today(self):
        return self.filter(at__gte=start_of_today())

    def confirmed(self):
        return self.filter(status=EntryStatus.CONFIRMED)


class Entry(models.Model):
    """One person passing a checkpoint. Personal data only masked plus keyed hashes (see
    personal.py); deleted after ``PERSONAL_DATA_RETENTION_DAYS`` by the purge job. No history
    table on purpose: it would keep what the purge deletes.

    Built for volume: on PostgreSQL the table is partitioned by month of ``at``
    (lianqi/core/partitioning.py), so the purge drops whole months. The database's primary key
    is (id, at) there — ids stay unique, taken from one sequence — and foreign keys pointing at
    an entry are declared without a database constraint (``db_constraint=False``): the purge
    clears them itself. Indexes each serve a named query."""

    id = models.BigAutoField(primary_key=True)
    checkpoint = models.ForeignKey(Checkpoint, on_delete=models.CASCADE, related_name="entries")
    at = models.DateTimeField(_("time"), default=timezone.now)
    direction = models.CharField(_("direction"), max_length=3, choices=Direction.choices, default=Direction.IN)
    name = models.CharField(pgettext_lazy("person", "name"), max_length=50)
    id_masked = models.CharField(_("ID number"), max_length=18)
    id_hash = models.CharField(max_length=64, editable=False)
    phone_masked = models.CharField(_("phone"), max_length=20)
    phone_hash = models.CharField(max_length=64, editable=False)
    health_code = models.CharField(_("health code"), max_length=6, choices=HealthCode.choices)
    temperature = models.DecimalField(_("temperature (°C)"), max_digits=3, decimal_places=1, null=True, blank=True)
    origin = models.CharField(_("coming from"), max_length=100, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=EntryStatus.choices, default=EntryStatus.CONFIRMED)
    decision = models.CharField(_("decision"), max_length=10, choices=Decision.choices, blank=True)
    # Comma-separated RefusalReason codes, e.g. "fever,health_code".
    reasons = models.CharField(_("reasons"), max_length=60, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    key_person_match = models.BooleanField(_("key-person match"), default=False)
    source = models.CharField(_("source"), max_length=6, choices=EntrySource.choices, default=EntrySource.GUARD)
    # Generated by the guard's browser; makes a resend of a queued entry harmless.
    client_id = models.CharField(_("client id"), max_length=64, null=True, blank=True)
    # Shown to a self-registered visitor, who tells it to the guard.
    pickup_code = models.CharField(_("pick-up code"), max_length=6, blank=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registered by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = EntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("entry")
        verbose_name_plural = _("entries")
        ordering = ["-at", "-id"]
        indexes = [
            # Today's entries at a checkpoint (guard page, API list, counts): checkpoint = ? AND at >= midnight.
            models.Index(fields=["checkpoint", "at"], name="entry_checkpoint_at"),
            # The retention purge: at < now - retention.
            models.Index(fields=["at"], name="entry_purge"),
            # Key-person matching (new list against retained entries) and returning-person pre-fill.
            models.Index(fields=["id_hash"], name="entry_id_hash"),
        ]
        constraints = [
            # A resend of a queued entry carries its client id and its time of registration
            # (recorded_at), so it meets this constraint in the month partition of the first
            # send; the partition column has to be part of every unique constraint on PostgreSQL.
            # A resend without a time is looked up first (services.register_entry).
            models.UniqueConstraint(
                fields=["checkpoint", "client_id", "at"],
                name="entry_client_id_once",
                violation_error_message=_("This entry was already received."),
            ),
            models.CheckConstraint(
                condition=Q(status=EntryStatus.PENDING)
                | (Q(decision__in=Decision.values) & Q(temperature__isnull=False)),
                name="entry_registered_has_decision",
                violation_error_message=_("A registered entry needs a temperature and a decision."),
            ),
            models.CheckConstraint(
                condition=Q(temperature__isnull=True) | Q(temperature__gte=30, temperature__lte=45),
                name="entry_temperature_plausible",
                violation_error_message=_("The temperature must be between 30 and 45 °C."),
            ),
        ]

    def __str__(self):
        return f"{self.name} @ {self.checkpoint_id} {self.at:%Y-%m-%d %H:%M}"

    @property
    def reason_list(self) -> list[str]:
        return [r for r in self.reasons.split(",") if r]

    def reason_labels(self) -> list[str]:
        labels = dict(RefusalReason.choices)
        return [str(labels.get(r, r)) for r in self.reason_list]

    @property
    def is_refused(self) -> bool:
        return self.decision == Decision.REFUSED


class AlertQuerySet(ScopedQuerySet):
    def scope_q(self, access):
        return _checkpoint_scope(access, "checkpoint__")

    def change_q(self, access):
        conditions = [
            under_paths("checkpoint__jurisdiction", access.jurisdiction_paths(roles=[Role.OFFICE, Role.INSPECTOR]))
        ]
        if access.enterprise_ids():
            conditions.append(Q(checkpoint__enterprise__in=access.enterprise_ids()))
        return any_of(conditions)

    def today(self):
        return self.filter(raised_at__gte=start_of_today())


class Alert(TimeStampedModel):
    """A refused entry that needs somebody to act: fever, a non-green code or a key person.
    Keeps only masked details, so it outlives the entry it came from (entry set to NULL by the
    purge)."""

    checkpoint = models.ForeignKey(
        Checkpoint, verbose_name=_("checkpoint"), on_delete=models.CASCADE, related_name="alerts"
    )
    # No database constraint: a partitioned table's id alone is not a key PostgreSQL can point
    # at. Django's SET_NULL and the purge (which clears it before dropping a month) keep it honest.
    entry = models.OneToOneField(
        Entry,
        verbose_name=_("entry"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="alert",
        db_constraint=False,
    )
    raised_at = models.DateTimeField(_("raised at"), default=timezone.now)
    reasons = models.CharField(_("reasons"), max_length=60)
    person = models.CharField(_("person"), max_length=50, help_text=_("Masked name."))
    temperature = models.DecimalField(_("temperature (°C)"), max_digits=3, decimal_places=1, null=True, blank=True)
    health_code = models.CharField(_("health code"), max_length=6, choices=HealthCode.choices)
    status = models.CharField(_("status"), max_length=10, choices=AlertStatus.choices, default=AlertStatus.OPEN)
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = AlertQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("checkpoint alert")
        verbose_name_plural = _("checkpoint alerts")
        ordering = ["-raised_at", "-pk"]
        indexes = [
            # "Checkpoint alerts today" cards and the alert list: raised_at >= midnight, newest first.
            models.Index(fields=["raised_at"], name="alert_raised_at"),
            models.Index(fields=["checkpoint", "status"], name="alert_checkpoint_status"),
        ]

    def __str__(self):
        return f"{self.checkpoint} · {self.person} · {self.raised_at:%m-%d %H:%M}"

    def get_absolute_url(self):
        return reverse("checkpoints:alert", args=[self.pk])

    @property
    def reason_list(self) -> list[str]:
        return [r for r in self.reasons.split(",") if r]

    def reason_labels(self) -> list[str]:
        labels = dict(RefusalReason.choices)
        return [str(labels.get(r, r)) for r in self.reason_list]

    # --- notifications -----------------------------------------------------------------
    @property
    def notification_jurisdiction(self):
        return self.checkpoint.jurisdiction

    def notification_recipients(self, kind):
        from lianqi.accounts import directory

        checkpoint = self.checkpoint
        owner = (
            directory.enterprise_users(checkpoint.enterprise)
            if checkpoint.enterprise_id
            else directory.offices_over(checkpoint.jurisdiction)
        )
        return [*owner, *directory.inspectors_over(checkpoint.jurisdiction)]

    def notification_title(self, kind, event):
        from django.utils.translation import gettext as _t

        reasons = "、".join(self.reason_labels()) if self.reason_list else ""
        return _t("Checkpoint alert at %(checkpoint)s: %(person)s refused (%(reasons)s)") % {
            "checkpoint": self.checkpoint.name,
            "person": self.person,
            "reasons": reasons,
        }


class FollowUp(models.Model):
    """What was done about an alert (sent to a clinic, cleared, …)."""

    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="follow_ups")
    action = models.CharField(_("action"), max_length=20, choices=FollowUpAction.choices)
    note = models.TextField(_("note"), blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("time"), default=timezone.now)

    class Meta:
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.alert_id}: {self.action}"


class KeyPersonListQuerySet(ScopedQuerySet):
    def scope_q(self, access):
        # Offices and leaders of the list's node and below; lists pushed from above are seen too.
        conditions = [under_paths("jurisdiction", access.jurisdiction_paths(roles=[Role.LEADER, Role.OFFICE]))]
        codes = access.ancestor_codes()
        if codes and access.has_role(Role.LEADER, Role.OFFICE):
            conditions.append(Q(jurisdiction__code__in=codes))
        return any_of(conditions)

    def change_q(self, access):
        return Q(uploaded_by=access.user)


class KeyPersonList(TimeStampedModel):
    """A list of key persons pushed from above (.xlsx). Only hashes and masked values are kept."""

    name = models.CharField(_("name"), max_length=200)
    jurisdiction = models.ForeignKey(
        "jurisdictions.Jurisdiction",
        verbose_name=_("applies within"),
        on_delete=models.PROTECT,
        related_name="key_person_lists",
    )
    source_note = models.CharField(_("pushed by"), max_length=200, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    row_count = models.PositiveIntegerField(_("people"), default=0)
    skipped_count = models.PositiveIntegerField(_("rows skipped"), default=0)
    retro_hits = models.PositiveIntegerField(_("matches among retained entries"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    objects = KeyPersonListQuerySet.as_manager()

    class Meta:
        verbose_name = _("key-person list")
        verbose_name_plural = _("key-person lists")
        ordering = ["-created_at"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("checkpoints:key_person_lists")


class KeyPerson(models.Model):
    key_list = models.ForeignKey(KeyPersonList, on_delete=models.CASCADE, related_name="people")
    id_hash = models.CharField(max_length=64)
    id_masked = models.CharField(_("ID number"), max_length=18)
    name_masked = models.CharField(_("name"), max_length=50, blank=True)
    category = models.CharField(_("category"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("key person")
        verbose_name_plural = _("key persons")
        indexes = [
            # Matching a new entry: id_hash = ? (among active lists).
            models.Index(fields=["id_hash"], name="key_person_id_hash"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["key_list", "id_hash"], name="key_person_once_per_list"),
        ]

    def __str__(self):
        return f"{self.name_masked} {self.id_masked}"


class VerificationQuerySet(ScopedQuerySet):
    def scope_q(self, access):
        return under_paths("jurisdiction", access.jurisdiction_paths(roles=TERRITORIAL))

    def change_q(self, access):
        return under_paths("jurisdiction", access.jurisdiction_paths(roles=[Role.OFFICE, Role.INSPECTOR]))

    def open(self):
        return self.filter(status=VerificationStatus.OPEN)


class Verification(TimeStampedModel):
    """A key-person hit: the grid member of the checkpoint's area verifies the person the same
    day. Registered with the deadline mechanism (kind "keyperson") for reminders and escalation."""

    key_person = models.ForeignKey(KeyPerson, on_delete=models.CASCADE, related_name="verifications")
    # No database constraint, as Alert.entry.
    entry = models.ForeignKey(
        Entry, null=True, blank=True, on_delete=models.SET_NULL, related_name="verifications", db_constraint=False
    )
    checkpoint = models.ForeignKey(
        Checkpoint, verbose_name=_("checkpoint"), on_delete=models.CASCADE, related_name="verifications"
    )
    jurisdiction = models.ForeignKey(
        "jurisdictions.Jurisdiction", verbose_name=_("jurisdiction"), on_delete=models.PROTECT, related_name="+"
    )
    person = models.CharField(_("person"), max_length=50)
    id_masked = models.CharField(_("ID number"), max_length=18)
    seen_at = models.DateTimeField(_("seen at the checkpoint"))
    retroactive = models.BooleanField(_("found when the list was imported"), default=False)
    deadline = models.DateField(_("deadline"))
    status = models.CharField(
        _("status"), max_length=10, choices=VerificationStatus.choices, default=VerificationStatus.OPEN
    )
    result = models.CharField(_("result"), max_length=20, choices=VerificationResult.choices, blank=True)
    note = models.TextField(_("note"), blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)

    objects = VerificationQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("key-person verification")
        verbose_name_plural = _("key-person verifications")
        ordering = ["status", "-seen_at", "-pk"]
        indexes = [
            # The deadline job and the grid member's list: open ones by deadline.
            models.Index(fields=["status", "deadline"], name="verification_deadline"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["key_person", "entry"],
                name="verification_once_per_entry",
                violation_error_message=_("This match is already being verified."),
            ),
            models.CheckConstraint(
                condition=Q(status=VerificationStatus.OPEN) | ~Q(result=""),
                name="verification_done_has_result",
                violation_error_message=_("A verified match needs a result."),
            ),
        ]

    def __str__(self):
        return f"{self.person} {self.id_masked} @ {self.checkpoint_id}"

    def get_absolute_url(self):
        return reverse("checkpoints:verification", args=[self.pk])

    @property
    def is_overdue(self) -> bool:
        return self.status == VerificationStatus.OPEN and self.deadline < timezone.localdate()

    # --- notifications -----------------------------------------------------------------
    @property
    def notification_jurisdiction(self):
        return self.jurisdiction

    def notification_recipients(self, kind):
        from lianqi.accounts import directory

        if kind.endswith((".escalation1", ".escalation2")):
            return list(directory.offices_over(self.jurisdiction))
        return list(directory.inspectors_over(self.jurisdiction))

    def notification_title(self, kind, event):
        from django.utils.translation import gettext as _t

        values = {"person": self.person, "checkpoint": self.checkpoint.name, "id": self.id_masked}
        stage = kind.split(".", 1)[1]
        if stage in ("reminder", "overdue", "escalation1", "escalation2"):
            return _t("Key-person verification not answered: %(person)s (%(id)s) at %(checkpoint)s") % values
        return _t("Key-person match to verify today: %(person)s (%(id)s) at %(checkpoint)s") % values


class EntryAccessLog(models.Model):
    """Who viewed or exported checkpoint entries, when, and how many rows."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    action = models.CharField(_("action"), max_length=10, choices=AccessAction.choices)
    checkpoint = models.ForeignKey(Checkpoint, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    rows = models.PositiveIntegerField(_("rows"), default=0)
    query = models.CharField(_("filters"), max_length=300, blank=True)
    at = models.DateTimeField(_("time"), default=timezone.now)

    class Meta:
        verbose_name = _("entry access record")
        verbose_name_plural = _("entry access records")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["at"], name="entry_access_at")]

    def __str__(self):
        return f"{self.user_id} {self.action} {self.at:%Y-%m-%d %H:%M}"

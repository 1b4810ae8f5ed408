"""Every write at a checkpoint goes through these functions (guard page, API, self-registration,
imports, jobs and tests alike). Personal data arrives raw only as arguments, is protected by
``validation.clean_entry`` at once, and never reaches the database, a log line or a response."""

from __future__ import annotations

import datetime
import logging
import secrets
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lianqi.accounts.choices import Role
from lianqi.core import partitioning
from lianqi.notifications.events import emit

from .choices import (
    CLOSING_ACTIONS,
    AlertStatus,
    Decision,
    EntrySource,
    EntryStatus,
    HealthCode,
    RefusalReason,
    VerificationStatus,
)
from .models import (
    Alert,
    Checkpoint,
    CheckpointGuard,
    Entry,
    EntryAccessLog,
    FollowUp,
    KeyPerson,
    KeyPersonList,
    Verification,
)
from .personal import mask_name
from .validation import EntryInput, clean_entry, parse_temperature

logger = logging.getLogger(__name__)


# --- who may do what --------------------------------------------------------------------------
def can_register(user, checkpoint) -> bool:
    """Guards assigned to the checkpoint (and system administrators) register entries."""
    if not user.is_authenticated:
        return False
    if CheckpointGuard.objects.filter(checkpoint=checkpoint, user=user).exists():
        return True
    return user.access.is_admin


def require_register(user, checkpoint) -> None:
    if not can_register(user, checkpoint):
        raise PermissionDenied(_("Only the guards of this checkpoint register entries here."))


def fever_threshold() -> Decimal:
    return Decimal(str(settings.FEVER_THRESHOLD))


# --- the rules --------------------------------------------------------------------------------
def key_person_matches(checkpoint, id_hash: str) -> list[KeyPerson]:
    """Active key-person lists that apply at the checkpoint (pushed to its node or above) and
    name this person."""
    codes = [c for c in checkpoint.jurisdiction.path.split("/") if c]
    return list(
        KeyPerson.objects.filter(
            id_hash=id_hash, key_list__is_active=True, key_list__jurisdiction__code__in=codes
        ).select_related("key_list")
    )


def rule_reasons(*, temperature: Decimal, health_code: str, key_person: bool) -> list[str]:
    reasons = []
    if temperature >= fever_threshold():
        reasons.append(RefusalReason.FEVER)
    if health_code != HealthCode.GREEN:
        reasons.append(RefusalReason.HEALTH_CODE)
    if key_person:
        reasons.append(RefusalReason.KEY_PERSON)
    return [str(r) for r in reasons]


def _raise_alert_and_verifications(entry: Entry, alert_reasons, matches, *, actor) -> Alert | None:
    """Inside the entry's transaction: the alert (owner and grid member, in-app and SMS) and one
    same-day verification per key-person match."""
    alert = None
    if alert_reasons:
        alert = Alert.objects.create(
            checkpoint=entry.checkpoint,
            entry=entry,
            raised_at=entry.at,
            reasons=",".join(alert_reasons),
            person=mask_name(entry.name),
            temperature=entry.temperature,
            health_code=entry.health_code,
            raised_by=actor,
        )
        emit("checkpoint.alert", alert, actor=actor, key=f"checkpoint.alert:{alert.pk}")
        logger.info("checkpoint %s alert %s for entry %s: %s", entry.checkpoint_id, alert.pk, entry.pk, entry.reasons)
    for key_person in matches:
        _open_verification(key_person, entry, actor=actor, retroactive=False)
    return alert


def _open_verification(key_person, entry, *, actor=None, retroactive: bool) -> Verification | None:
    verification, created = Verification.objects.get_or_create(
        key_person=key_person,
        entry=entry,
        defaults={
            "checkpoint": entry.checkpoint,
            "jurisdiction": entry.checkpoint.jurisdiction,
            "person": mask_name(entry.name),
            "id_masked": entry.id_masked,
            "seen_at": entry.at,
            "retroactive": retroactive,
            "deadline": timezone.localdate(),
        },
    )
    if not created:
        return None
    emit("keyperson.hit", verification, actor=actor, key=f"keyperson.hit:{verification.pk}")
    return verification


# --- registering entries ----------------------------------------------------------------------
def _previous_phone(checkpoint, id_hash):
    """A returning person's phone (masked and hashed) from their last entry here."""
    return (
        Entry.objects.filter(checkpoint=checkpoint, id_hash=id_hash)
        .exclude(phone_hash="")
        .order_by("-at")
        .values_list("phone_masked", "phone_hash")
        .first()
    )


def _decision(cleaned: EntryInput, matches) -> tuple[dict, list[str]]:
    """The rules' decision as the entry's ``decision``, ``reasons`` and ``key_person_match``, and
    the reasons that raise an alert. The rules refuse by default and cannot be overruled at the
    door; the guard may refuse for another reason (with a note)."""
    reasons = rule_reasons(temperature=cleaned.temperature, health_code=cleaned.health_code, key_person=bool(matches))
    alert_reasons = list(reasons)
    if cleaned.decision == Decision.REFUSED and not reasons:
        reasons.append(str(RefusalReason.OTHER))
    decided = {
        "decision": (Decision.REFUSED if reasons else Decision.ADMITTED).value,
        "reasons": ",".join(reasons),
        "key_person_match": bool(matches),
    }
    return decided, alert_reasons


def guard_entry_values(*, cleaned: EntryInput, phone: tuple[str, str], matches) -> tuple[dict, list[str]]:
    """The column values of the entry a guard registers — everything but the checkpoint and the
    registering user — with the rules' decision (``_decision``), and the reasons that raise an
    alert (empty for an ordinary admitted entry). Plain values, no model instance: shared by
    ``guard_entry`` and the registration fast path (fastpath.py)."""
    decided, alert_reasons = _decision(cleaned, matches)
    values = {
        "at": cleaned.recorded_at or timezone.now(),
        "direction": cleaned.direction,
        "name": cleaned.name,
        "id_masked": cleaned.id.masked,
        "id_hash": cleaned.id.hash,
        "phone_masked": phone[0],
        "phone_hash": phone[1],
        "health_code": cleaned.health_code,
        "temperature": cleaned.temperature,
        "origin": cleaned.origin,
        "note": cleaned.note,
        "status": EntryStatus.CONFIRMED.value,
        "source": EntrySource.GUARD.value,
        "client_id": cleaned.client_id,
        **decided,
    }
    return values, alert_reasons


def guard_entry(checkpoint, *, actor, cleaned: EntryInput, phone: tuple[str, str], matches) -> tuple[Entry, list[str]]:
    """The unsaved entry a guard registers (see ``guard_entry_values``) and its alert reasons."""
    values, alert_reasons = guard_entry_values(cleaned=cleaned, phone=phone, matches=matches)
    return Entry(checkpoint=checkpoint, registered_by=actor, **values), alert_reasons


def register_entry(checkpoint: Checkpoint, *, actor, data: dict) -> tuple[Entry, bool]:
    """A guard registers a person at the door. Returns ``(entry, created)``; a resend with the
    same ``client_id`` returns the entry already stored (``created`` False) and changes nothing.

    The caller has checked ``can_register``. ``data`` holds the raw fields (see validation.py);
    the phone may be left empty for a returning person (same ID number at this checkpoint).
    ``data`` may also be an ``EntryInput`` the caller has already cleaned.

    Idempotency: the unique constraint is (checkpoint, client_id, at) — the time is part of it
    because the table is partitioned by month of ``at`` on PostgreSQL. A client that sends its
    time of registration (``recorded_at``, as the guard page does) gets the one-INSERT path: a
    resend carries the same time and is caught by the constraint, not by a query first (resends
    are rare, registrations are not). A client id without a time is looked up first, under a
    lock on (checkpoint, client id), so such a resend never duplicates either."""
    cleaned = data if isinstance(data, EntryInput) else clean_entry(data, phone_optional=True)
    phone = (
        (cleaned.phone.masked, cleaned.phone.hash) if cleaned.phone else _previous_phone(checkpoint, cleaned.id.hash)
    )
    if phone is None:
        raise ValidationError({"phone": [ValidationError(_("This field is required."), code="required")]})
    # ``key_person_hint`` (from Checkpoint.objects.for_registration) saves a query when False.
    hint = getattr(checkpoint, "key_person_hint", None)
    matches = [] if hint is False else key_person_matches(checkpoint, cleaned.id.hash)
    entry, alert_reasons = guard_entry(checkpoint, actor=actor, cleaned=cleaned, phone=phone, matches=matches)
    if cleaned.client_id and cleaned.recorded_at is None:
        return _register_untimed(checkpoint, entry, cleaned, alert_reasons, matches, actor=actor)
    try:
        if alert_reasons or matches:
            with transaction.atomic():
                entry.save(force_insert=True)
                _raise_alert_and_verifications(entry, alert_reasons, matches, actor=actor)
        elif connection.in_atomic_block:
            with transaction.atomic():  # a savepoint: a duplicate must not break the caller's transaction
                entry.save(force_insert=True)
        else:
            # The common case is one INSERT in autocommit: no transaction round trips.
            entry.save(force_insert=True)
    except IntegrityError:
        # Two sends of the same queued entry raced; the first one stored it.
        existing = _existing(checkpoint, cleaned.client_id) if cleaned.client_id else None
        if existing is None:
            raise
        return existing, False
    logger.debug("checkpoint %s entry %s: %s %s", checkpoint.pk, entry.pk, entry.decision, entry.reasons)
    return entry, True


def _existing(checkpoint, client_id):
    return Entry.objects.filter(checkpoint=checkpoint, client_id=client_id).first()


def _register_untimed(checkpoint, entry, cleaned, alert_reasons, matches, *, actor) -> tuple[Entry, bool]:
    """A client id without a time of registration: the server's clock gives ``at``, so a resend
    would get another time and pass the unique constraint. Look the client id up first, holding
    a transaction-level advisory lock on (checkpoint, client id) on PostgreSQL; SQLite's
    IMMEDIATE transactions already serialise writers."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))", [f"{checkpoint.pk}:{cleaned.client_id}"]
                )
        existing = _existing(checkpoint, cleaned.client_id)
        if existing is not None:
            return existing, False
        entry.save(force_insert=True)
        _raise_alert_and_verifications(entry, alert_reasons, matches, actor=actor)
    return entry, True


def self_register(checkpoint: Checkpoint, *, data: dict) -> Entry:
    """A visitor registers themselves by scanning the checkpoint's QR code (no login). The entry
    waits for the guard, who measures the temperature and confirms."""
    if not checkpoint.is_active:
        raise ValidationError(_("This checkpoint is closed."), code="inactive")
    cleaned = clean_entry(data, need_temperature=False)
    entry = Entry.objects.create(
        checkpoint=checkpoint,
        direction=cleaned.direction,
        name=cleaned.name,
        id_masked=cleaned.id.masked,
        id_hash=cleaned.id.hash,
        phone_masked=cleaned.phone.masked,
        phone_hash=cleaned.phone.hash,
        health_code=cleaned.health_code,
        origin=cleaned.origin,
        status=EntryStatus.PENDING,
        source=EntrySource.SELF,
        pickup_code=f"{secrets.randbelow(10000):04d}",
    )
    logger.info("checkpoint %s self-registration %s waiting for the guard", checkpoint.pk, entry.pk)
    return entry


def confirm_self_registration(entry: Entry, *, actor, temperature, health_code=None, decision="", note="") -> Entry:
    """The guard confirms a waiting self-registration with the measured temperature."""
    require_register(actor, entry.checkpoint)
    try:
        measured = parse_temperature(temperature)
    except ValidationError as error:
        raise ValidationError({"temperature": [error]}) from None
    if health_code not in (None, "") and health_code not in HealthCode.values:
        raise ValidationError({"health_code": [ValidationError(_("Choose a health-code colour."), code="invalid")]})
    with transaction.atomic():
        entry = Entry.objects.select_for_update().select_related("checkpoint__jurisdiction").get(pk=entry.pk)
        if entry.status != EntryStatus.PENDING:
            raise ValidationError(_("This registration was already confirmed."), code="already_confirmed")
        entry.temperature = measured
        if health_code:
            entry.health_code = health_code
        entry.note = (note or "")[:200]
        entry.status = EntryStatus.CONFIRMED
        entry.registered_by = actor
        entry.at = timezone.now()
        cleaned = EntryInput(
            name=entry.name,
            id=None,
            phone=None,
            health_code=entry.health_code,
            temperature=measured,
            direction=entry.direction,
            origin=entry.origin,
            decision=decision or "",
            note=entry.note,
            client_id=None,
        )
        matches = key_person_matches(entry.checkpoint, entry.id_hash)
        decided, alert_reasons = _decision(cleaned, matches)
        for field, value in decided.items():
            setattr(entry, field, value)
        entry.save(
            update_fields=[
                "temperature",
                "health_code",
                "note",
                "status",
                "registered_by",
                "at",
                "decision",
                "reasons",
                "key_person_match",
            ]
        )
        _raise_alert_and_verifications(entry, alert_reasons, matches, actor=actor)
    return entry


def returning_person(checkpoint, id_number) -> dict | None:
    """What the guard page pre-fills for a person seen here before (same ID hash)."""
    from .personal import protect_id

    try:
        protected = protect_id(id_number)
    except ValidationError as error:
        raise ValidationError({"id_number": [error]}) from None
    previous = (
        Entry.objects.filter(checkpoint=checkpoint, id_hash=protected.hash, status=EntryStatus.CONFIRMED)
        .order_by("-at")
        .values("name", "phone_masked", "origin", "health_code", "at")
        .first()
    )
    if previous is None:
        return None
    previous["at"] = timezone.localtime(previous["at"]).isoformat()
    return previous


def pending_registrations(checkpoint):
    """Self-registrations of the last two hours waiting for the guard."""
    since = timezone.now() - datetime.timedelta(hours=2)
    return Entry.objects.filter(checkpoint=checkpoint, status=EntryStatus.PENDING, at__gte=since).order_by("-at")


# --- alerts -----------------------------------------------------------------------------------
def add_follow_up(alert: Alert, *, actor, action: str, note: str = "") -> FollowUp:
    if not Alert.objects.editable_by(actor).filter(pk=alert.pk).exists():
        raise PermissionDenied(_("You may view this alert but not record its follow-up."))
    with transaction.atomic():
        alert = Alert.objects.select_for_update().get(pk=alert.pk)
        follow_up = FollowUp.objects.create(alert=alert, action=action, note=note, by=actor)
        if action in CLOSING_ACTIONS and alert.status != AlertStatus.CLOSED:
            alert.status = AlertStatus.CLOSED
            alert._history_user = actor
            alert.save(update_fields=["status", "updated_at"])
    return follow_up


# --- key-person verifications -----------------------------------------------------------------
def verify(verification: Verification, *, actor, result: str, note: str = "") -> Verification:
    if not Verification.objects.editable_by(actor).filter(pk=verification.pk).exists():
        raise PermissionDenied(_("Only the grid member or office of the area answers this verification."))
    with transaction.atomic():
        verification = Verification.objects.select_for_update().get(pk=verification.pk)
        if verification.status == VerificationStatus.DONE:
            raise ValidationError(_("This verification was already answered."), code="already_done")
        verification.status = VerificationStatus.DONE
        verification.result = result
        verification.note = note
        verification.verified_by = actor
        verification.verified_at = timezone.now()
        verification._history_user = actor
        verification.full_clean(exclude=["key_person", "entry", "checkpoint", "jurisdiction"])
        verification.save()
    emit("keyperson.verified", verification, actor=actor, key=f"keyperson.verified:{verification.pk}")
    return verification


def match_retained_entries(key_list: KeyPersonList, people: list[KeyPerson], *, actor=None) -> int:
    """Retroactive matching at import: retained entries at checkpoints within the list's area
    whose ID hash is on the list. Each hit becomes a same-day verification."""
    by_hash = {p.id_hash: p for p in people}
    hashes = list(by_hash)
    opened = 0
    for start in range(0, len(hashes), 500):
        chunk = hashes[start : start + 500]
        entries = (
            Entry.objects.filter(
                id_hash__in=chunk,
                status=EntryStatus.CONFIRMED,
                checkpoint__jurisdiction__path__startswith=key_list.jurisdiction.path,
            )
            .select_related("checkpoint__jurisdiction")
            .order_by("at")
        )
        for entry in entries:
            with transaction.atomic():
                if _open_verification(by_hash[entry.id_hash], entry, actor=actor, retroactive=True):
                    opened += 1
                    Entry.objects.filter(pk=entry.pk).update(key_person_match=True)
    return opened


# --- access log and retention -----------------------------------------------------------------
def log_access(user, action: str, *, checkpoint=None, rows: int = 0, query: str = "") -> None:
    EntryAccessLog.objects.create(user=user, action=action, checkpoint=checkpoint, rows=rows, query=query[:300])


def purge_personal_data(now=None, batch: int = 5000) -> int:
    """Delete entries older than ``PERSONAL_DATA_RETENTION_DAYS``; alerts and verifications keep
    their masked summary. On PostgreSQL whole month partitions older than the cut-off are
    dropped; the rest (the boundary month, the default partition, SQLite) is deleted in batches,
    so no long lock. Safe to run twice. Returns the count."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=settings.PERSONAL_DATA_RETENTION_DAYS)
    deleted = _drop_old_months(cutoff)
    while True:
        ids = list(Entry.objects.filter(at__lt=cutoff).order_by("at").values_list("pk", flat=True)[:batch])
        if not ids:
            break
        with transaction.atomic():
            Alert.objects.filter(entry__in=ids).update(entry=None)
            Verification.objects.filter(entry__in=ids).update(entry=None)
            deleted += Entry.objects.filter(pk__in=ids).delete()[0]
    if deleted:
        logger.info("purged %s checkpoint entries older than %s", deleted, cutoff.isoformat())
    return deleted


def _drop_old_months(cutoff) -> int:
    """PostgreSQL: drop the month partitions of entries that end before ``cutoff``, after
    clearing the alerts' and verifications' links to their rows (no database foreign key does
    it). One short transaction per month; returns the number of entries dropped."""
    if not partitioning.supported():
        return 0
    table = Entry._meta.db_table
    dropped = 0
    with connection.cursor() as cursor:
        months = partitioning.months_before(cursor, table, cutoff)
    for name in months:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f'SELECT count(*) FROM "{name}"')  # noqa: S608 - a partition name
            rows = cursor.fetchone()[0]
            for model in (Alert, Verification):
                cursor.execute(
                    f'UPDATE "{model._meta.db_table}" SET entry_id = NULL WHERE entry_id IN (SELECT id FROM "{name}")'  # noqa: S608
                )
            partitioning.drop_partition(cursor, table, name)
        logger.info("dropped partition %s (%s checkpoint entries older than %s)", name, rows, cutoff.isoformat())
        dropped += rows
    return dropped


def assign_guard(checkpoint, user, *, actor) -> None:
    if not Checkpoint.objects.editable_by(actor).filter(pk=checkpoint.pk).exists():
        raise PermissionDenied(_("You may not assign guards to this checkpoint."))
    if not user.memberships.filter(role=Role.GUARD).exists():
        raise ValidationError(_("Only users with the checkpoint-guard role can be assigned."), code="not_guard")
    CheckpointGuard.objects.get_or_create(checkpoint=checkpoint, user=user)

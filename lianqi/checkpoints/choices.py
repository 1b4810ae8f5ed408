from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class CheckpointKind(models.TextChoices):
    ENTERPRISE_GATE = "enterprise_gate", _("Enterprise gate")
    COMMUNITY_ENTRANCE = "community_entrance", _("Village / community entrance")
    SITE = "site", _("Site")


class HealthCode(models.TextChoices):
    GREEN = "green", pgettext_lazy("health code", "Green")
    YELLOW = "yellow", pgettext_lazy("health code", "Yellow")
    RED = "red", pgettext_lazy("health code", "Red")


class Direction(models.TextChoices):
    IN = "in", pgettext_lazy("direction", "In")
    OUT = "out", pgettext_lazy("direction", "Out")


class Decision(models.TextChoices):
    ADMITTED = "admitted", pgettext_lazy("entry decision", "Admitted")
    REFUSED = "refused", pgettext_lazy("entry decision", "Refused")


class RefusalReason(models.TextChoices):
    FEVER = "fever", _("Temperature at or above the threshold")
    HEALTH_CODE = "health_code", _("Health code not green")
    KEY_PERSON = "key_person", _("On a key-person list")
    OTHER = "other", _("Other (see note)")


# Reasons that raise an alert to the owner and the grid member.
ALERT_REASONS = (RefusalReason.FEVER, RefusalReason.HEALTH_CODE, RefusalReason.KEY_PERSON)


class EntryStatus(models.TextChoices):
    PENDING = "pending", pgettext_lazy("entry status", "Waiting for the guard")
    CONFIRMED = "confirmed", pgettext_lazy("entry status", "Registered")


class EntrySource(models.TextChoices):
    GUARD = "guard", _("Registered by the guard")
    SELF = "self", _("Self-registered (QR code)")


class FollowUpAction(models.TextChoices):
    SENT_TO_CLINIC = "sent_to_clinic", _("Sent to a fever clinic")
    HOME_ISOLATION = "home_isolation", _("Home isolation arranged")
    HANDED_OVER = "handed_over", _("Handed over to the community / grid")
    RECHECKED = "rechecked", _("Rechecked")
    CLEARED = "cleared", _("Cleared")
    OTHER = "other", _("Other")


# Follow-up actions that close the alert.
CLOSING_ACTIONS = (FollowUpAction.SENT_TO_CLINIC, FollowUpAction.HOME_ISOLATION, FollowUpAction.CLEARED)


class AlertStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("alert status", "Open")
    CLOSED = "closed", pgettext_lazy("alert status", "Followed up")


class VerificationResult(models.TextChoices):
    CONFIRMED_CONTROLLED = "controlled", _("Person found and under control measures")
    NOT_THE_PERSON = "not_the_person", _("Not the listed person")
    LEFT_AREA = "left_area", _("Person has left the area")
    CLEARED = "cleared", _("Checked: no further measures needed")


class VerificationStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("verification status", "To verify")
    DONE = "done", pgettext_lazy("verification status", "Verified")


class AccessAction(models.TextChoices):
    VIEW = "view", _("Viewed entries")
    EXPORT = "export", _("Exported entries")
    API = "api", _("Read entries through the API")


DECISION_COLOURS = {Decision.ADMITTED: "green", Decision.REFUSED: "red"}
HEALTH_CODE_COLOURS = {HealthCode.GREEN: "green", HealthCode.YELLOW: "yellow", HealthCode.RED: "red"}
ALERT_COLOURS = {AlertStatus.OPEN: "red", AlertStatus.CLOSED: "green"}

from django.utils import timezone
from rest_framework import serializers

from ..choices import Decision, Direction, FollowUpAction, HealthCode, RefusalReason, VerificationResult
from ..models import Alert, Checkpoint, FollowUp, KeyPersonList, Verification


def entry_payload(entry) -> dict:
    """An entry as the API and the guard page show it: masked, never raw. A plain dict (not a
    serializer) because it is on the hot path of registration; ``entry`` is an Entry or any
    object with its attributes (the fast path's stored values)."""
    reasons = [r for r in entry.reasons.split(",") if r]
    labels = dict(RefusalReason.choices) if reasons else {}
    return {
        "id": entry.pk,
        "checkpoint": entry.checkpoint_id,
        "at": timezone.localtime(entry.at).isoformat(),
        "direction": entry.direction,
        "name": entry.name,
        "id_number": entry.id_masked,
        "phone": entry.phone_masked,
        "health_code": entry.health_code,
        "temperature": float(entry.temperature) if entry.temperature is not None else None,
        "origin": entry.origin,
        "status": entry.status,
        "decision": entry.decision or None,
        "reasons": reasons,
        "reason": "; ".join(str(labels.get(r, r)) for r in reasons),
        "note": entry.note,
        "key_person_match": entry.key_person_match,
        "source": entry.source,
        "client_id": entry.client_id,
    }


class EntryInputSerializer(serializers.Serializer):
    """For the schema only: the view checks input with ``validation.clean_entry``."""

    name = serializers.CharField(max_length=50)
    id_number = serializers.CharField(help_text="18-digit resident ID number (check digit verified; x or X).")
    phone = serializers.CharField(
        required=False, help_text="Mobile or landline; may be omitted for a person seen here before."
    )
    health_code = serializers.ChoiceField(choices=HealthCode.choices)
    temperature = serializers.DecimalField(max_digits=3, decimal_places=1, help_text="°C, 34.0–42.5.")
    direction = serializers.ChoiceField(choices=Direction.choices, default=Direction.IN)
    origin = serializers.CharField(max_length=100, required=False)
    decision = serializers.ChoiceField(
        choices=Decision.choices, required=False, help_text="Send 'refused' with a note to refuse for another reason."
    )
    note = serializers.CharField(max_length=200, required=False)
    client_id = serializers.CharField(
        max_length=64, required=False, help_text="Idempotency key: a resend with the same id returns the stored entry."
    )
    recorded_at = serializers.DateTimeField(
        required=False,
        help_text="When the entry was registered at the door (within the last 24 hours); kept as sent. Send the same "
        "value with every resend of a client_id: the resend then costs one INSERT instead of a locked look-up.",
    )


class EntrySerializer(serializers.Serializer):
    """For the schema only (see ``entry_payload``)."""

    id = serializers.IntegerField()
    checkpoint = serializers.IntegerField()
    at = serializers.DateTimeField()
    direction = serializers.ChoiceField(choices=Direction.choices)
    name = serializers.CharField()
    id_number = serializers.CharField(help_text="Masked, e.g. 4101**********1234.")
    phone = serializers.CharField(help_text="Masked, e.g. 138****5678.")
    health_code = serializers.ChoiceField(choices=HealthCode.choices)
    temperature = serializers.FloatField(allow_null=True)
    origin = serializers.CharField()
    status = serializers.CharField()
    decision = serializers.ChoiceField(choices=Decision.choices, allow_null=True)
    reasons = serializers.ListField(child=serializers.ChoiceField(choices=RefusalReason.choices))
    reason = serializers.CharField()
    note = serializers.CharField()
    key_person_match = serializers.BooleanField()
    source = serializers.CharField()
    client_id = serializers.CharField(allow_null=True)


class ReturningInputSerializer(serializers.Serializer):
    id_number = serializers.CharField()


class CheckpointSerializer(serializers.ModelSerializer):
    owner = serializers.CharField(source="owner_label", read_only=True)
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    self_registration_url = serializers.CharField(read_only=True)

    class Meta:
        model = Checkpoint
        fields = [
            "id",
            "name",
            "kind",
            "kind_display",
            "enterprise",
            "jurisdiction",
            "owner",
            "address",
            "opens_at",
            "closes_at",
            "is_active",
            "self_registration_url",
        ]
        read_only_fields = fields


class FollowUpSerializer(serializers.ModelSerializer):
    by = serializers.CharField(source="by.username", read_only=True)

    class Meta:
        model = FollowUp
        fields = ["id", "action", "note", "by", "at"]
        read_only_fields = ["id", "by", "at"]


class FollowUpInputSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=FollowUpAction.choices)
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)


class AlertSerializer(serializers.ModelSerializer):
    reasons = serializers.ListField(source="reason_list", child=serializers.CharField(), read_only=True)
    checkpoint_name = serializers.CharField(source="checkpoint.name", read_only=True)
    follow_ups = FollowUpSerializer(many=True, read_only=True)

    class Meta:
        model = Alert
        fields = [
            "id",
            "checkpoint",
            "checkpoint_name",
            "raised_at",
            "reasons",
            "person",
            "temperature",
            "health_code",
            "status",
            "follow_ups",
        ]
        read_only_fields = fields


class VerificationSerializer(serializers.ModelSerializer):
    checkpoint_name = serializers.CharField(source="checkpoint.name", read_only=True)
    is_overdue = serializers.BooleanField(read_only=True)

    class Meta:
        model = Verification
        fields = [
            "id",
            "checkpoint",
            "checkpoint_name",
            "person",
            "id_masked",
            "seen_at",
            "retroactive",
            "deadline",
            "is_overdue",
            "status",
            "result",
            "note",
            "verified_at",
        ]
        read_only_fields = fields


class VerifyInputSerializer(serializers.Serializer):
    result = serializers.ChoiceField(choices=VerificationResult.choices)
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)


class KeyPersonListSerializer(serializers.ModelSerializer):
    class Meta:
        model = KeyPersonList
        fields = ["id", "name", "jurisdiction", "source_note", "row_count", "skipped_count", "retro_hits", "created_at"]
        read_only_fields = fields


class KeyPersonUploadSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    jurisdiction = serializers.IntegerField(help_text="The node the list applies within (your office's or below).")
    source_note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    file = serializers.FileField(help_text=".xlsx with a column 身份证号 (or id_number); optional 姓名, 类别.")

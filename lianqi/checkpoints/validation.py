"""Input of an entry, checked once for every entry point (guard page, API, self-registration).

Returns plain values with personal data already protected (masked + hashed); raises a Django
``ValidationError`` keyed by field, each error with a stable code. No message repeats what was
typed into the ID or phone field.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy

from .choices import Decision, Direction, HealthCode
from .personal import Protected, protect_id, protect_phone

TEMPERATURE_MIN = Decimal("34.0")
TEMPERATURE_MAX = Decimal("42.5")
_CLIENT_ID = re.compile(r"^[A-Za-z0-9_.:-]{1,64}$")

MESSAGES = {
    "required": gettext_lazy("This field is required."),
    "not_text": gettext_lazy("Send this field as text."),
    "too_long": gettext_lazy("Too long: at most %(limit)d characters."),
    "invalid_choice": gettext_lazy("Choose one of: %(choices)s."),
    "temperature_invalid": gettext_lazy("Enter the temperature as a number in °C, for example 36.5."),
    "temperature_range": gettext_lazy(
        "A body temperature must be between %(min)s and %(max)s °C; measure again (is the thermometer in °C?)."
    ),
    "client_id": gettext_lazy(
        "The client id may have up to 64 letters, digits, dots, colons, hyphens and underscores."
    ),
    "not_object": gettext_lazy("Send a JSON object with the entry's fields."),
    "recorded_at": gettext_lazy("The time of registration must be an ISO date-time within the last 24 hours."),
}


@dataclass
class EntryInput:
    name: str
    id: Protected
    phone: Protected | None
    health_code: str
    temperature: Decimal | None
    direction: str
    origin: str
    decision: str
    note: str
    client_id: str | None
    recorded_at: datetime.datetime | None = None


def _error(code, **params):
    return ValidationError(MESSAGES[code] % params if params else MESSAGES[code], code=code)


def _text(data, field, errors, *, limit, required=True):
    value = data.get(field)
    if value is None or value == "":
        if required:
            errors[field] = [_error("required")]
        return ""
    if not isinstance(value, str):
        errors[field] = [_error("not_text")]
        return ""
    value = value.strip()
    if required and not value:
        errors[field] = [_error("required")]
    elif len(value) > limit:
        errors[field] = [_error("too_long", limit=limit)]
    return value


_CHOICE_VALUES = {choices: frozenset(choices.values) for choices in (Decision, Direction, HealthCode)}


def _choice(data, field, errors, choices, *, default=None):
    value = data.get(field)
    if value in (None, "") and default is not None:
        return default
    if value in (None, ""):
        errors[field] = [_error("required")]
        return ""
    if not isinstance(value, str) or value not in _CHOICE_VALUES[choices]:
        errors[field] = [_error("invalid_choice", choices=", ".join(choices.values))]
        return ""
    return value


def parse_temperature(value) -> Decimal:
    """°C with one decimal (half up, as a thermometer displays it); ValidationError outside the
    range a living person can show."""
    if isinstance(value, bool) or not isinstance(value, (str, int, float, Decimal)):
        raise _error("temperature_invalid")
    try:
        number = Decimal(str(value).strip().replace(",", "."))
    except InvalidOperation:
        raise _error("temperature_invalid") from None
    if not number.is_finite():
        raise _error("temperature_invalid")
    number = number.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    if not TEMPERATURE_MIN <= number <= TEMPERATURE_MAX:
        raise _error("temperature_range", min=TEMPERATURE_MIN, max=TEMPERATURE_MAX)
    return number


def _recorded_at(value, errors):
    """When an entry queued offline was registered at the door (sent later): accepted within the
    last 24 hours, or up to 10 minutes ahead (a phone's clock running fast). Kept exactly as sent,
    never moved to "now": a resend must carry the same time to meet the first send in the
    idempotency constraint (checkpoint, client id, time)."""
    if value in (None, ""):
        return None
    moment = parse_datetime(value) if isinstance(value, str) else None
    if moment is None:
        errors["recorded_at"] = [_error("recorded_at")]
        return None
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    now = timezone.now()
    if moment < now - datetime.timedelta(hours=24) or moment > now + datetime.timedelta(minutes=10):
        errors["recorded_at"] = [_error("recorded_at")]
        return None
    return moment


def clean_entry(data, *, need_temperature=True, phone_optional=False) -> EntryInput:
    if not isinstance(data, dict):
        raise ValidationError({"non_field_errors": [_error("not_object")]})
    errors: dict[str, list] = {}
    name = _text(data, "name", errors, limit=50)

    protected_id = None
    raw_id = data.get("id_number")
    if raw_id in (None, ""):
        errors["id_number"] = [_error("required")]
    elif not isinstance(raw_id, str):
        errors["id_number"] = [_error("not_text")]
    else:
        try:
            protected_id = protect_id(raw_id)
        except ValidationError as error:
            errors["id_number"] = [error]
    del raw_id

    protected_phone = None
    raw_phone = data.get("phone")
    if raw_phone in (None, ""):
        if not phone_optional:
            errors["phone"] = [_error("required")]
    elif not isinstance(raw_phone, str):
        errors["phone"] = [_error("not_text")]
    else:
        try:
            protected_phone = protect_phone(raw_phone)
        except ValidationError as error:
            errors["phone"] = [error]
    del raw_phone

    health_code = _choice(data, "health_code", errors, HealthCode)
    direction = _choice(data, "direction", errors, Direction, default=Direction.IN)

    temperature = None
    raw_temperature = data.get("temperature")
    if raw_temperature in (None, ""):
        if need_temperature:
            errors["temperature"] = [_error("required")]
    else:
        try:
            temperature = parse_temperature(raw_temperature)
        except ValidationError as error:
            errors["temperature"] = [error]

    origin = _text(data, "origin", errors, limit=100, required=False)
    note = _text(data, "note", errors, limit=200, required=False)
    decision = ""
    if data.get("decision") not in (None, ""):
        decision = _choice(data, "decision", errors, Decision)

    client_id = data.get("client_id")
    if client_id in (None, ""):
        client_id = None
    elif not isinstance(client_id, str) or not _CLIENT_ID.match(client_id):
        errors["client_id"] = [_error("client_id")]
        client_id = None

    recorded_at = _recorded_at(data.get("recorded_at"), errors)

    if errors:
        raise ValidationError(errors)
    return EntryInput(
        recorded_at=recorded_at,
        name=name,
        id=protected_id,
        phone=protected_phone,
        health_code=health_code,
        temperature=temperature,
        direction=direction,
        origin=origin,
        decision=decision,
        note=note,
        client_id=client_id,
    )

"""Personal data at the door: validate, mask for display, hash for matching — never store raw.

An ID number or phone is normalised, checked, and turned at once into

* a masked form for display (``4101**********1234``, ``138****5678``), and
* a keyed hash (HMAC-SHA256 with ``settings.PERSONAL_DATA_HASH_KEY``) for matching returning
  people and key-person lists.

The raw value lives only in the request being handled; nothing here logs it, and error messages
never repeat it.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy

# GB 11643-1999: weights of the first 17 digits and the check character for (sum mod 11).
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
_ID_SHAPE = re.compile(r"^\d{17}[\dX]$")
_PHONE_SHAPE = re.compile(r"^1[3-9]\d{9}$|^0\d{9,11}$")

ID_MESSAGES = {
    "id_legacy": gettext_lazy(
        "This is a 15-digit ID number of the old format; enter the 18-digit resident ID number instead."
    ),
    "id_length": gettext_lazy("A resident ID number has 18 characters: 17 digits and a check digit (0–9 or X)."),
    "id_format": gettext_lazy("A resident ID number has 17 digits followed by a digit or the letter X."),
    "id_checksum": gettext_lazy(
        "The last character (check digit) does not match the first 17 digits; check the ID number for a typo."
    ),
}
PHONE_MESSAGE = gettext_lazy("Enter a mainland mobile number (11 digits starting with 1) or a landline with area code.")


def id_check_character(first17: str) -> str:
    return _ID_CHECK[sum(int(d) * w for d, w in zip(first17, _ID_WEIGHTS, strict=True)) % 11]


def normalise_id_number(value) -> str:
    """The ID number in canonical form (upper-case X, no spaces), or ValidationError with a code
    from ``ID_MESSAGES``. The message never contains the number."""
    text = re.sub(r"[\s-]", "", str(value or "")).upper()
    if len(text) == 15 and text.isdigit():
        raise ValidationError(ID_MESSAGES["id_legacy"], code="id_legacy")
    if len(text) != 18:
        raise ValidationError(ID_MESSAGES["id_length"], code="id_length")
    if not _ID_SHAPE.match(text):
        raise ValidationError(ID_MESSAGES["id_format"], code="id_format")
    if id_check_character(text[:17]) != text[17]:
        raise ValidationError(ID_MESSAGES["id_checksum"], code="id_checksum")
    return text


def normalise_phone(value) -> str:
    text = re.sub(r"[\s()-]", "", str(value or ""))
    if text.startswith("+86"):
        text = text[3:]
    elif text.startswith("0086"):
        text = text[4:]
    if not _PHONE_SHAPE.match(text):
        raise ValidationError(PHONE_MESSAGE, code="phone_format")
    return text


def mask_id(normalised: str) -> str:
    """``410105199003071234`` → ``4101**********1234`` (region prefix and last four kept)."""
    return normalised[:4] + "*" * (len(normalised) - 8) + normalised[-4:]


def mask_phone(normalised: str) -> str:
    """``13812345678`` → ``138****5678``."""
    return normalised[:3] + "*" * (len(normalised) - 7) + normalised[-4:]


def mask_name(name: str) -> str:
    """For records that outlive the entry (alerts): ``张三丰`` → ``张**``."""
    name = (name or "").strip()
    return (name[:1] + "*" * (len(name) - 1)) if name else ""


def keyed_hash(kind: str, normalised: str) -> str:
    """HMAC-SHA256 of the normalised value, keyed by the secret setting; ``kind`` ("id",
    "phone") separates the two namespaces. 64 hex characters."""
    key = settings.PERSONAL_DATA_HASH_KEY.encode()
    return hmac.new(key, f"{kind}:{normalised}".encode(), hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class Protected:
    masked: str
    hash: str


def protect_id(value) -> Protected:
    normalised = normalise_id_number(value)
    return Protected(mask_id(normalised), keyed_hash("id", normalised))


def protect_phone(value) -> Protected:
    normalised = normalise_phone(value)
    return Protected(mask_phone(normalised), keyed_hash("phone", normalised))


def make_id_number(region: str, birth: str, sequence: int) -> str:
    """A valid ID number for demo data and tests (``region`` 6 digits, ``birth`` YYYYMMDD)."""
    first17 = f"{region}{birth}{sequence:03d}"
    return first17 + id_check_character(first17)

"""Unified social credit code (统一社会信用代码), GB 32100-2015.

18 characters: registration authority (1), organisation type (1), administrative division code
(6 digits), organisation code (9), check character (1). The alphabet has 31 characters — the
digits and the capitals without I, O, S, V and Z — and the 18th is a weighted check over the first
17 (weights 3^i mod 31).
"""

from __future__ import annotations

import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
VALUES = {char: index for index, char in enumerate(ALPHABET)}
WEIGHTS = [pow(3, i, 31) for i in range(17)]
REGISTRATION_AUTHORITIES = set("123456789ABCDEFGY")
LENGTH = 18


def normalize(raw: str) -> str:
    """What can be normalised is: full-width characters pasted from Word, lower case, spaces,
    hyphens and zero-width characters."""
    text = unicodedata.normalize("NFKC", raw or "")
    text = "".join(ch for ch in text if not ch.isspace() and ch not in "-\u200b\u200c\u200d\ufeff")
    return text.upper()


def check_character(first17: str) -> str:
    total = sum(VALUES[char] * weight for char, weight in zip(first17, WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def validate(raw: str) -> str:
    """Return the normalised code, or raise ValidationError saying exactly what is wrong."""
    code = normalize(raw)
    if not code:
        raise ValidationError(_("Enter the unified social credit code."), code="required")
    if len(code) != LENGTH:
        raise ValidationError(
            _("A unified social credit code has 18 characters; this one has %(count)d."),
            code="length",
            params={"count": len(code)},
        )
    for position, char in enumerate(code, start=1):
        if char not in VALUES:
            raise ValidationError(
                _(
                    "Character %(position)d (“%(char)s”) cannot appear in a credit code: only digits "
                    "and capital letters other than I, O, S, V and Z are used."
                ),
                code="character",
                params={"position": position, "char": char},
            )
    if code[0] not in REGISTRATION_AUTHORITIES:
        raise ValidationError(
            _("Character 1 (“%(char)s”) is not a registration authority code (1–9, A–G or Y)."),
            code="authority",
            params={"char": code[0]},
        )
    division = code[2:8]
    if not division.isdigit():
        raise ValidationError(
            _("Characters 3–8 (“%(division)s”) must be the six digits of an administrative division code."),
            code="division",
            params={"division": division},
        )
    if check_character(code[:17]) != code[17]:
        raise ValidationError(
            _("The check character (the 18th, “%(char)s”) does not match the other 17: the code has a typo."),
            code="check_digit",
            params={"char": code[17]},
        )
    return code


def is_valid(raw: str) -> bool:
    try:
        validate(raw)
    except ValidationError:
        return False
    return True


def make(first17: str) -> str:
    """Complete 17 characters with their check character (for demo data and tests)."""
    return first17 + check_character(first17)

"""Answers against a checklist version: which items show, what each answer means, the score.

Pure functions over items (``ChecklistItem`` or anything with the same attributes) and a dict
of answers ``{item code: value}``; the inspections app, the API and the editor's preview all
use them, so a rule is written once.

Canonical answer values (what is stored): yes/no/NA → ``"yes"|"no"|"na"``; number → a number;
text → a string; choice → the choice's value; multiple choice → a list of values in the order
of the choices; photo → ``None`` (a photo item is answered by its photos).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .choices import ItemType

PASS, FAIL, NA, INFO = "pass", "fail", "na", "info"


def _number_text(value) -> str:
    return f"{value:g}"


def normalise(item, raw):
    """The canonical value of a raw answer (form text, list or JSON); ``None`` when empty.
    Raises ``ValidationError`` (code ``invalid_answer``/``out_of_range``) with a clear message."""
    if item.type == ItemType.PHOTO:
        return None
    if item.type == ItemType.MULTI_CHOICE:
        values = raw if isinstance(raw, (list, tuple)) else ([] if raw in (None, "") else [raw])
        values = [str(v) for v in values if str(v) != ""]
        if not values:
            return None
        allowed = [c["value"] for c in item.choices or []]
        unknown = [v for v in values if v not in allowed]
        if unknown:
            raise ValidationError(
                _("“%(value)s” is not one of the choices of item %(code)s."),
                code="invalid_answer",
                params={"value": unknown[0], "code": item.code},
            )
        return [v for v in allowed if v in values]
    if isinstance(raw, (list, tuple)):
        raw = raw[-1] if raw else None
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    if item.type == ItemType.YES_NO_NA:
        value = str(raw).strip().lower()
        if value not in ("yes", "no", "na"):
            raise ValidationError(
                _("Answer item %(code)s with yes, no or not applicable."),
                code="invalid_answer",
                params={"code": item.code},
            )
        return value
    if item.type == ItemType.NUMBER:
        if isinstance(raw, bool):
            raw = "x"
        try:
            number = float(str(raw).strip().replace(",", ""))
        except ValueError:
            number = math.nan
        if not math.isfinite(number):
            raise ValidationError(_("Item %(code)s needs a number."), code="invalid_answer", params={"code": item.code})
        low, high = item.min_value, item.max_value
        if (low is not None and number < low) or (high is not None and number > high):
            unit = f" {item.unit}" if item.unit else ""
            if low is not None and high is not None:
                message = _("%(value)s is outside the accepted range %(low)s–%(high)s%(unit)s for item %(code)s.")
            elif low is not None:
                message = _("%(value)s is below the lowest accepted value %(low)s%(unit)s for item %(code)s.")
            else:
                message = _("%(value)s is above the highest accepted value %(high)s%(unit)s for item %(code)s.")
            raise ValidationError(
                message,
                code="out_of_range",
                params={
                    "value": _number_text(number),
                    "low": _number_text(low) if low is not None else "",
                    "high": _number_text(high) if high is not None else "",
                    "unit": unit,
                    "code": item.code,
                },
            )
        return int(number) if number.is_integer() and abs(number) < 2**53 else number
    if item.type == ItemType.CHOICE:
        value = str(raw)
        if value not in [c["value"] for c in item.choices or []]:
            raise ValidationError(
                _("“%(value)s” is not one of the choices of item %(code)s."),
                code="invalid_answer",
                params={"value": value, "code": item.code},
            )
        return value
    text = str(raw).strip()
    if len(text) > 4000:
        raise ValidationError(
            _("Keep the answer to item %(code)s under 4000 characters."),
            code="invalid_answer",
            params={"code": item.code},
        )
    return text


def _matches(value, expected) -> bool:
    if isinstance(value, list):
        return expected in value if not isinstance(expected, list) else any(e in value for e in expected)
    if isinstance(expected, list):
        return value in expected
    return value == expected


def visible_codes(items, answers: dict) -> set[str]:
    """Codes of the items shown given the answers: an item with ``show_if`` shows when the item
    it depends on is itself shown and its answer equals the value (for a multiple choice: the
    value is among those ticked). Items come in template order; a condition may only refer to
    an earlier item (the importer checks it), so one pass suffices."""
    shown: set[str] = set()
    for item in items:
        condition = item.show_if
        if not condition:
            shown.add(item.code)
            continue
        parent = condition.get("item")
        if parent in shown and answers.get(parent) is not None and _matches(answers[parent], condition.get("equals")):
            shown.add(item.code)
    return shown


def result(item, value, *, has_photo: bool = False) -> str | None:
    """pass / fail / na / info, or ``None`` when unanswered."""
    if item.type == ItemType.PHOTO:
        return PASS if has_photo else None
    if value is None:
        return None
    if item.type == ItemType.YES_NO_NA:
        if value == "na":
            return NA
        if not item.pass_answer:
            return INFO
        return PASS if value == item.pass_answer else FAIL
    rule = item.fail_if or {}
    if item.type == ItemType.NUMBER:
        if "gt" in rule and value > rule["gt"]:
            return FAIL
        if "lt" in rule and value < rule["lt"]:
            return FAIL
        return PASS if rule else INFO
    if item.type in (ItemType.CHOICE, ItemType.MULTI_CHOICE):
        if "in" in rule:
            return FAIL if _matches(value, rule["in"]) else PASS
        if item.type == ItemType.CHOICE and item.pass_answer:
            return PASS if value == item.pass_answer else FAIL
        return INFO
    return INFO


@dataclass
class Evaluation:
    visible: set = field(default_factory=set)
    results: dict = field(default_factory=dict)  # code -> pass/fail/na/info/None
    missing: list = field(default_factory=list)  # required visible items without an answer
    missing_photos: list = field(default_factory=list)  # visible items that need a photo and have none
    failing: list = field(default_factory=list)  # failing items, in template order
    score: float | None = None

    @property
    def complete(self) -> bool:
        return not self.missing and not self.missing_photos


def evaluate(items, answers: dict, photo_codes=frozenset()) -> Evaluation:
    items = list(items)
    evaluation = Evaluation(visible=visible_codes(items, answers))
    earned = possible = 0.0
    for item in items:
        if item.code not in evaluation.visible:
            continue
        value = answers.get(item.code)
        outcome = result(item, value, has_photo=item.code in photo_codes)
        evaluation.results[item.code] = outcome
        if outcome is None and (item.required or item.type == ItemType.PHOTO):
            evaluation.missing.append(item)
        needs_photo = item.type == ItemType.PHOTO or (item.requires_photo and outcome not in (None, NA))
        if needs_photo and item.code not in photo_codes and item not in evaluation.missing:
            evaluation.missing_photos.append(item)
        if outcome == FAIL:
            evaluation.failing.append(item)
        if outcome in (PASS, FAIL):
            possible += item.weight
            earned += item.weight if outcome == PASS else 0
    evaluation.score = round(100 * earned / possible, 1) if possible else None
    return evaluation

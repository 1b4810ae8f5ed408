"""Checklist templates as JSON, so cities can share them.

The format is that of the shipped files in ``data/templates/`` (see the app's README):
``{code, version, kind, hazard_category, name_zh, name_en, description_zh, description_en,
references, sections: [{code, title_zh, title_en, items: [{code, text_zh, text_en, guidance_zh,
guidance_en, type, required, requires_photo, pass_answer, unit, min, max, fail_if, choices,
show_if, hazard, weight, clause}]}]}``.

``validate`` checks everything before anything is written and reports every problem with its
place in the file; ``import_template`` writes one version in one transaction; ``export_version``
produces the same format, so export → import → export gives the same document.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .choices import HazardCategory, HazardGrade, ItemType, TemplateKind, VersionStatus
from .models import ChecklistItem, ChecklistSection, ChecklistTemplate, TemplateVersion

SHIPPED_DIR = Path(__file__).resolve().parent / "data" / "templates"
MAX_IMPORT_BYTES = 2 * 1024 * 1024
TOP_KEYS = {
    "code",
    "version",
    "kind",
    "hazard_category",
    "name_zh",
    "name_en",
    "description_zh",
    "description_en",
    "references",
    "sections",
}
SECTION_KEYS = {"code", "title_zh", "title_en", "items"}
ITEM_KEYS = {
    "code",
    "text_zh",
    "text_en",
    "guidance_zh",
    "guidance_en",
    "type",
    "required",
    "requires_photo",
    "pass_answer",
    "unit",
    "min",
    "max",
    "fail_if",
    "choices",
    "show_if",
    "hazard",
    "weight",
    "clause",
}
CODE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,29}$")
SLUG_RE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,59}$")


def _is_number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


class _Checker:
    def __init__(self):
        self.problems: list[str] = []

    def add(self, where: str, message: str) -> None:
        self.problems.append(f"{where}: {message}")

    def text(self, obj, key, where, *, required=False, max_length=None):
        value = obj.get(key)
        if value is None or value == "":
            if required:
                self.add(where, _("“%(key)s” is required.") % {"key": key})
            return
        if not isinstance(value, str):
            self.add(where, _("“%(key)s” must be text.") % {"key": key})
        elif max_length and len(value) > max_length:
            self.add(where, _("“%(key)s” is longer than %(n)d characters.") % {"key": key, "n": max_length})

    def unknown(self, obj, allowed, where):
        for key in sorted(set(obj) - allowed):
            self.add(where, _("unknown field “%(key)s”.") % {"key": key})


def parse(raw: bytes | str) -> dict:
    """JSON text → dict, or ValidationError (code ``malformed``) with the line and column."""
    if isinstance(raw, bytes):
        if len(raw) > MAX_IMPORT_BYTES:
            raise ValidationError(
                _("The file is larger than %(n)d MB.") % {"n": MAX_IMPORT_BYTES // 1048576}, code="too_large"
            )
        try:
            raw = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ValidationError(_("The file is not UTF-8 text."), code="malformed") from None
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as error:
        raise ValidationError(
            _("The file is not valid JSON: %(msg)s at line %(line)d, column %(col)d.")
            % {"msg": error.msg, "line": error.lineno, "col": error.colno},
            code="malformed",
        ) from None
    return data


def validate(data) -> None:
    """Raise ValidationError listing every problem (code ``invalid_template``); return if none."""
    check = _Checker()
    if not isinstance(data, dict):
        raise ValidationError(
            _("A template is a JSON object with code, version and sections."), code="invalid_template"
        )
    check.unknown(data, TOP_KEYS, _("template"))
    code = data.get("code")
    if not isinstance(code, str) or not SLUG_RE.match(code):
        check.add("code", _("use lower-case letters, digits, “-” and “_” (at most 60)."))
    version = data.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        check.add("version", _("must be a whole number from 1."))
    if data.get("kind") not in TemplateKind.values:
        check.add("kind", _("must be one of %(values)s.") % {"values": ", ".join(TemplateKind.values)})
    if data.get("hazard_category") not in (None, "", *HazardCategory.values):
        check.add("hazard_category", _("unknown hazard category “%(value)s”.") % {"value": data.get("hazard_category")})
    check.text(data, "name_zh", "name_zh", required=True, max_length=200)
    check.text(data, "name_en", "name_en", max_length=300)
    check.text(data, "description_zh", "description_zh")
    check.text(data, "description_en", "description_en")
    references = data.get("references", [])
    if references is not None and (not isinstance(references, list) or not all(isinstance(r, str) for r in references)):
        check.add("references", _("must be a list of texts."))
    sections = data.get("sections")
    if not isinstance(sections, list) or not sections:
        check.add("sections", _("a template needs at least one section."))
        sections = []
    section_codes, item_types, item_choices = set(), {}, {}
    for s_index, section in enumerate(sections):
        where = f"sections[{s_index}]"
        if not isinstance(section, dict):
            check.add(where, _("must be an object."))
            continue
        check.unknown(section, SECTION_KEYS, where)
        s_code = section.get("code")
        if not isinstance(s_code, str) or not CODE_RE.match(s_code):
            check.add(where, _("a section needs a short code (letters, digits, “.”, “-”, “_”)."))
        elif s_code in section_codes:
            check.add(where, _("section code “%(code)s” is used twice.") % {"code": s_code})
        section_codes.add(s_code)
        check.text(section, "title_zh", where, required=True, max_length=200)
        check.text(section, "title_en", where, max_length=300)
        items = section.get("items")
        if not isinstance(items, list) or not items:
            check.add(where, _("a section needs at least one item."))
            continue
        for i_index, item in enumerate(items):
            _check_item(check, item, f"{where}.items[{i_index}]", item_types, item_choices)
    if check.problems:
        raise ValidationError(check.problems, code="invalid_template")


def _check_item(check, item, where, item_types, item_choices):
    if not isinstance(item, dict):
        check.add(where, _("must be an object."))
        return
    check.unknown(item, ITEM_KEYS, where)
    code = item.get("code")
    if not isinstance(code, str) or not CODE_RE.match(code):
        check.add(where, _("an item needs a short code (letters, digits, “.”, “-”, “_”)."))
        code = None
    elif code in item_types:
        check.add(where, _("item code “%(code)s” is used twice.") % {"code": code})
    where = f"{where} ({code})" if code else where
    check.text(item, "text_zh", where, required=True, max_length=2000)
    for key in ("text_en", "guidance_zh", "guidance_en"):
        check.text(item, key, where, max_length=4000)
    kind = item.get("type")
    if kind not in ItemType.values:
        check.add(where, _("type must be one of %(values)s.") % {"values": ", ".join(ItemType.values)})
    for key in ("required", "requires_photo"):
        if key in item and not isinstance(item[key], bool):
            check.add(where, _("“%(key)s” must be true or false.") % {"key": key})
    pass_answer = item.get("pass_answer")
    if pass_answer not in (None, "", "yes", "no"):
        check.add(where, _("pass_answer must be “yes”, “no” or null."))
    check.text(item, "unit", where, max_length=20)
    check.text(item, "clause", where, max_length=300)
    low, high = item.get("min"), item.get("max")
    for key, value in (("min", low), ("max", high)):
        if value is not None and not _is_number(value):
            check.add(where, _("“%(key)s” must be a number or null.") % {"key": key})
    if _is_number(low) and _is_number(high) and low > high:
        check.add(where, _("min is above max."))
    choices = item.get("choices")
    values = []
    if kind in (ItemType.CHOICE, ItemType.MULTI_CHOICE):
        if not isinstance(choices, list) or not choices:
            check.add(where, _("a choice item needs a list of choices."))
        else:
            for choice in choices:
                if not isinstance(choice, dict) or not isinstance(choice.get("value"), str) or not choice["value"]:
                    check.add(where, _("each choice needs a value and label_zh."))
                    continue
                if not isinstance(choice.get("label_zh"), str) or not choice["label_zh"]:
                    check.add(where, _("choice “%(value)s” needs label_zh.") % {"value": choice["value"]})
                if set(choice) - {"value", "label_zh", "label_en"}:
                    check.add(where, _("choice “%(value)s” has unknown fields.") % {"value": choice["value"]})
                if choice["value"] in values:
                    check.add(where, _("choice value “%(value)s” is used twice.") % {"value": choice["value"]})
                values.append(choice["value"])
    elif choices not in (None, []):
        check.add(where, _("only choice items have choices."))
    fail_if = item.get("fail_if")
    if fail_if is not None:
        if not isinstance(fail_if, dict) or not fail_if:
            check.add(where, _('fail_if must be {"gt": n}, {"lt": n} or {"in": [values]}.'))
        else:
            for key, value in fail_if.items():
                if key in ("gt", "lt"):
                    if kind != ItemType.NUMBER or not _is_number(value):
                        check.add(where, _("fail_if %(key)s needs a number item and a number.") % {"key": key})
                elif key == "in":
                    if kind not in (ItemType.CHOICE, ItemType.MULTI_CHOICE) or not isinstance(value, list):
                        check.add(where, _("fail_if in needs a choice item and a list of its values."))
                    elif any(v not in values for v in value):
                        check.add(where, _("fail_if in names a value that is not a choice."))
                else:
                    check.add(where, _("fail_if has an unknown rule “%(key)s”.") % {"key": key})
    show_if = item.get("show_if")
    if show_if is not None:
        if not isinstance(show_if, dict) or set(show_if) != {"item", "equals"}:
            check.add(where, _('show_if must be {"item": code, "equals": value}.'))
        elif show_if["item"] not in item_types:
            check.add(
                where, _("show_if refers to “%(code)s”, which is not an earlier item.") % {"code": show_if["item"]}
            )
        else:
            parent_type = item_types[show_if["item"]]
            expected = show_if["equals"]
            if parent_type == ItemType.YES_NO_NA and expected not in ("yes", "no", "na"):
                check.add(where, _("show_if on a yes/no item needs “yes”, “no” or “na”."))
            if (
                parent_type in (ItemType.CHOICE, ItemType.MULTI_CHOICE)
                and expected not in item_choices[show_if["item"]]
            ):
                check.add(
                    where,
                    _("show_if value “%(value)s” is not a choice of %(code)s.")
                    % {"value": expected, "code": show_if["item"]},
                )
    hazard = item.get("hazard")
    if hazard is not None:
        if not isinstance(hazard, dict) or set(hazard) != {"category", "grade"}:
            check.add(where, _('hazard must be {"category": …, "grade": …} or null.'))
        else:
            if hazard["category"] not in HazardCategory.values:
                check.add(where, _("unknown hazard category “%(value)s”.") % {"value": hazard["category"]})
            if hazard["grade"] not in HazardGrade.values:
                check.add(where, _("hazard grade must be “general” or “major”."))
    weight = item.get("weight", 1)
    if not _is_number(weight) or weight < 0 or weight > 1000:
        check.add(where, _("weight must be a number from 0 to 1000."))
    if code:
        item_types[code] = kind
        item_choices[code] = values


def _blank(value) -> str:
    return value if isinstance(value, str) else ""


def _content(version: TemplateVersion) -> list:
    return export_version(version)["sections"]


def write_sections(version: TemplateVersion, sections: list) -> None:
    """Create the sections and items of ``version`` from validated JSON sections."""
    position = 0
    for s_position, s in enumerate(sections):
        section = ChecklistSection.objects.create(
            version=version,
            code=s["code"],
            position=s_position,
            title_zh=s["title_zh"],
            title_en=_blank(s.get("title_en")),
        )
        rows = []
        for i in s["items"]:
            hazard = i.get("hazard") or {}
            rows.append(
                ChecklistItem(
                    version=version,
                    section=section,
                    code=i["code"],
                    position=position,
                    text_zh=i["text_zh"],
                    text_en=_blank(i.get("text_en")),
                    guidance_zh=_blank(i.get("guidance_zh")),
                    guidance_en=_blank(i.get("guidance_en")),
                    type=i["type"],
                    required=i.get("required", True),
                    requires_photo=i.get("requires_photo", False),
                    pass_answer=i.get("pass_answer") or "",
                    unit=_blank(i.get("unit")),
                    min_value=i.get("min"),
                    max_value=i.get("max"),
                    fail_if=i.get("fail_if"),
                    choices=i.get("choices") or [],
                    show_if=i.get("show_if"),
                    hazard_category=hazard.get("category", ""),
                    hazard_grade=hazard.get("grade", ""),
                    weight=i.get("weight", 1),
                    clause=_blank(i.get("clause")),
                )
            )
            position += 1
        ChecklistItem.objects.bulk_create(rows)


def import_template(data: dict, *, actor=None) -> tuple[TemplateVersion, bool]:
    """Import one template version (published). Returns ``(version, created)``.

    Same code and version already there with the same content: nothing changes (so loading the
    shipped files twice is harmless). Same number with different content, or a number not above
    the latest: refused, since a published version never changes."""
    validate(data)
    with transaction.atomic():
        template = ChecklistTemplate.objects.select_for_update().filter(code=data["code"]).first()
        if template is not None:
            existing = template.versions.filter(number=data["version"]).first()
            if existing is not None:
                if existing.status == VersionStatus.PUBLISHED and _content(existing) == _normalised_sections(data):
                    return existing, False
                raise ValidationError(
                    _(
                        "Version %(n)d of “%(code)s” already exists with different content; "
                        "give the file a new version number."
                    )
                    % {"n": data["version"], "code": data["code"]},
                    code="version_exists",
                )
            latest = template.versions.order_by("-number").first()
            if latest is not None and latest.number > data["version"]:
                raise ValidationError(
                    _("“%(code)s” is already at version %(latest)d; an import must have a higher number.")
                    % {"code": data["code"], "latest": latest.number},
                    code="version_too_old",
                )
        else:
            template = ChecklistTemplate(code=data["code"])
        template.kind = data["kind"]
        template.hazard_category = data.get("hazard_category") or ""
        template.name_zh = data["name_zh"]
        template.name_en = _blank(data.get("name_en"))
        template.description_zh = _blank(data.get("description_zh"))
        template.description_en = _blank(data.get("description_en"))
        template.save()
        version = TemplateVersion.objects.create(
            template=template,
            number=data["version"],
            status=VersionStatus.PUBLISHED,
            references=data.get("references") or [],
            created_by=actor,
            published_at=timezone.now(),
            change_note=_("Imported from JSON"),
        )
        write_sections(version, data["sections"])
    return version, True


def _num(value):
    if value is None:
        return None
    return int(value) if float(value).is_integer() else value


def _item_dict(item: ChecklistItem) -> dict:
    return {
        "code": item.code,
        "text_zh": item.text_zh,
        "text_en": item.text_en,
        "guidance_zh": item.guidance_zh,
        "guidance_en": item.guidance_en,
        "type": item.type,
        "required": item.required,
        "requires_photo": item.requires_photo,
        "pass_answer": item.pass_answer or None,
        "unit": item.unit or None,
        "min": _num(item.min_value),
        "max": _num(item.max_value),
        "fail_if": item.fail_if or None,
        "choices": item.choices or None,
        "show_if": item.show_if or None,
        "hazard": {"category": item.hazard_category, "grade": item.hazard_grade} if item.hazard_category else None,
        "weight": _num(item.weight),
        "clause": item.clause or None,
    }


def export_version(version: TemplateVersion) -> dict:
    template = version.template
    return {
        "code": template.code,
        "version": version.number,
        "kind": template.kind,
        "hazard_category": template.hazard_category or None,
        "name_zh": template.name_zh,
        "name_en": template.name_en,
        "description_zh": template.description_zh,
        "description_en": template.description_en,
        "references": list(version.references or []),
        "sections": [
            {
                "code": section.code,
                "title_zh": section.title_zh,
                "title_en": section.title_en,
                "items": [_item_dict(item) for item in section.ordered_items],
            }
            for section in version.ordered_sections()
        ],
    }


def _normalised_sections(data: dict) -> list:
    """The sections of a JSON document as ``export_version`` would write them."""
    sections = []
    for s in data["sections"]:
        items = []
        for i in s["items"]:
            hazard = i.get("hazard") or None
            items.append(
                {
                    "code": i["code"],
                    "text_zh": i["text_zh"],
                    "text_en": _blank(i.get("text_en")),
                    "guidance_zh": _blank(i.get("guidance_zh")),
                    "guidance_en": _blank(i.get("guidance_en")),
                    "type": i["type"],
                    "required": i.get("required", True),
                    "requires_photo": i.get("requires_photo", False),
                    "pass_answer": i.get("pass_answer") or None,
                    "unit": i.get("unit") or None,
                    "min": _num(i.get("min")),
                    "max": _num(i.get("max")),
                    "fail_if": i.get("fail_if") or None,
                    "choices": i.get("choices") or None,
                    "show_if": i.get("show_if") or None,
                    "hazard": hazard,
                    "weight": _num(i.get("weight", 1)),
                    "clause": i.get("clause") or None,
                }
            )
        sections.append(
            {"code": s["code"], "title_zh": s["title_zh"], "title_en": _blank(s.get("title_en")), "items": items}
        )
    return sections


def shipped_files() -> list[Path]:
    return sorted(SHIPPED_DIR.glob("*.json"))


def load_shipped(*, actor=None) -> list[tuple[Path, TemplateVersion | None, bool, str]]:
    """Import every shipped template file; returns ``(path, version, created, problem)`` rows.
    A file that fails validation is reported and skipped; the others still load."""
    report = []
    for path in shipped_files():
        try:
            version, created = import_template(parse(path.read_bytes()), actor=actor)
        except ValidationError as error:
            report.append((path, None, False, "; ".join(error.messages)))
        else:
            report.append((path, version, created, ""))
    return report

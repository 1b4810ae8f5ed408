import json

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from lianqi.core.forms import StyledFormMixin

from .choices import HazardCategory, HazardGrade, ItemType, TemplateKind
from .models import ChecklistSection
from .transfer import CODE_RE, SLUG_RE, _check_item, _Checker


class TemplateCreateForm(StyledFormMixin, forms.Form):
    code = forms.CharField(
        label=_l("Code"), max_length=60, help_text=_l("Lower-case letters, digits, “-”; e.g. ps-fire.")
    )
    kind = forms.ChoiceField(label=_l("Kind"), choices=TemplateKind.choices)
    hazard_category = forms.ChoiceField(
        label=_l("Hazard category"), choices=[("", "—"), *HazardCategory.choices], required=False
    )
    name_zh = forms.CharField(label=_l("Name (Chinese)"), max_length=200)
    name_en = forms.CharField(label=_l("Name (English)"), max_length=300, required=False)
    description_zh = forms.CharField(
        label=_l("Description (Chinese)"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    description_en = forms.CharField(
        label=_l("Description (English)"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    def clean_code(self):
        from .models import ChecklistTemplate

        code = self.cleaned_data["code"].strip()
        if not SLUG_RE.match(code):
            raise ValidationError(_("Use lower-case letters, digits, “-” and “_”."), code="invalid")
        if ChecklistTemplate.objects.filter(code=code).exists():
            raise ValidationError(_("A template with this code exists already."), code="unique")
        return code


class TemplateImportForm(StyledFormMixin, forms.Form):
    file = forms.FileField(label=_l("Template file (JSON)"))


class SectionForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = ChecklistSection
        fields = ["code", "title_zh", "title_en"]

    def __init__(self, *args, version, **kwargs):
        super().__init__(*args, **kwargs)
        self.version = version

    def clean_code(self):
        code = self.cleaned_data["code"].strip()
        if not CODE_RE.match(code):
            raise ValidationError(_("Use letters, digits, “.”, “-” and “_”."), code="invalid")
        clash = self.version.sections.filter(code=code).exclude(pk=self.instance.pk)
        if clash.exists():
            raise ValidationError(_("Another section of this version has that code."), code="unique")
        return code


FAIL_RULES = [
    ("", _l("Never (informational)")),
    ("gt", _l("Above a number")),
    ("lt", _l("Below a number")),
    ("in", _l("One of these choice values")),
]


class ChecklistItemForm(StyledFormMixin, forms.Form):
    """One item of a draft. ``clean`` builds the item as JSON and checks it with the importer's
    rules, so an item the editor accepts is one the JSON format accepts, and vice versa."""

    section = forms.ModelChoiceField(label=_l("Section"), queryset=ChecklistSection.objects.none())
    code = forms.CharField(label=_l("Code"), max_length=30)
    text_zh = forms.CharField(label=_l("Question (Chinese)"), widget=forms.Textarea(attrs={"rows": 2}))
    text_en = forms.CharField(label=_l("Question (English)"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    guidance_zh = forms.CharField(
        label=_l("Guidance (Chinese)"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    guidance_en = forms.CharField(
        label=_l("Guidance (English)"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    type = forms.ChoiceField(label=_l("Answer type"), choices=ItemType.choices)
    required = forms.BooleanField(
        label=_l("Required"), required=False, initial=True, help_text=_l("An answer is needed to submit.")
    )
    requires_photo = forms.BooleanField(
        label=_l("Requires a photo"), required=False, help_text=_l("A photo is needed to submit.")
    )
    pass_answer = forms.ChoiceField(
        label=_l("Passing answer"),
        choices=[("", _l("None (informational)")), ("yes", _l("Yes")), ("no", _l("No"))],
        required=False,
    )
    unit = forms.CharField(label=_l("Unit"), max_length=20, required=False)
    min_value = forms.FloatField(label=_l("Lowest accepted value"), required=False)
    max_value = forms.FloatField(label=_l("Highest accepted value"), required=False)
    fail_rule = forms.ChoiceField(label=_l("Fails when the answer is"), choices=FAIL_RULES, required=False)
    fail_value = forms.CharField(
        label=_l("Failing number or values"),
        required=False,
        help_text=_l("A number, or choice values separated by commas."),
    )
    choices_text = forms.CharField(
        label=_l("Choices"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "placeholder": "yes|是|Yes"}),
        help_text=_l("One per line: value|中文|English."),
    )
    show_if_item = forms.ChoiceField(label=_l("Show only when item"), required=False)
    show_if_equals = forms.CharField(label=_l("…has the answer"), required=False)
    hazard_category = forms.ChoiceField(
        label=_l("A failing answer proposes a hazard of category"),
        choices=[("", _l("No hazard")), *HazardCategory.choices],
        required=False,
    )
    hazard_grade = forms.ChoiceField(
        label=_l("Hazard grade"), choices=[("", "—"), *HazardGrade.choices], required=False
    )
    weight = forms.FloatField(label=_l("Weight in the score"), initial=1, min_value=0, max_value=1000)
    clause = forms.CharField(label=_l("Standard clause"), max_length=300, required=False)

    def __init__(self, *args, version, item=None, **kwargs):
        if item is not None and "initial" not in kwargs:
            kwargs["initial"] = self.initial_for(item)
        super().__init__(*args, **kwargs)
        self.version, self.item = version, item
        self.fields["section"].queryset = version.sections.order_by("position")
        earlier = [i for i in version.ordered_items() if item is None or i.pk != item.pk]
        if item is not None:
            earlier = earlier[
                : next((n for n, i in enumerate(version.ordered_items()) if i.pk == item.pk), len(earlier))
            ]
        self.fields["show_if_item"].choices = [("", _("Always shown"))] + [
            (i.code, f"{i.code} {i.text[:40]}") for i in earlier
        ]

    @staticmethod
    def initial_for(item):
        rule = item.fail_if or {}
        key = next(iter(rule), "")
        value = rule.get(key)
        return {
            "section": item.section_id,
            "code": item.code,
            "text_zh": item.text_zh,
            "text_en": item.text_en,
            "guidance_zh": item.guidance_zh,
            "guidance_en": item.guidance_en,
            "type": item.type,
            "required": item.required,
            "requires_photo": item.requires_photo,
            "pass_answer": item.pass_answer,
            "unit": item.unit,
            "min_value": item.min_value,
            "max_value": item.max_value,
            "fail_rule": key,
            "fail_value": ", ".join(map(str, value))
            if isinstance(value, list)
            else ("" if value is None else f"{value:g}"),
            "choices_text": "\n".join(
                f"{c['value']}|{c.get('label_zh', '')}|{c.get('label_en', '')}" for c in item.choices or []
            ),
            "show_if_item": (item.show_if or {}).get("item", ""),
            "show_if_equals": (item.show_if or {}).get("equals", ""),
            "hazard_category": item.hazard_category,
            "hazard_grade": item.hazard_grade,
            "weight": item.weight,
            "clause": item.clause,
        }

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        choices = []
        for line in (data.get("choices_text") or "").splitlines():
            if not line.strip():
                continue
            parts = [p.strip() for p in line.split("|")]
            choice = {"value": parts[0], "label_zh": parts[1] if len(parts) > 1 else parts[0]}
            choice["label_en"] = parts[2] if len(parts) > 2 else ""
            choices.append(choice)
        fail_if = None
        rule, raw = data.get("fail_rule"), (data.get("fail_value") or "").strip()
        if rule in ("gt", "lt"):
            try:
                fail_if = {rule: float(raw)}
            except ValueError:
                self.add_error("fail_value", _("Give the failing number."))
                return data
        elif rule == "in":
            fail_if = {"in": [v.strip() for v in raw.split(",") if v.strip()]}
        show_if = (
            {"item": data["show_if_item"], "equals": data["show_if_equals"].strip()}
            if data.get("show_if_item")
            else None
        )
        hazard = None
        if data.get("hazard_category") or data.get("hazard_grade"):
            if not (data.get("hazard_category") and data.get("hazard_grade")):
                self.add_error("hazard_grade", _("Give both the hazard category and its grade, or neither."))
                return data
            hazard = {"category": data["hazard_category"], "grade": data["hazard_grade"]}
        document = {
            "code": data["code"].strip(),
            "text_zh": data["text_zh"],
            "text_en": data.get("text_en", ""),
            "guidance_zh": data.get("guidance_zh", ""),
            "guidance_en": data.get("guidance_en", ""),
            "type": data["type"],
            "required": data.get("required", False),
            "requires_photo": data.get("requires_photo", False),
            "pass_answer": data.get("pass_answer") or None,
            "unit": data.get("unit") or None,
            "min": data.get("min_value"),
            "max": data.get("max_value"),
            "fail_if": fail_if,
            "choices": choices if data["type"] in (ItemType.CHOICE, ItemType.MULTI_CHOICE) else None,
            "show_if": show_if,
            "hazard": hazard,
            "weight": data.get("weight", 1),
            "clause": data.get("clause") or None,
        }
        # Earlier items of the draft, as the importer sees them.
        items = [i for i in self.version.ordered_items() if self.item is None or i.pk != self.item.pk]
        types = {i.code: i.type for i in items}
        values = {i.code: [c["value"] for c in i.choices or []] for i in items}
        check = _Checker()
        _check_item(check, document, _("item"), types, values)
        if check.problems:
            raise ValidationError(check.problems)
        self.document = document
        return data

    def model_values(self) -> dict:
        d = self.document
        return {
            "section": self.cleaned_data["section"],
            "code": d["code"],
            "text_zh": d["text_zh"],
            "text_en": d["text_en"] or "",
            "guidance_zh": d["guidance_zh"] or "",
            "guidance_en": d["guidance_en"] or "",
            "type": d["type"],
            "required": d["required"],
            "requires_photo": d["requires_photo"],
            "pass_answer": d["pass_answer"] or "",
            "unit": d["unit"] or "",
            "min_value": d["min"],
            "max_value": d["max"],
            "fail_if": d["fail_if"],
            "choices": d["choices"] or [],
            "show_if": d["show_if"],
            "hazard_category": (d["hazard"] or {}).get("category", ""),
            "hazard_grade": (d["hazard"] or {}).get("grade", ""),
            "weight": d["weight"],
            "clause": d["clause"] or "",
        }


def pretty_json(data) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2)

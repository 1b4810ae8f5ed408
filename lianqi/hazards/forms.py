from django import forms
from django.utils.translation import gettext_lazy as _

from lianqi.core.forms import StyledFormMixin
from lianqi.enterprises.models import Enterprise
from lianqi.jurisdictions.models import Jurisdiction

from .choices import HazardCategory, HazardGrade, ListingLevel
from .models import RectificationPlan


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


class HazardReportForm(StyledFormMixin, forms.Form):
    enterprise = forms.ModelChoiceField(label=_("Enterprise"), queryset=Enterprise.objects.none())
    category = forms.ChoiceField(label=_("Category"), choices=HazardCategory.choices)
    grade = forms.ChoiceField(label=_("Grade"), choices=HazardGrade.choices, initial=HazardGrade.GENERAL)
    location = forms.CharField(label=_("Location"), max_length=200, required=False)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 4}))
    standard_clause = forms.CharField(label=_("Standard clause"), max_length=200, required=False)
    photos = MultipleFileField(
        label=_("Photos"), widget=MultipleFileInput(attrs={"accept": "image/*", "capture": "environment"})
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enterprise"].queryset = Enterprise.objects.visible_to(user).active().order_by("name")


class PublicReportForm(StyledFormMixin, forms.Form):
    jurisdiction = forms.ModelChoiceField(
        label=_("Where (street / township)"), queryset=Jurisdiction.objects.filter(level__in=[2, 3]).order_by("path")
    )
    location = forms.CharField(label=_("Exact place or enterprise name"), max_length=200)
    category = forms.ChoiceField(label=_("What kind of danger"), choices=HazardCategory.choices)
    description = forms.CharField(
        label=_("What did you see?"), widget=forms.Textarea(attrs={"rows": 4}), max_length=2000
    )
    reporter_name = forms.CharField(label=_("Your name (optional)"), max_length=50, required=False)
    reporter_phone = forms.RegexField(
        label=_("Your phone (optional, for questions)"),
        regex=r"^1[3-9]\d{9}$",
        required=False,
        error_messages={"invalid": _("Enter an 11-digit mobile number.")},
    )
    photos = MultipleFileField(label=_("Photos (optional)"), widget=MultipleFileInput(attrs={"accept": "image/*"}))
    website = forms.CharField(required=False, widget=forms.HiddenInput)  # honeypot: people leave it empty


class TransitionForm(StyledFormMixin, forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    note = forms.CharField(label=_("Note / opinion"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    deadline = forms.DateField(label=_("Deadline"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    responsible_person = forms.CharField(label=_("Responsible person"), max_length=50, required=False)
    measures = forms.CharField(
        label=_("Rectification measures"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    stop_production = forms.BooleanField(label=_("Stop production during rectification"), required=False)
    photos = MultipleFileField(
        label=_("Photos / evidence"),
        widget=MultipleFileInput(attrs={"accept": "image/*,.pdf", "capture": "environment"}),
    )

    FIELDS_BY_ACTION = {
        "issue_order": ["note", "deadline", "responsible_person", "measures", "stop_production"],
        "dismiss": ["note"],
        "submit_rectification": ["note", "photos"],
        "resume": ["note"],
        "accept": ["note", "photos"],
        "return": ["note"],
    }

    def __init__(self, *args, action: str, **kwargs):
        super().__init__(*args, **kwargs)
        keep = {"version", *self.FIELDS_BY_ACTION.get(action, ["note"])}
        for name in list(self.fields):
            if name not in keep:
                del self.fields[name]

    def workflow_data(self) -> dict:
        data = {k: v for k, v in self.cleaned_data.items() if k != "version" and v not in (None, "", [])}
        if "stop_production" in self.fields:
            data["stop_production"] = self.cleaned_data.get("stop_production", False)
        return data


class PlanForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = RectificationPlan
        fields = list(RectificationPlan.PARTS)
        widgets = {part: forms.Textarea(attrs={"rows": 2}) for part in RectificationPlan.PARTS}


class ExtensionRequestForm(StyledFormMixin, forms.Form):
    new_deadline = forms.DateField(label=_("New deadline"), widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class ExtensionDecisionForm(StyledFormMixin, forms.Form):
    approve = forms.TypedChoiceField(
        label=_("Decision"), choices=[("1", _("Approve")), ("0", _("Refuse"))], coerce=lambda v: v == "1"
    )
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ListingForm(StyledFormMixin, forms.Form):
    level = forms.ChoiceField(label=_("Level"), choices=ListingLevel.choices)
    body = forms.CharField(label=_("Issued by"), max_length=100)
    notice = forms.CharField(label=_("Notice number"), max_length=100)

from django import forms
from django.utils.translation import gettext_lazy as _

from lianqi.core.forms import StyledFormMixin
from lianqi.departments.models import Department
from lianqi.enterprises.models import Enterprise
from lianqi.hazards.forms import MultipleFileField, MultipleFileInput

from .choices import AppealType, Urgency
from .models import RoutingRule


class AppealForm(StyledFormMixin, forms.Form):
    enterprise = forms.ModelChoiceField(label=_("Enterprise"), queryset=Enterprise.objects.none())
    appeal_type = forms.ChoiceField(label=_("Type of difficulty"), choices=AppealType.choices)
    urgency = forms.ChoiceField(label=_("Urgency"), choices=Urgency.choices, initial=Urgency.NORMAL)
    title = forms.CharField(label=_("In one line"), max_length=200)
    description = forms.CharField(
        label=_("What is the difficulty, and what help is needed?"), widget=forms.Textarea(attrs={"rows": 5})
    )
    attachments = MultipleFileField(
        label=_("Attachments (PDF, Word, Excel, images; 10 MB each)"), widget=MultipleFileInput()
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        access = user.access
        if access.enterprise_ids() and not access.is_official:
            self.fields["enterprise"].queryset = Enterprise.objects.filter(pk__in=access.enterprise_ids())
            self.fields["enterprise"].initial = access.enterprise_ids()[0]
        else:
            self.fields["enterprise"].queryset = Enterprise.objects.visible_to(user).active().order_by("name")


class StepForm(StyledFormMixin, forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    lead_department = forms.ModelChoiceField(
        label=_("Lead department"), queryset=Department.objects.none(), required=False
    )
    supporting_departments = forms.ModelMultipleChoiceField(
        label=_("Supporting departments"),
        queryset=Department.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 5}),
    )
    is_complex = forms.BooleanField(label=_("Complex matter (15 working days)"), required=False)
    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    FIELDS = {
        "route": ["lead_department", "supporting_departments", "is_complex", "note"],
        "object": ["note"],
        "accept": ["note"],
        "reply": ["note"],
        "follow_up": ["note"],
        "close": ["note"],
    }
    LABELS = {
        "reply": _("Reply to the enterprise"),
        "object": _("Why this department should not lead"),
        "follow_up": _("What the enterprise said on the phone"),
    }

    def __init__(self, *args, action, user, **kwargs):
        super().__init__(*args, **kwargs)
        keep = {"version", *self.FIELDS.get(action, ["note"])}
        for name in list(self.fields):
            if name not in keep:
                del self.fields[name]
        if "note" in self.fields and action in self.LABELS:
            self.fields["note"].label = self.LABELS[action]
        departments = Department.objects.visible_to(user).filter(is_active=True).select_related("jurisdiction")
        for name in ("lead_department", "supporting_departments"):
            if name in self.fields:
                self.fields[name].queryset = departments

    def workflow_data(self):
        data = {k: v for k, v in self.cleaned_data.items() if k != "version" and v not in (None, "", [])}
        if "supporting_departments" in self.cleaned_data:
            data["supporting_departments"] = list(self.cleaned_data["supporting_departments"])
        return data


class RatingForm(StyledFormMixin, forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    rating = forms.TypedChoiceField(
        label=_("How satisfied are you?"),
        coerce=int,
        choices=[(5, "5 ★★★★★"), (4, "4 ★★★★"), (3, "3 ★★★"), (2, "2 ★★"), (1, "1 ★")],
        widget=forms.RadioSelect,
    )
    solved = forms.TypedChoiceField(
        label=_("Was the difficulty solved?"),
        coerce=lambda v: v == "yes",
        choices=[("yes", _("Yes")), ("no", _("No"))],
        widget=forms.RadioSelect,
        initial="yes",
    )
    note = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class ExtensionForm(StyledFormMixin, forms.Form):
    until = forms.DateField(label=_("New due date"), widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class RoutingRuleForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = RoutingRule
        fields = [
            "appeal_type",
            "jurisdiction",
            "industry_prefix",
            "lead_department",
            "supporting_departments",
            "priority",
            "is_active",
        ]
        widgets = {"supporting_departments": forms.SelectMultiple(attrs={"size": 5})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        from lianqi.jurisdictions.models import Jurisdiction

        self.fields["jurisdiction"].queryset = Jurisdiction.objects.visible_to(user).filter(level__lte=3)
        departments = Department.objects.visible_to(user).filter(is_active=True)
        self.fields["lead_department"].queryset = departments
        self.fields["supporting_departments"].queryset = departments

    def clean_industry_prefix(self):
        from lianqi.industries.models import Industry

        value = (self.cleaned_data.get("industry_prefix") or "").strip().upper()
        if value and not Industry.objects.filter(code__startswith=value).exists():
            raise forms.ValidationError(
                _("No industry code starts with “%(code)s”."), code="unknown_industry", params={"code": value}
            )
        return value

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from lianqi.core.forms import StyledFormMixin
from lianqi.departments.models import Department
from lianqi.enterprises.choices import RiskTier
from lianqi.jurisdictions.models import Jurisdiction

from .choices import CheckResult
from .models import CheckItem, SpotCheckPlan


class PlanForm(StyledFormMixin, forms.ModelForm):
    risk_tiers = forms.MultipleChoiceField(
        label=_l("Risk tiers"), choices=RiskTier.choices, required=False, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = SpotCheckPlan
        fields = [
            "name",
            "batch",
            "jurisdiction",
            "department",
            "items",
            "mode",
            "industry_prefix",
            "key_only",
            "hazardous_chemicals_only",
            "risk_tiers",
            "ratio",
            "count",
            "inspectors_per_target",
            "stratify",
            "period_start",
            "period_end",
        ]
        widgets = {
            "period_start": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "period_end": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "items": forms.SelectMultiple(attrs={"size": 5}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        from lianqi.accounts.choices import Role

        paths = user.access.jurisdiction_paths(roles=[Role.OFFICE])
        nodes = Jurisdiction.objects.all()
        if not user.access.is_admin:
            from lianqi.core.scoping import under_paths

            condition = under_paths("", paths)
            nodes = nodes.filter(condition) if condition is not None else nodes.none()
        self.fields["jurisdiction"].queryset = nodes.filter(level__lte=3)
        self.fields["department"].queryset = Department.objects.visible_to(user).filter(is_active=True)
        self.fields["items"].queryset = CheckItem.objects.visible_to(user).filter(is_active=True)
        self.fields["inspectors_per_target"].min_value = 2
        self.fields["inspectors_per_target"].widget.attrs["min"] = 2

    def clean(self):
        data = super().clean()
        ratio, count = data.get("ratio"), data.get("count")
        if (ratio is None) == (count is None):
            raise ValidationError(_("Give either a ratio or a number of enterprises, not both."))
        if ratio is not None and not (0 < ratio <= 100):
            self.add_error("ratio", _("The ratio is a percentage above 0 and at most 100."))
        if count is not None and count < 1:
            self.add_error("count", _("Draw at least one enterprise."))
        if (data.get("inspectors_per_target") or 0) < 2:
            self.add_error("inspectors_per_target", _("At least two inspectors check each enterprise."))
        if data.get("period_start") and data.get("period_end") and data["period_end"] < data["period_start"]:
            self.add_error("period_end", _("The period ends before it starts."))
        return data


class DrawForm(StyledFormMixin, forms.Form):
    seed = forms.CharField(
        label=_l("Seed (optional)"),
        max_length=64,
        required=False,
        help_text=_l("Leave empty for a fresh random seed; it is recorded with the draw."),
    )


class ResultForm(StyledFormMixin, forms.Form):
    checked_on = forms.DateField(label=_l("Date checked"), widget=forms.DateInput(attrs={"type": "date"}))
    result = forms.ChoiceField(label=_l("Result"), choices=CheckResult.choices)
    handling = forms.CharField(label=_l("Handling"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

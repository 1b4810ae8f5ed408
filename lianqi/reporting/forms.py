from django import forms
from django.utils.translation import gettext_lazy as _

from lianqi.core.forms import StyledFormMixin

from .choices import Material, QualityResult
from .models import DailyReport, MaterialReport, TrackingRule

REPORT_FIELDS = [
    "resumed",
    "staff_total",
    "staff_on_post",
    "staff_returned",
    "staff_isolated",
    "abnormal_health",
    "capacity_pct",
    "capacity_note",
    "output_value",
    "power_load",
    "masks_days",
    "disinfectant_days",
    "thermometers_days",
    "difficulties",
]


class DailyReportForm(StyledFormMixin, forms.ModelForm):
    confirmed = forms.BooleanField(
        label=_("Confirm"),
        required=False,
        help_text=_("The figures are right although they differ a lot from yesterday's."),
    )

    class Meta:
        model = DailyReport
        fields = REPORT_FIELDS
        widgets = {
            "difficulties": forms.Textarea(attrs={"rows": 2}),
            "resumed": forms.CheckboxInput(),
        }
        help_texts = {
            "difficulties": _("Anything the government should help with; it becomes an appeal."),
            "resumed": _("Production or operation has resumed."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("capacity_pct", "staff_total", "staff_on_post"):
            self.fields[name].widget.attrs["inputmode"] = "decimal" if name == "capacity_pct" else "numeric"
        for name in ("staff_returned", "staff_isolated", "abnormal_health"):
            self.fields[name].required = False
        # The database checks are repeated with friendlier messages by the service.
        self.fields["capacity_pct"].validators = []

    def validate_constraints(self, exclude=None):
        pass  # the service checks (and explains) the same rules

    def _post_clean(self):
        pass  # the service writes the model, the form only parses input

    def figures(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("confirmed", None)
        for name in ("capacity_note", "difficulties"):
            data[name] = data.get(name) or ""
        for name in ("staff_returned", "staff_isolated", "abnormal_health"):
            data[name] = data.get(name) or 0
        return data


class MaterialReportForm(StyledFormMixin, forms.ModelForm):
    material = forms.ChoiceField(label=_("material"), choices=Material.choices)
    quality = forms.ChoiceField(label=_("quality test"), choices=QualityResult.choices, required=False)

    class Meta:
        model = MaterialReport
        fields = ["material", "capacity", "output", "stock", "shortfall", "quality", "quality_note"]
        widgets = {"shortfall": forms.Textarea(attrs={"rows": 2})}

    def _post_clean(self):
        pass


class TrackingRuleForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = TrackingRule
        fields = [
            "name",
            "jurisdiction",
            "start",
            "end",
            "scale",
            "key_only",
            "material_producers",
            "include_suspended",
            "is_active",
        ]
        widgets = {"start": forms.DateInput(attrs={"type": "date"}), "end": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        from lianqi.accounts.choices import Role
        from lianqi.core.scoping import under_paths
        from lianqi.jurisdictions.models import Jurisdiction

        condition = under_paths("", user.access.jurisdiction_paths(roles=[Role.OFFICE])) if user else None
        queryset = (
            Jurisdiction.objects.all()
            if user and user.access.is_admin
            else (Jurisdiction.objects.filter(condition) if condition is not None else Jurisdiction.objects.none())
        )
        self.fields["jurisdiction"].queryset = queryset.filter(level__lte=3)

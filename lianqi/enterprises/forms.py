import os

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from lianqi.core.forms import StyledFormMixin
from lianqi.core.uploads import clean_spreadsheet
from lianqi.departments.models import Department
from lianqi.industries.models import Industry
from lianqi.jurisdictions.models import Jurisdiction

from . import credit_code
from .choices import AssignmentRole
from .importing import SUPPORTED
from .models import Assignment, Enterprise
from .services import assignable_officials, editable_jurisdictions


class CreditCodeField(forms.CharField):
    """Normalises what can be (full-width, lower case, spaces, hyphens) and names what cannot."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 64)  # before normalisation people paste spaces and hyphens
        super().__init__(**kwargs)

    def clean(self, value):
        value = super().clean(value)
        return credit_code.validate(value) if value else value


class EnterpriseForm(StyledFormMixin, forms.ModelForm):
    credit_code = CreditCodeField(
        label=_("Unified social credit code"),
        help_text=_("18 characters; pasted full-width characters, spaces and lower case are corrected."),
    )
    industry = forms.ModelChoiceField(label=_("Industry"), queryset=Industry.objects.all())

    class Meta:
        model = Enterprise
        fields = [
            "credit_code",
            "name",
            "address",
            "jurisdiction",
            "operating_jurisdiction",
            "industry",
            "sector_department",
            "scale",
            "risk_tier",
            "status",
            "legal_representative",
            "legal_representative_phone",
            "safety_manager",
            "safety_manager_phone",
            "contact_name",
            "contact_phone",
            "headcount",
            "is_key",
            "hazardous_chemicals",
            "key_fire_unit",
            "high_risk_work",
            "material_producer",
            "latitude",
            "longitude",
        ]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["jurisdiction"].queryset = editable_jurisdictions(user)
        self.fields["operating_jurisdiction"].queryset = Jurisdiction.objects.visible_to(user)
        self.fields["sector_department"].queryset = Department.objects.visible_to(user).filter(is_active=True)
        self.fields["sector_department"].help_text = _("Leave empty to take the sector authority of the industry.")


class ImportUploadForm(StyledFormMixin, forms.Form):
    file = forms.FileField(
        label=_("File"),
        help_text=_(".xlsx, or .csv in UTF-8 or GBK; the first row holds the column headers (Chinese or English)."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        extension = os.path.splitext(upload.name.lower())[1]
        if extension not in SUPPORTED:
            raise ValidationError(
                _("Upload an .xlsx or .csv file (this one is “%(name)s”)."),
                code="file_type",
                params={"name": upload.name},
            )
        # Size (MAX_IMPORT_MB) and content: a renamed file or a zip bomb is refused here.
        return clean_spreadsheet(upload, extensions=SUPPORTED)


class AssignmentForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = Assignment
        fields = ["official", "role", "start", "end", "note"]
        widgets = {"start": forms.DateInput(attrs={"type": "date"}), "end": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args, user, enterprise, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.enterprise = enterprise
        self.fields["official"].queryset = assignable_officials(user)

    def _post_clean(self):
        super()._post_clean()
        # The form leaves out ``enterprise``, so Django skips the constraints naming it; check them here.
        try:
            self.instance.validate_constraints()
        except ValidationError as error:
            self._update_errors(error)


class BulkAssignForm(StyledFormMixin, forms.Form):
    within = forms.ModelChoiceField(label=_("Enterprises within"), queryset=Jurisdiction.objects.none())
    key_only = forms.BooleanField(label=_("Key enterprises only"), required=False, initial=True)
    role = forms.ChoiceField(label=_("Role"), choices=AssignmentRole.choices)
    officials = forms.ModelMultipleChoiceField(
        label=_("Officials"), queryset=Jurisdiction.objects.none(), widget=forms.SelectMultiple(attrs={"size": 8})
    )
    per_official = forms.IntegerField(
        label=_("At most per official"),
        required=False,
        min_value=1,
        max_value=10000,
        help_text=_("Leave empty to share all enterprises evenly."),
    )
    start = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["within"].queryset = editable_jurisdictions(user).filter(level__lte=4)
        self.fields["officials"].queryset = assignable_officials(user)

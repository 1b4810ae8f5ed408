from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from lianqi.core.forms import StyledFormMixin

from .choices import Direction, FollowUpAction, HealthCode, VerificationResult


class SelfRegistrationForm(StyledFormMixin, forms.Form):
    """What a visitor fills in after scanning the checkpoint's QR code. Checked by
    ``validation.clean_entry`` in the service; the form only renders the fields."""

    name = forms.CharField(label=pgettext_lazy("person", "Name"), max_length=50)
    id_number = forms.CharField(
        label=_("ID number"),
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}),
    )
    phone = forms.CharField(
        label=_("Mobile phone"),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    health_code = forms.ChoiceField(label=_("Health-code colour"), choices=HealthCode.choices, widget=forms.RadioSelect)
    direction = forms.ChoiceField(
        label=_("Direction"), choices=Direction.choices, initial=Direction.IN, widget=forms.RadioSelect
    )
    origin = forms.CharField(label=_("Coming from"), max_length=100, required=False)
    website = forms.CharField(required=False, widget=forms.HiddenInput)  # honeypot


class ConfirmForm(StyledFormMixin, forms.Form):
    temperature = forms.CharField(
        label=_("Temperature (°C)"), max_length=5, widget=forms.TextInput(attrs={"inputmode": "decimal"})
    )


class FollowUpForm(StyledFormMixin, forms.Form):
    action = forms.ChoiceField(label=_("What was done"), choices=FollowUpAction.choices)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)


class VerifyForm(StyledFormMixin, forms.Form):
    result = forms.ChoiceField(label=_("Result"), choices=VerificationResult.choices)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)


class KeyPersonUploadForm(StyledFormMixin, forms.Form):
    name = forms.CharField(label=_("List name"), max_length=200)
    jurisdiction = forms.ModelChoiceField(label=_("Applies within"), queryset=None)
    source_note = forms.CharField(label=_("Pushed by"), max_length=200, required=False)
    file = forms.FileField(
        label=_("Excel file (.xlsx)"),
        help_text=_("A column 身份证号 (ID number) is required; 姓名 (name) and 类别 (category) are optional."),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        from lianqi.accounts.choices import Role
        from lianqi.core.scoping import under_paths
        from lianqi.jurisdictions.models import Jurisdiction

        paths = user.access.jurisdiction_paths(roles=[Role.OFFICE])
        condition = under_paths("", paths)
        nodes = Jurisdiction.objects.all() if user.access.is_admin else Jurisdiction.objects.none()
        if condition is not None and not user.access.is_admin:
            nodes = Jurisdiction.objects.filter(condition)
        self.fields["jurisdiction"].queryset = nodes.filter(level__lte=3)

from django import forms
from django.utils.translation import gettext_lazy as _

from lianqi.accounts.models import User

from .services import history_models


def _model_choices():
    return [("", _("All records"))] + [(m._meta.label_lower, m._meta.verbose_name) for m in history_models()]


class AuditSearchForm(forms.Form):
    user = forms.ModelChoiceField(label=_("Changed by"), queryset=User.objects.order_by("username"), required=False)
    model = forms.ChoiceField(label=_("Record type"), required=False, choices=_model_choices)
    since = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self):
        cleaned = super().clean()
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and until < since:
            self.add_error("until", _("The end date is before the start date."))
        return cleaned

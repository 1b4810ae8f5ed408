from django import forms
from django.utils.translation import gettext_lazy as _

from lianqi.core.forms import StyledFormMixin
from lianqi.departments.models import Department
from lianqi.hazards.forms import MultipleFileField, MultipleFileInput
from lianqi.jurisdictions.models import Jurisdiction

from .choices import TaskSource


class DeployForm(StyledFormMixin, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("What is to be done"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    source = forms.ChoiceField(label=_("Source"), choices=TaskSource.choices)
    source_note = forms.CharField(label=_("Source details"), max_length=300, required=False)
    deadline = forms.DateField(label=_("Deadline"), widget=forms.DateInput(attrs={"type": "date"}))
    jurisdiction = forms.ModelChoiceField(label=_("Deploying jurisdiction"), queryset=Jurisdiction.objects.none())
    departments = forms.ModelMultipleChoiceField(
        label=_("Departments"),
        queryset=Department.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    jurisdictions = forms.ModelMultipleChoiceField(
        label=_("Jurisdictions"),
        queryset=Jurisdiction.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        nodes = Jurisdiction.objects.visible_to(user).filter(level__lte=3)
        self.fields["jurisdiction"].queryset = nodes
        self.fields["jurisdictions"].queryset = nodes
        self.fields["departments"].queryset = Department.objects.visible_to(user).filter(is_active=True)
        first = nodes.order_by("path").first()
        if first is not None:
            self.fields["jurisdiction"].initial = first.pk


class StepForm(StyledFormMixin, forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    progress = forms.IntegerField(label=_("Progress %"), min_value=0, max_value=100, required=False)
    attachments = MultipleFileField(label=_("Evidence"), widget=MultipleFileInput())

    FIELDS = {
        "start": ["note"],
        "report_progress": ["note", "progress", "attachments"],
        "submit": ["note", "attachments"],
        "accept": ["note"],
        "return": ["note"],
    }

    def __init__(self, *args, action, **kwargs):
        super().__init__(*args, **kwargs)
        keep = {"version", *self.FIELDS.get(action, ["note"])}
        for name in list(self.fields):
            if name not in keep:
                del self.fields[name]

    def workflow_data(self):
        return {k: v for k, v in self.cleaned_data.items() if k != "version" and v not in (None, "", [])}

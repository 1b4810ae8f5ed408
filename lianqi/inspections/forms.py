from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from lianqi.accounts.choices import OFFICIAL_ROLES, Role
from lianqi.accounts.models import User
from lianqi.checklists.models import ChecklistTemplate
from lianqi.core.forms import StyledFormMixin
from lianqi.departments.models import Department
from lianqi.enterprises.models import Enterprise
from lianqi.jurisdictions.models import Jurisdiction

from .choices import InspectionKind


def _date_widget():
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class InspectionPlanForm(StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_l("Kind"), choices=InspectionKind.choices)
    title = forms.CharField(label=_l("Title"), max_length=200, required=False)
    template = forms.ModelChoiceField(
        label=_l("Checklist"),
        queryset=ChecklistTemplate.objects.none(),
        required=False,
        help_text=_l("Its latest published version is used and kept with the inspection."),
    )
    enterprise = forms.ModelChoiceField(label=_l("Enterprise"), queryset=Enterprise.objects.none(), required=False)
    place = forms.CharField(label=_l("Or a place"), max_length=200, required=False)
    jurisdiction = forms.ModelChoiceField(
        label=_l("Jurisdiction of the place"), queryset=Jurisdiction.objects.none(), required=False
    )
    planned_date = forms.DateField(label=_l("Planned date"), widget=_date_widget())
    due_date = forms.DateField(label=_l("Due date"), widget=_date_widget(), required=False)
    leaders = forms.ModelMultipleChoiceField(
        label=_l("Leaders"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 4}),
    )
    leader_names = forms.CharField(label=_l("Leaders (as named)"), max_length=300, required=False)
    inspectors = forms.ModelMultipleChoiceField(
        label=_l("Assigned to"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 4}),
        help_text=_l("They conduct the inspection on their phones."),
    )
    team_names = forms.CharField(label=_l("Other team members"), max_length=300, required=False)
    departments = forms.ModelMultipleChoiceField(
        label=_l("Accompanying departments"),
        queryset=Department.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 4}),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["template"].queryset = (
            ChecklistTemplate.objects.visible_to(user).filter(is_active=True, versions__status="published").distinct()
        )
        self.fields["enterprise"].queryset = Enterprise.objects.visible_to(user).active()
        people = User.objects.visible_to(user).filter(memberships__role__in=OFFICIAL_ROLES)
        self.fields["leaders"].queryset = people.filter(memberships__role=Role.LEADER)
        self.fields["inspectors"].queryset = people
        self.fields["departments"].queryset = Department.objects.visible_to(user).filter(is_active=True)
        self.fields["jurisdiction"].queryset = Jurisdiction.objects.visible_to(user)
        if not self.is_bound and "planned_date" not in self.initial:
            self.initial["planned_date"] = timezone.localdate()

    def clean(self):
        data = super().clean()
        if not data.get("enterprise") and not (data.get("place") or "").strip():
            raise ValidationError(_("Choose the enterprise, or name the place and its jurisdiction."))
        if not data.get("enterprise") and not data.get("jurisdiction"):
            self.add_error("jurisdiction", _("Say in which jurisdiction the place is."))
        if data.get("planned_date") and data.get("due_date") and data["due_date"] < data["planned_date"]:
            self.add_error("due_date", _("The due date is before the planned date."))
        if data.get("kind") != InspectionKind.LEADER_VISIT and not data.get("template"):
            self.add_error("template", _("Choose the checklist."))
        if data.get("kind") != InspectionKind.SELF and not data.get("inspectors") and not data.get("leaders"):
            self.add_error("inspectors", _("Assign the inspection to someone."))
        return data


class RecordForm(StyledFormMixin, forms.Form):
    sites_inspected = forms.CharField(
        label=_l("Sites inspected"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_l("One per line."),
    )
    requirements = forms.CharField(
        label=_l("Requirements issued"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_l("One requirement per line."),
    )
    accompanied_by = forms.CharField(label=_l("Accompanied by (enterprise)"), max_length=300, required=False)
    summary = forms.CharField(label=_l("Summary"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class SignOffForm(StyledFormMixin, forms.Form):
    representative = forms.CharField(label=_l("Acknowledged for the enterprise by"), max_length=100, required=False)


class CancelForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(label=_l("Reason"), max_length=300)

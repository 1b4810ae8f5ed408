from django import forms
from django.utils.translation import gettext_lazy as _

from lianqi.accounts.choices import Role
from lianqi.core.forms import StyledFormMixin
from lianqi.industries.models import Industry
from lianqi.jurisdictions.models import Jurisdiction

from .models import Department


class DepartmentForm(StyledFormMixin, forms.ModelForm):
    sectors = forms.ModelMultipleChoiceField(
        label=_("Sectors responsible for"),
        queryset=Industry.objects.exclude(level="group"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )

    class Meta:
        model = Department
        fields = ["name_zh", "name_en", "short_name", "kind", "jurisdiction", "sectors", "is_active"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        # Only the nodes where the user runs the command office.
        access = user.access
        nodes = Jurisdiction.objects.all()
        if not access.is_admin:
            paths = access.jurisdiction_paths(roles=[Role.OFFICE])
            nodes = nodes.filter(pk__in=[n.pk for p in paths for n in Jurisdiction.objects.filter(path__startswith=p)])
        self.fields["jurisdiction"].queryset = nodes.filter(level__lte=3)

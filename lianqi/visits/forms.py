from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext, gettext_lazy

from lianqi.accounts.choices import Role
from lianqi.accounts.models import User
from lianqi.core.forms import StyledFormMixin
from lianqi.core.scoping import under_paths
from lianqi.departments.models import Department
from lianqi.enterprises.models import Enterprise
from lianqi.jurisdictions.models import Jurisdiction

from .choices import TOPIC_LABELS, CoverageScope
from .extractor import TOPICS
from .models import CoverageRule
from .services import LeaderInput, OrganisationInput, VisitInput, import_paths

MAX_ROWS = 20


class ImportForm(StyledFormMixin, forms.Form):
    text = forms.CharField(
        label=gettext_lazy("Paste the report"),
        required=False,
        strip=False,
        widget=forms.Textarea(
            attrs={"rows": 12, "placeholder": gettext_lazy("Title on the first line, then the text")}
        ),
    )
    files = forms.FileField(
        label=gettext_lazy("Or upload files"),
        required=False,
        widget=forms.ClearableFileInput(
            attrs={"allow_multiple_selected": True, "accept": ".txt,.html,.htm,.docx,.zip"}
        ),
        help_text=gettext_lazy(".txt (UTF-8 or GBK), .html or .docx — one or many, or a zip of many."),
    )


def _lines(value: str) -> list[str]:
    return [line.strip() for line in (value or "").splitlines() if line.strip()]


class VisitReviewForm(StyledFormMixin, forms.Form):
    """The reviewed draft. Repeating rows (leaders, organisations) are numbered fields, so the
    page stays a plain form that works without JavaScript."""

    title = forms.CharField(label=gettext_lazy("Title"), max_length=200, required=False)
    date = forms.DateField(
        label=gettext_lazy("Date of the visit"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    jurisdiction = forms.ModelChoiceField(label=gettext_lazy("Jurisdiction"), queryset=Jurisdiction.objects.none())
    departments = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Accompanying departments"),
        queryset=Department.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 5}),
    )
    accompanying = forms.CharField(
        label=gettext_lazy("Other accompanying officials"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("One per line."),
    )
    places = forms.CharField(
        label=gettext_lazy("Places"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("One per line."),
    )
    topics = forms.MultipleChoiceField(
        label=gettext_lazy("Topics"),
        required=False,
        choices=[(t, TOPIC_LABELS[t]) for t in TOPICS],
        widget=forms.CheckboxSelectMultiple,
    )
    requirements = forms.CharField(
        label=gettext_lazy("Requirements issued"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=gettext_lazy("One short item per line; each can become a task after saving."),
    )
    difficulties = forms.CharField(
        label=gettext_lazy("Difficulties raised by enterprises"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("One per line."),
    )

    def __init__(self, *args, user, leader_rows=1, org_rows=1, org_candidates=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.leader_rows = min(max(leader_rows, 1), MAX_ROWS)
        self.org_rows = min(max(org_rows, 1), MAX_ROWS)
        paths = import_paths(user)
        nodes = Jurisdiction.objects.visible_to(user)
        if not user.access.is_admin:
            nodes = nodes.filter(under_paths("", paths)) if paths else nodes.none()
        self.fields["jurisdiction"].queryset = nodes.order_by("path")
        self.fields["departments"].queryset = Department.objects.visible_to(user).filter(is_active=True)
        leaders = User.objects.visible_to(user).filter(memberships__role=Role.LEADER, is_active=True).distinct()
        enterprises = Enterprise.objects.visible_to(user).active()
        for i in range(self.leader_rows):
            self.fields[f"leader_{i}_name"] = forms.CharField(
                label=gettext_lazy("Name"), max_length=100, required=False
            )
            self.fields[f"leader_{i}_title"] = forms.CharField(
                label=gettext_lazy("Title"), max_length=200, required=False
            )
            self.fields[f"leader_{i}_user"] = forms.ModelChoiceField(
                label=gettext_lazy("Account"),
                queryset=leaders,
                required=False,
                empty_label=gettext_lazy("— no account —"),
            )
        org_candidates = org_candidates or {}
        for i in range(self.org_rows):
            self.fields[f"org_{i}_name"] = forms.CharField(
                label=gettext_lazy("Name as written"), max_length=200, required=False
            )
            field = forms.ModelChoiceField(
                label=gettext_lazy("Registry enterprise"),
                queryset=enterprises,
                required=False,
                empty_label=gettext_lazy("— keep as text —"),
            )
            field.candidate_labels = org_candidates.get(i, {})
            self.fields[f"org_{i}_enterprise"] = field
            self.fields[f"org_{i}_score"] = forms.FloatField(required=False, widget=forms.HiddenInput)
        from lianqi.core.forms import style_widgets

        style_widgets(self)

    # Row groups for the template.
    def leader_fields(self):
        return [
            (self[f"leader_{i}_name"], self[f"leader_{i}_title"], self[f"leader_{i}_user"])
            for i in range(self.leader_rows)
        ]

    def org_fields(self):
        return [
            (self[f"org_{i}_name"], self[f"org_{i}_enterprise"], self[f"org_{i}_score"]) for i in range(self.org_rows)
        ]

    def clean(self):
        data = super().clean()
        if not any(
            (data.get(f"leader_{i}_name") or "").strip() or data.get(f"leader_{i}_user")
            for i in range(self.leader_rows)
        ):
            raise ValidationError(gettext("Name at least one leader."))
        return data

    def visit_input(self, draft: dict | None = None) -> VisitInput:
        d = self.cleaned_data
        record = (draft or {}).get("record") or {}
        return VisitInput(
            title=d.get("title") or "",
            date=d.get("date"),
            jurisdiction=d.get("jurisdiction"),
            leaders=[
                LeaderInput(
                    name=d.get(f"leader_{i}_name") or "",
                    title=d.get(f"leader_{i}_title") or "",
                    user=d.get(f"leader_{i}_user"),
                )
                for i in range(self.leader_rows)
            ],
            departments=list(d.get("departments") or []),
            accompanying=_lines(d.get("accompanying")),
            organisations=[
                OrganisationInput(
                    name=d.get(f"org_{i}_name") or "",
                    enterprise=d.get(f"org_{i}_enterprise"),
                    score=d.get(f"org_{i}_score") if d.get(f"org_{i}_enterprise") else None,
                )
                for i in range(self.org_rows)
            ],
            places=_lines(d.get("places")),
            topics=d.get("topics") or [],
            requirements=_lines(d.get("requirements")),
            difficulties=_lines(d.get("difficulties")),
            source_name=(draft or {}).get("source_name", ""),
            source_text=(draft or {}).get("text", ""),
            language=record.get("language") or "",
            date_as_written=((record.get("date") or {}).get("as_written")) or "",
            extracted=record,
        )


def initial_from_draft(draft: dict, user) -> tuple[dict, int, int]:
    """Form initial values from the extractor's record and the proposed matches."""
    record, matches = draft["record"], draft["matches"]
    initial = {
        "title": record.get("title") or "",
        "date": (record.get("date") or {}).get("iso") or "",
        "places": "\n".join(record.get("places") or []),
        "topics": [t for t in record.get("topics") or [] if t in TOPICS],
        "requirements": "\n".join(record.get("requirements") or []),
    }
    departments = [m["department"] for m in matches["accompanying"] if m["department"]]
    initial["departments"] = departments
    initial["accompanying"] = "\n".join(m["text"] for m in matches["accompanying"] if not m["department"])
    for i, leader in enumerate(matches["leaders"]):
        initial[f"leader_{i}_name"] = leader["name"]
        initial[f"leader_{i}_title"] = leader["title"]
        initial[f"leader_{i}_user"] = leader["user"]
    for i, org in enumerate(matches["organisations"]):
        initial[f"org_{i}_name"] = org["name"]
        initial[f"org_{i}_enterprise"] = org["enterprise"]
        initial[f"org_{i}_score"] = org["score"]
    # The jurisdiction: the first matched enterprise's, else the user's own node.
    return initial, len(matches["leaders"]) + 1, len(matches["organisations"]) + 1


class CoverageRuleForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = CoverageRule
        fields = ["name", "jurisdiction", "scope", "period", "assignment_role", "min_visits", "is_active"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        from lianqi.accounts.choices import Role as R

        paths = user.access.jurisdiction_paths(roles=[R.OFFICE])
        nodes = Jurisdiction.objects.all() if user.access.is_admin else Jurisdiction.objects.none()
        for p in paths:
            nodes = nodes | Jurisdiction.objects.filter(path__startswith=p)
        self.fields["jurisdiction"].queryset = nodes.filter(level__lte=3).order_by("path")
        self.fields["scope"].choices = CoverageScope.choices

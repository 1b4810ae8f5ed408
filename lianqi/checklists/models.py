"""Checklist templates, versioned.

A template (``ChecklistTemplate``) has numbered versions (``TemplateVersion``); each version owns
its sections and items. A published version never changes: an inspection points at the version
it was done with, so it renders and scores the same years later. Editing a template opens a
draft version (a copy of the latest), which the command office changes and then publishes.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from lianqi.core.models import BilingualNameMixin, TimeStampedModel
from lianqi.core.scoping import ScopedQuerySet

from .choices import HazardCategory, HazardGrade, ItemType, TemplateKind, VersionStatus


def _english() -> bool:
    return (get_language() or "zh-hans").lower().startswith("en")


def bilingual(obj, stem: str) -> str:
    """``obj.<stem>_en`` in English, ``obj.<stem>_zh`` otherwise; the other when one is empty."""
    zh, en = getattr(obj, f"{stem}_zh", "") or "", getattr(obj, f"{stem}_en", "") or ""
    return (en or zh) if _english() else (zh or en)


class TemplateQuerySet(ScopedQuerySet):
    def scope_q(self, access):
        # Templates are shared configuration: every official and enterprise user may read them
        # (enterprises fill them in for self-inspections).
        return Q() if access.roles else None

    def change_q(self, access):
        from lianqi.accounts.choices import Role

        # Only the command office edits templates.
        return Q() if access.has_role(Role.OFFICE) else None


class ChecklistTemplate(BilingualNameMixin, TimeStampedModel):
    code = models.SlugField(_("code"), max_length=60, unique=True)
    kind = models.CharField(_("kind"), max_length=30, choices=TemplateKind.choices)
    hazard_category = models.CharField(_("hazard category"), max_length=40, choices=HazardCategory.choices, blank=True)
    name_zh = models.CharField(_("name (Chinese)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=300, blank=True)
    description_zh = models.TextField(_("description (Chinese)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    objects = TemplateQuerySet.as_manager()

    class Meta:
        verbose_name = _("checklist template")
        verbose_name_plural = _("checklist templates")
        ordering = ["kind", "code"]

    def get_absolute_url(self):
        return reverse("checklists:detail", args=[self.pk])

    @property
    def description(self) -> str:
        return bilingual(self, "description")

    def latest_published(self):
        return self.versions.filter(status=VersionStatus.PUBLISHED).order_by("-number").first()

    def draft(self):
        return self.versions.filter(status=VersionStatus.DRAFT).first()


class VersionQuerySet(ScopedQuerySet):
    def scope_q(self, access):
        return Q() if access.roles else None

    def change_q(self, access):
        from lianqi.accounts.choices import Role

        return Q(status=VersionStatus.DRAFT) if access.has_role(Role.OFFICE) else None

    def published(self):
        return self.filter(status=VersionStatus.PUBLISHED)


class TemplateVersion(models.Model):
    template = models.ForeignKey(
        ChecklistTemplate, verbose_name=_("template"), on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField(_("version"))
    status = models.CharField(_("status"), max_length=10, choices=VersionStatus.choices, default=VersionStatus.DRAFT)
    references = models.JSONField(_("references"), default=list, blank=True)
    change_note = models.CharField(_("what changed"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    objects = VersionQuerySet.as_manager()

    class Meta:
        verbose_name = _("checklist version")
        verbose_name_plural = _("checklist versions")
        ordering = ["template", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["template", "number"],
                name="checklist_version_unique_number",
                violation_error_message=_("This template already has a version with that number."),
            ),
            # At most one open draft per template: the editor always works on it.
            models.UniqueConstraint(
                fields=["template"],
                condition=Q(status="draft"),
                name="checklist_version_one_draft",
                violation_error_message=_("This template already has a draft version."),
            ),
        ]

    def __str__(self):
        return f"{self.template} · v{self.number}"

    @property
    def is_draft(self) -> bool:
        return self.status == VersionStatus.DRAFT

    def ordered_items(self):
        return [item for section in self.ordered_sections() for item in section.ordered_items]

    def ordered_sections(self):
        """Sections with ``ordered_items`` attached, in two queries (cached per instance)."""
        cached = getattr(self, "_ordered_sections", None)
        if cached is None:
            sections = list(self.sections.order_by("position", "pk"))
            items = list(self.items.order_by("position", "pk"))
            by_section = {s.pk: s for s in sections}
            for section in sections:
                section.ordered_items = []
            for item in items:
                by_section[item.section_id].ordered_items.append(item)
            cached = self._ordered_sections = sections
        return cached

    def items_by_code(self) -> dict:
        return {item.code: item for item in self.ordered_items()}


class ChecklistSection(models.Model):
    version = models.ForeignKey(
        TemplateVersion, verbose_name=_("version"), on_delete=models.CASCADE, related_name="sections"
    )
    code = models.CharField(_("code"), max_length=30)
    position = models.PositiveIntegerField(_("position"), default=0)
    title_zh = models.CharField(_("title (Chinese)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("checklist section")
        verbose_name_plural = _("checklist sections")
        ordering = ["version", "position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "code"],
                name="checklist_section_unique_code",
                violation_error_message=_("Another section of this version has that code."),
            )
        ]

    def __str__(self):
        return f"{self.code} {self.title}"

    @property
    def title(self) -> str:
        return bilingual(self, "title")


class ChecklistItem(models.Model):
    version = models.ForeignKey(
        TemplateVersion, verbose_name=_("version"), on_delete=models.CASCADE, related_name="items"
    )
    section = models.ForeignKey(
        ChecklistSection, verbose_name=_("section"), on_delete=models.CASCADE, related_name="items"
    )
    code = models.CharField(_("code"), max_length=30)
    position = models.PositiveIntegerField(_("position"), default=0)
    text_zh = models.TextField(_("question (Chinese)"))
    text_en = models.TextField(_("question (English)"), blank=True)
    guidance_zh = models.TextField(_("guidance (Chinese)"), blank=True)
    guidance_en = models.TextField(_("guidance (English)"), blank=True)
    type = models.CharField(_("answer type"), max_length=20, choices=ItemType.choices, default=ItemType.YES_NO_NA)
    required = models.BooleanField(_("required"), default=True)
    requires_photo = models.BooleanField(_("requires a photo"), default=False)
    pass_answer = models.CharField(
        _("passing answer"),
        max_length=3,
        blank=True,
        choices=[("yes", _("Yes")), ("no", _("No"))],
        help_text=_("For yes/no items: which answer passes. Empty: the item is informational."),
    )
    unit = models.CharField(_("unit"), max_length=20, blank=True)
    min_value = models.FloatField(_("lowest accepted value"), null=True, blank=True)
    max_value = models.FloatField(_("highest accepted value"), null=True, blank=True)
    fail_if = models.JSONField(
        _("fails if"), null=True, blank=True, help_text=_('{"gt": n}, {"lt": n} or {"in": [values]}')
    )
    choices = models.JSONField(_("choices"), default=list, blank=True)
    show_if = models.JSONField(_("show only if"), null=True, blank=True)
    hazard_category = models.CharField(
        _("proposed hazard category"), max_length=40, choices=HazardCategory.choices, blank=True
    )
    hazard_grade = models.CharField(_("proposed hazard grade"), max_length=10, choices=HazardGrade.choices, blank=True)
    weight = models.FloatField(_("weight"), default=1)
    clause = models.CharField(_("standard clause"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("checklist item")
        verbose_name_plural = _("checklist items")
        ordering = ["version", "position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "code"],
                name="checklist_item_unique_code",
                violation_error_message=_("Another item of this version has that code."),
            ),
            models.CheckConstraint(
                condition=Q(min_value__isnull=True)
                | Q(max_value__isnull=True)
                | Q(min_value__lte=models.F("max_value")),
                name="checklist_item_limits_ordered",
                violation_error_message=_("The lowest accepted value is above the highest."),
            ),
            models.CheckConstraint(
                condition=Q(hazard_category="", hazard_grade="") | (~Q(hazard_category="") & ~Q(hazard_grade="")),
                name="checklist_item_hazard_complete",
                violation_error_message=_("Give both the hazard category and its grade, or neither."),
            ),
        ]

    def __str__(self):
        return f"{self.code} {self.text}"

    @property
    def text(self) -> str:
        return bilingual(self, "text")

    @property
    def guidance(self) -> str:
        return bilingual(self, "guidance")

    @property
    def proposes_hazard(self) -> bool:
        return bool(self.hazard_category)

    def choice_labels(self) -> list[tuple[str, str]]:
        return [
            (c["value"], (c.get("label_en") or c.get("label_zh")) if _english() else c.get("label_zh"))
            for c in self.choices or []
        ]

    def choice_label(self, value) -> str:
        return dict(self.choice_labels()).get(value, value)

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models, transaction
from django.db.models import F, Q, Value
from django.db.models.functions import Concat, Substr
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from lianqi.core.models import BilingualNameMixin, TimeStampedModel
from lianqi.core.scoping import ScopedQuerySet, under_paths

from .choices import Level

PATH_SEPARATOR = "/"


class JurisdictionQuerySet(ScopedQuerySet):
    def subtree(self, node: "Jurisdiction"):
        """``node`` and everything below it: one indexed prefix query on ``path``."""
        return self.filter(path__startswith=node.path)

    def scope_q(self, access):
        return under_paths("", access.jurisdiction_paths())

    def change_q(self, access):
        return None  # the tree is maintained by system administrators


class Jurisdiction(BilingualNameMixin, TimeStampedModel):
    """A node of the administrative tree: city › district › street › community › grid."""

    code = models.CharField(
        _("division code"),
        max_length=32,
        unique=True,
        validators=[RegexValidator(r"^[0-9A-Za-z-]{2,32}$", _("Use digits, Latin letters and hyphens only."))],
        help_text=_(
            "Administrative division code (GB/T 2260 and its street/community extensions); grids use local codes."
        ),
    )
    name_zh = models.CharField(_("name (Chinese)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=150, blank=True)
    level = models.PositiveSmallIntegerField(_("level"), choices=Level.choices)
    parent = models.ForeignKey(
        "self", verbose_name=_("parent"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    # Materialised path of codes, e.g. "4199/419901/419901001/". Maintained by save() and move_to().
    path = models.CharField(_("path"), max_length=255, unique=True, editable=False)

    objects = JurisdictionQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("jurisdiction")
        verbose_name_plural = _("jurisdictions")
        ordering = ["path"]
        indexes = [
            # Serves "this node and everything below": WHERE path LIKE '<prefix>%'.
            models.Index(fields=["path"], name="jurisdiction_path_prefix", opclasses=["varchar_pattern_ops"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(parent__isnull=False) | Q(level=Level.CITY) | Q(level=Level.DISTRICT),
                name="jurisdiction_root_is_city_or_district",
                violation_error_message=_("Only a city or a district may stand at the top of the tree."),
            ),
        ]

    def clean(self):
        super().clean()
        errors = {}
        if self.parent_id is not None and self.level is not None and self.parent.level >= self.level:
            errors["level"] = _("A %(child)s cannot sit under a %(parent)s.") % {
                "child": self.get_level_display(),
                "parent": self.parent.get_level_display(),
            }
        if self.pk and self.path and self.parent_id and self.parent.path.startswith(self.path):
            errors["parent"] = _("A node cannot be moved below itself.")
        if errors:
            raise ValidationError(errors)

    def _computed_path(self) -> str:
        prefix = self.parent.path if self.parent_id else ""
        return f"{prefix}{self.code}{PATH_SEPARATOR}"

    def save(self, *args, **kwargs):
        new_path = self._computed_path()
        old_path = self.path
        self.path = new_path
        with transaction.atomic():
            super().save(*args, **kwargs)
            if old_path and old_path != new_path:
                # Code or parent changed: rewrite every descendant's path in one statement.
                Jurisdiction.objects.filter(path__startswith=old_path).exclude(pk=self.pk).update(
                    path=Concat(Value(new_path), Substr(F("path"), len(old_path) + 1))
                )

    def get_absolute_url(self):
        return reverse("jurisdictions:detail", args=[self.pk])

    @property
    def depth(self) -> int:
        return self.path.count(PATH_SEPARATOR)

    def ancestors(self):
        """Nodes above this one, top first (one query)."""
        codes = self.path.rstrip(PATH_SEPARATOR).split(PATH_SEPARATOR)[:-1]
        return Jurisdiction.objects.filter(code__in=codes).order_by("path")

    def descendants(self, include_self: bool = True):
        queryset = Jurisdiction.objects.subtree(self)
        return queryset if include_self else queryset.exclude(pk=self.pk)

    def is_within(self, other: "Jurisdiction") -> bool:
        return self.path.startswith(other.path)

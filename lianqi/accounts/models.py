import hashlib
import secrets

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.contrib.auth.models import UserManager as BaseUserManager
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from lianqi.core.models import TimeStampedModel
from lianqi.core.scoping import ScopedQuerySet, any_of, under_paths

from .choices import Role

phone_validator = RegexValidator(
    r"^(\+?86)?1[3-9]\d{9}$|^0\d{2,3}-?\d{7,8}$",
    _("Enter a mainland mobile number (11 digits starting with 1) or a landline such as 0371-12345678."),
)


class UserQuerySet(ScopedQuerySet):
    def scope_q(self, access):
        # Officials see the people who hold a membership in their part of the tree.
        return any_of(
            [
                Q(pk=access.user.pk),
                under_paths("memberships__jurisdiction", access.jurisdiction_paths()),
                under_paths("memberships__department__jurisdiction", access.jurisdiction_paths()),
            ]
        )

    def visible_to(self, user):
        return super().visible_to(user).distinct()


class UserManager(BaseUserManager.from_queryset(UserQuerySet)):
    """Django's user manager (create_user, …) over the scoped queryset."""


class User(AbstractUser):
    display_name = models.CharField(_("display name"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True, validators=[phone_validator])
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )

    objects = UserManager()
    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    class Meta(AbstractUser.Meta):
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self):
        return self.display_name or self.get_full_name() or self.username

    @property
    def access(self):
        from .access import get_access

        return get_access(self)


class MembershipQuerySet(ScopedQuerySet):
    def current(self):
        today = timezone.localdate()
        return self.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=today)).filter(
            Q(valid_until__isnull=True) | Q(valid_until__gte=today)
        )

    def scope_q(self, access):
        return any_of(
            [
                Q(user=access.user),
                under_paths("jurisdiction", access.jurisdiction_paths()),
                under_paths("department__jurisdiction", access.jurisdiction_paths()),
            ]
        )


class Membership(TimeStampedModel):
    """What a user may do where: a role at a jurisdiction node, in a department or for an enterprise."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    jurisdiction = models.ForeignKey(
        "jurisdictions.Jurisdiction",
        verbose_name=_("jurisdiction"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="memberships",
    )
    department = models.ForeignKey(
        "departments.Department",
        verbose_name=_("department"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="memberships",
    )
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("enterprise"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="memberships",
    )
    title = models.CharField(_("title"), max_length=100, blank=True, help_text=_("For example 副区长 or 安全员."))
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)

    objects = MembershipQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["user", "role"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(role__in=["leader", "office", "inspector"]) | Q(jurisdiction__isnull=False),
                name="membership_territorial_role_has_jurisdiction",
                violation_error_message=_("Leaders, command offices and inspectors need a jurisdiction."),
            ),
            models.CheckConstraint(
                condition=~Q(role="department") | Q(department__isnull=False),
                name="membership_department_role_has_department",
                violation_error_message=_("Department staff need a department."),
            ),
            models.CheckConstraint(
                condition=~Q(role="enterprise") | Q(enterprise__isnull=False),
                name="membership_enterprise_role_has_enterprise",
                violation_error_message=_("Enterprise users need an enterprise."),
            ),
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_until__gte=models.F("valid_from")),
                name="membership_period_ordered",
                violation_error_message=_("The end of the period is before its start."),
            ),
        ]

    def __str__(self):
        where = self.enterprise or self.department or self.jurisdiction or ""
        return f"{self.get_role_display()} · {where}".strip(" ·")

    def clean(self):
        super().clean()
        errors = {}
        if self.role in {Role.LEADER, Role.OFFICE, Role.INSPECTOR} and not self.jurisdiction_id:
            errors["jurisdiction"] = _("Leaders, command offices and inspectors need a jurisdiction.")
        if self.role == Role.DEPARTMENT and not self.department_id:
            errors["department"] = _("Department staff need a department.")
        if self.role == Role.ENTERPRISE and not self.enterprise_id:
            errors["enterprise"] = _("Enterprise users need an enterprise.")
        if errors:
            raise ValidationError(errors)


class ApiToken(models.Model):
    """A key for the REST API (``Authorization: Token <key>``). Only the SHA-256 of the key is
    stored, with its first characters to tell tokens apart: a copy of the database or a backup
    holds nothing that signs in. The key itself is shown once, when issued (``issue``). A user
    may hold several (one per device or integration); revoking is deleting. No history table:
    the audit trail records who issued and revoked through the admin's log."""

    PREFIX_LENGTH = 6

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="api_tokens"
    )
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    prefix = models.CharField(_("begins with"), max_length=PREFIX_LENGTH, editable=False)
    created = models.DateTimeField(_("issued"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created"]

    def __str__(self):
        return f"{self.user} · {self.prefix}…"

    @classmethod
    def issue(cls, user, *, replace: bool = False) -> str:
        """Store a new token of ``user`` and return its key (the only time it is seen); with
        ``replace`` the user's other tokens stop working."""
        key = secrets.token_hex(20)
        if replace:
            cls.objects.filter(user=user).delete()
        cls.objects.create(user=user, key_hash=cls.hash(key), prefix=key[: cls.PREFIX_LENGTH])
        return key

    @classmethod
    def for_key(cls, key: str):
        """The token with this key, with its user, or None."""
        try:
            return cls.objects.select_related("user").get(key_hash=cls.hash(key))
        except cls.DoesNotExist:
            return None

    @staticmethod
    def hash(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    LEADER = "leader", _("Leader")
    OFFICE = "office", _("Command office")
    DEPARTMENT = "department", _("Department staff")
    INSPECTOR = "inspector", _("Inspector / grid member")
    ENTERPRISE = "enterprise", _("Enterprise user")
    GUARD = "guard", _("Checkpoint guard")
    ADMIN = "admin", _("System administrator")


# Roles whose memberships are tied to a jurisdiction node and see everything below it.
TERRITORIAL_ROLES = frozenset({Role.LEADER, Role.OFFICE, Role.INSPECTOR})
# Roles of government officials (as opposed to enterprise users and guards).
OFFICIAL_ROLES = frozenset({Role.LEADER, Role.OFFICE, Role.DEPARTMENT, Role.INSPECTOR, Role.ADMIN})

from django.db import models
from django.utils.translation import gettext_lazy as _


class DepartmentKind(models.TextChoices):
    COMPREHENSIVE = "comprehensive", _("Comprehensive supervision (综合监管)")
    SECTOR = "sector", _("Sector authority (行业主管)")
    TERRITORIAL = "territorial", _("Territorial (属地)")

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import CoverageRule


@admin.register(CoverageRule)
class CoverageRuleAdmin(SimpleHistoryAdmin):
    list_display = ["name", "jurisdiction", "scope", "period", "assignment_role", "min_visits", "is_active"]
    list_filter = ["scope", "period", "is_active"]

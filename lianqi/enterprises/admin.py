from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Assignment, Enterprise


@admin.register(Enterprise)
class EnterpriseAdmin(SimpleHistoryAdmin):
    list_display = ["name", "credit_code", "jurisdiction", "industry", "scale", "risk_tier", "status"]
    list_filter = ["status", "scale", "risk_tier", "is_key"]
    search_fields = ["name", "credit_code", "name_initials"]
    autocomplete_fields = ["jurisdiction", "operating_jurisdiction", "sector_department"]
    raw_id_fields = ["industry"]


@admin.register(Assignment)
class AssignmentAdmin(SimpleHistoryAdmin):
    list_display = ["official", "enterprise", "role", "start", "end"]
    list_filter = ["role"]
    autocomplete_fields = ["official", "enterprise"]

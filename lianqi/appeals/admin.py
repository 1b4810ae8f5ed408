from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Appeal, RoutingRule, TimeLimitRule


@admin.register(Appeal)
class AppealAdmin(SimpleHistoryAdmin):
    list_display = ["number", "enterprise", "appeal_type", "lead_department", "due_date", "status"]
    list_filter = ["status", "appeal_type", "channel"]
    search_fields = ["number", "title", "enterprise__name"]
    raw_id_fields = ["enterprise", "inspection"]


@admin.register(RoutingRule)
class RoutingRuleAdmin(admin.ModelAdmin):
    list_display = ["appeal_type", "jurisdiction", "industry_prefix", "lead_department", "priority", "is_active"]


@admin.register(TimeLimitRule)
class TimeLimitRuleAdmin(admin.ModelAdmin):
    list_display = ["appeal_type", "urgency", "working_days"]

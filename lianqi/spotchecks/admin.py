from django.contrib import admin

from .models import CheckItem, Conflict, InspectorProfile, SpotCheckPlan


@admin.register(CheckItem)
class CheckItemAdmin(admin.ModelAdmin):
    list_display = ["code", "name_zh", "department", "jurisdiction", "is_active"]
    search_fields = ["code", "name_zh"]


class ConflictInline(admin.TabularInline):
    model = Conflict
    raw_id_fields = ["enterprise"]
    extra = 0


@admin.register(InspectorProfile)
class InspectorProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "department", "certificate_number", "certificate_expiry", "is_active"]
    search_fields = ["certificate_number", "user__username", "user__display_name"]
    raw_id_fields = ["user"]
    inlines = [ConflictInline]


@admin.register(SpotCheckPlan)
class SpotCheckPlanAdmin(admin.ModelAdmin):
    list_display = ["name", "batch", "jurisdiction", "status", "period_start", "period_end"]
    readonly_fields = ["status", "published_at"]

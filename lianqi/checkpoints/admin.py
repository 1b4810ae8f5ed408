from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Checkpoint, CheckpointGuard, KeyPersonList


class GuardInline(admin.TabularInline):
    model = CheckpointGuard
    extra = 1
    autocomplete_fields = ["user"]


@admin.register(Checkpoint)
class CheckpointAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "enterprise", "jurisdiction", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "address"]
    raw_id_fields = ["enterprise", "jurisdiction"]
    inlines = [GuardInline]


@admin.register(KeyPersonList)
class KeyPersonListAdmin(admin.ModelAdmin):
    # Lists are uploaded through the office page (hashing happens there); here only deactivated.
    list_display = ["name", "jurisdiction", "row_count", "retro_hits", "is_active", "created_at"]
    readonly_fields = ["name", "jurisdiction", "source_note", "uploaded_by", "row_count", "skipped_count", "retro_hits"]
    list_filter = ["is_active"]

    def has_add_permission(self, request):
        return False

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Jurisdiction


@admin.register(Jurisdiction)
class JurisdictionAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name_zh", "name_en", "level", "parent"]
    list_filter = ["level"]
    search_fields = ["code", "name_zh", "name_en"]
    autocomplete_fields = ["parent"]
    readonly_fields = ["path"]

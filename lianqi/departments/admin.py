from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Department


@admin.register(Department)
class DepartmentAdmin(SimpleHistoryAdmin):
    list_display = ["name_zh", "name_en", "kind", "jurisdiction", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name_zh", "name_en", "short_name"]
    autocomplete_fields = ["jurisdiction"]
    filter_horizontal = ["sectors"]

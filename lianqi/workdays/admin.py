from django.contrib import admin

from .models import CalendarDay


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    list_display = ["date", "is_working", "name"]
    list_filter = ["is_working"]
    date_hierarchy = "date"
    search_fields = ["name"]

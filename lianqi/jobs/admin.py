from django.contrib import admin

from .models import Job, PeriodicRun


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    list_display = ["pk", "kind", "status", "created_by", "created_at", "finished_at"]
    list_filter = ["status", "kind"]
    readonly_fields = [f.name for f in Job._meta.fields]


@admin.register(PeriodicRun)
class PeriodicRunAdmin(admin.ModelAdmin):
    list_display = ["task", "slot", "worker", "started_at", "finished_at", "succeeded"]
    list_filter = ["task", "succeeded"]
    readonly_fields = [f.name for f in PeriodicRun._meta.fields]

    def has_add_permission(self, request):
        return False

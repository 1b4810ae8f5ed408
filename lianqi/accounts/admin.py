from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .forms import AdminLoginForm
from .models import ApiToken, Membership, User

# The admin's own login page counts failures and locks out exactly like the login page.
admin.site.login_form = AdminLoginForm


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 1
    autocomplete_fields = ["jurisdiction", "department", "enterprise"]
    fields = ["role", "jurisdiction", "department", "enterprise", "title", "valid_from", "valid_until"]


@admin.register(User)
class UserAdmin(SimpleHistoryAdmin, BaseUserAdmin):
    inlines = [MembershipInline]
    list_display = ["username", "display_name", "phone", "is_active", "last_login"]
    search_fields = ["username", "display_name", "first_name", "last_name", "phone", "email"]
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        (_("Lianqi"), {"fields": ("display_name", "phone", "language")}),
    )


@admin.register(Membership)
class MembershipAdmin(SimpleHistoryAdmin):
    list_display = ["user", "role", "jurisdiction", "department", "title", "valid_from", "valid_until"]
    list_filter = ["role"]
    search_fields = ["user__username", "user__display_name", "jurisdiction__name_zh", "department__name_zh"]
    autocomplete_fields = ["user", "jurisdiction", "department", "enterprise"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Tokens are issued with ``manage.py issue_token`` (the key is shown once); here they are
    listed by the characters they begin with and revoked by deleting them."""

    list_display = ["user", "prefix", "created"]
    search_fields = ["user__username", "user__display_name", "prefix"]
    readonly_fields = ["user", "prefix", "created"]
    fields = readonly_fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

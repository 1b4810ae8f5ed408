from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "lianqi.audit"
    label = "audit"
    verbose_name = _("Audit trail")

    def ready(self):
        from lianqi.accounts.choices import Role
        from lianqi.core.navigation import register_menu_item

        register_menu_item(_("Audit trail"), "audit:search", roles=[Role.ADMIN], order=200)

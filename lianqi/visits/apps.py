from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VisitsConfig(AppConfig):
    name = "lianqi.visits"
    label = "visits"
    verbose_name = _("Leaders' visits")

    def ready(self):
        from lianqi.accounts.choices import Role
        from lianqi.core.navigation import register_menu_item

        register_menu_item(
            _("Leaders' visits"), "visits:list", roles=[Role.LEADER, Role.OFFICE, Role.DEPARTMENT, Role.ADMIN], order=32
        )

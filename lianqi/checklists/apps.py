from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChecklistsConfig(AppConfig):
    name = "lianqi.checklists"
    label = "checklists"
    verbose_name = _("Checklists")

    def ready(self):
        from lianqi.accounts.choices import Role
        from lianqi.core.navigation import register_menu_item

        register_menu_item(_("Checklists"), "checklists:list", roles=[Role.OFFICE, Role.LEADER], order=45)

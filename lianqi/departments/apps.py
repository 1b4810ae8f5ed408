from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DepartmentsConfig(AppConfig):
    name = "lianqi.departments"
    label = "departments"
    verbose_name = _("Departments")

    def ready(self):
        from lianqi.accounts.choices import OFFICIAL_ROLES
        from lianqi.core.navigation import register_menu_item

        register_menu_item(_("Departments"), "departments:list", roles=OFFICIAL_ROLES, order=85)

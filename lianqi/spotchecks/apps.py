from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SpotchecksConfig(AppConfig):
    name = "lianqi.spotchecks"
    label = "spotchecks"
    verbose_name = _("Random spot checks")

    def ready(self):
        from lianqi.accounts.choices import Role
        from lianqi.core.navigation import register_menu_item

        register_menu_item(
            _("Spot checks"), "spotchecks:list", roles=[Role.OFFICE, Role.LEADER, Role.DEPARTMENT], order=40
        )

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JurisdictionsConfig(AppConfig):
    name = "lianqi.jurisdictions"
    label = "jurisdictions"
    verbose_name = _("Jurisdictions")

    def ready(self):
        from lianqi.accounts.choices import OFFICIAL_ROLES
        from lianqi.core.navigation import register_home_widget, register_menu_item

        from .widgets import jurisdiction_overview

        register_menu_item(_("Jurisdictions"), "jurisdictions:list", roles=OFFICIAL_ROLES, order=80)
        register_home_widget("jurisdictions/_overview_card.html", jurisdiction_overview, roles=OFFICIAL_ROLES, order=90)

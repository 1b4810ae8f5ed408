from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HazardsConfig(AppConfig):
    name = "lianqi.hazards"
    label = "hazards"
    verbose_name = _("Hidden hazards")

    def ready(self):
        from lianqi.accounts.choices import OFFICIAL_ROLES, Role
        from lianqi.core.navigation import register_home_widget, register_menu_item
        from lianqi.notifications.deadlines import register

        from .models import Hazard
        from .widgets import hazard_summary

        register_menu_item(_("Hazards"), "hazards:ledger", roles=[*OFFICIAL_ROLES, Role.ENTERPRISE], order=30)
        register_home_widget(
            "hazards/_home_card.html",
            hazard_summary,
            roles=[Role.LEADER, Role.OFFICE, Role.DEPARTMENT, Role.INSPECTOR, Role.ENTERPRISE, Role.ADMIN],
            order=20,
        )
        register("hazard", lambda: Hazard.objects.with_deadline_open())

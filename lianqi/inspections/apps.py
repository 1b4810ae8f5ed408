from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InspectionsConfig(AppConfig):
    name = "lianqi.inspections"
    label = "inspections"
    verbose_name = _("Inspections")

    def ready(self):
        from lianqi.accounts.choices import OFFICIAL_ROLES, Role
        from lianqi.core.navigation import register_home_widget, register_menu_item

        from . import widgets

        register_menu_item(_("Inspections"), "inspections:list", roles=[*OFFICIAL_ROLES, Role.ENTERPRISE], order=30)
        register_home_widget("inspections/_today_card.html", widgets.inspector_today, roles=[Role.INSPECTOR], order=5)
        register_home_widget("inspections/_self_card.html", widgets.enterprise_self, roles=[Role.ENTERPRISE], order=15)
        register_home_widget(
            "inspections/_today_card.html", widgets.this_week, roles=[Role.LEADER, Role.OFFICE, Role.ADMIN], order=30
        )
        try:  # the enterprise page's tab registry (lianqi.enterprises.tabs), when present
            from lianqi.enterprises.tabs import register_enterprise_tab
        except ImportError:  # pragma: no cover - older enterprises app
            return
        register_enterprise_tab(
            "inspections",
            _("Inspections"),
            "inspections/_enterprise_tab.html",
            context=widgets.enterprise_tab,
            order=40,
        )

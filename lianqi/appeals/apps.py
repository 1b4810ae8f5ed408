from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AppealsConfig(AppConfig):
    name = "lianqi.appeals"
    label = "appeals"
    verbose_name = _("Enterprise difficulties")

    def ready(self):
        from lianqi.accounts.choices import Role
        from lianqi.core.navigation import register_home_widget, register_menu_item
        from lianqi.notifications.deadlines import register

        from .models import Appeal
        from .widgets import appeal_summary

        register_menu_item(
            _("Difficulties"),
            "appeals:list",
            roles=[Role.LEADER, Role.OFFICE, Role.DEPARTMENT, Role.INSPECTOR, Role.ENTERPRISE],
            order=35,
        )
        register_home_widget(
            "appeals/_home_card.html",
            appeal_summary,
            roles=[Role.LEADER, Role.OFFICE, Role.DEPARTMENT, Role.ENTERPRISE, Role.ADMIN],
            order=25,
        )
        register("appeal", lambda: Appeal.objects.handling(), deadline_field="due_date")

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportingConfig(AppConfig):
    name = "lianqi.reporting"
    label = "reporting"
    verbose_name = _("Daily reporting")

    def ready(self):
        from lianqi.accounts.choices import OFFICIAL_ROLES, Role
        from lianqi.core.navigation import register_home_widget, register_menu_item

        from . import tasks  # noqa: F401 - registers the Celery tasks
        from .widgets import todays_report

        register_menu_item(_("Daily reports"), "reporting:today", roles=[*OFFICIAL_ROLES, Role.ENTERPRISE], order=25)
        register_home_widget("reporting/_home_card.html", todays_report, roles=[Role.ENTERPRISE], order=5)

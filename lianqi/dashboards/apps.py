from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardsConfig(AppConfig):
    name = "lianqi.dashboards"
    label = "dashboards"
    verbose_name = _("Dashboards and bulletins")

    def ready(self):
        from lianqi.accounts.choices import OFFICIAL_ROLES, Role
        from lianqi.core.navigation import register_home_widget, register_menu_item
        from lianqi.jobs.registry import register_job

        from . import tasks  # noqa: F401 - registers the Celery task
        from .jobs import BULLETIN, run_bulletin
        from .widgets import key_rates

        register_menu_item(_("Dashboard"), "dashboards:dashboard", roles=OFFICIAL_ROLES, order=5)
        register_home_widget("dashboards/_home_card.html", key_rates, roles=[Role.LEADER, Role.OFFICE], order=1)
        register_job(BULLETIN, run_bulletin, result_template="dashboards/_job_result.html")

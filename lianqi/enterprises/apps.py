from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EnterprisesConfig(AppConfig):
    name = "lianqi.enterprises"
    label = "enterprises"
    verbose_name = _("Enterprises")

    def ready(self):
        from lianqi.accounts.choices import OFFICIAL_ROLES, Role
        from lianqi.core.navigation import register_home_widget, register_menu_item
        from lianqi.jobs.registry import register_job

        from . import jobs
        from .exporting import run_export_job
        from .tabs import register_enterprise_tab
        from .widgets import my_enterprise, officials_tab, overview_tab, registry_overview

        register_menu_item(_("Enterprises"), "enterprises:list", roles=OFFICIAL_ROLES, order=20)
        register_home_widget("enterprises/_overview_card.html", registry_overview, roles=OFFICIAL_ROLES, order=20)
        register_home_widget("enterprises/_my_enterprise_card.html", my_enterprise, roles=[Role.ENTERPRISE], order=10)
        register_enterprise_tab(
            "overview", _("Basic information"), "enterprises/tabs/_overview.html", context=overview_tab, order=0
        )
        register_enterprise_tab(
            "officials", _("Responsible officials"), "enterprises/tabs/_officials.html", context=officials_tab, order=10
        )
        register_job(jobs.PREVIEW, jobs.run_preview, result_template="enterprises/_import_preview_result.html")
        register_job(jobs.APPLY, jobs.run_apply, result_template="enterprises/_import_apply_result.html")
        register_job(jobs.EXPORT, run_export_job, result_template="enterprises/_export_result.html")

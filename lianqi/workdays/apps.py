from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkdaysConfig(AppConfig):
    name = "lianqi.workdays"
    label = "workdays"
    verbose_name = _("Working-day calendar")

    def ready(self):
        from .calendar import _connect

        _connect()

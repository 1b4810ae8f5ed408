from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "lianqi.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self):
        from .logs import connect_celery_signals

        connect_celery_signals()  # a task queued by a request logs with that request's id

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "lianqi.notifications"
    label = "notifications"
    verbose_name = _("Notifications")

    def ready(self):
        from lianqi.core.navigation import register_menu_item

        register_menu_item(_("Inbox"), "notifications:inbox", order=5)

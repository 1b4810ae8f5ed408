from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "lianqi.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from lianqi.core.navigation import register_home_widget

        from .widgets import my_memberships

        register_home_widget("accounts/_memberships_card.html", my_memberships, order=999)

        from django.contrib.auth.signals import user_logged_in

        from .middleware import start_activity_clock

        user_logged_in.connect(start_activity_clock, dispatch_uid="lianqi-activity-clock")

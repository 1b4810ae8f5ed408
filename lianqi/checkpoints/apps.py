from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CheckpointsConfig(AppConfig):
    name = "lianqi.checkpoints"
    label = "checkpoints"
    verbose_name = _("Entrance checkpoints")

    def ready(self):
        from lianqi.accounts.choices import Role
        from lianqi.core.navigation import register_home_widget, register_menu_item
        from lianqi.notifications.deadlines import register

        from .models import Verification
        from .widgets import alerts_today, guard_card, verifications_card

        register_menu_item(_("My checkpoint"), "checkpoints:guard_home", roles=[Role.GUARD], order=5)
        register_menu_item(
            _("Checkpoints"),
            "checkpoints:list",
            roles=[Role.LEADER, Role.OFFICE, Role.INSPECTOR, Role.ENTERPRISE, Role.ADMIN],
            order=60,
        )
        register_home_widget("checkpoints/_guard_card.html", guard_card, roles=[Role.GUARD], order=5)
        register_home_widget(
            "checkpoints/_alerts_card.html", alerts_today, roles=[Role.LEADER, Role.OFFICE, Role.ADMIN], order=25
        )
        register_home_widget(
            "checkpoints/_verifications_card.html", verifications_card, roles=[Role.INSPECTOR], order=15
        )
        register("keyperson", lambda: Verification.objects.open())

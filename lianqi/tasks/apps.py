from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TasksConfig(AppConfig):
    name = "lianqi.tasks"
    label = "tasks"
    verbose_name = _("Deployed tasks")

    def ready(self):
        from lianqi.accounts.choices import Role
        from lianqi.core.navigation import register_menu_item
        from lianqi.notifications.deadlines import register

        from .models import TaskAssignment

        register_menu_item(_("Tasks"), "tasks:list", roles=[Role.LEADER, Role.OFFICE, Role.DEPARTMENT], order=60)
        register("task", lambda: TaskAssignment.objects.open())

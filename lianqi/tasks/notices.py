from django.utils.translation import gettext as _

TITLES = {
    "deployed": lambda: _("New task for %(assignee)s: %(title)s (due %(deadline)s)"),
    "start": lambda: _("Task started by %(assignee)s: %(title)s"),
    "report_progress": lambda: _("Progress reported by %(assignee)s: %(title)s"),
    "submit": lambda: _("%(assignee)s reports “%(title)s” complete: please accept or return it"),
    "accept": lambda: _("Task accepted: %(title)s"),
    "return": lambda: _("Task returned for more work: %(title)s"),
    "reminder": lambda: _("Task due on %(deadline)s: %(title)s"),
    "overdue": lambda: _("Task overdue (deadline %(deadline)s): %(title)s"),
    "escalation1": lambda: _("Escalation: %(assignee)s is overdue on “%(title)s” (deadline %(deadline)s)"),
    "escalation2": lambda: _("Second escalation: %(assignee)s is still overdue on “%(title)s” (deadline %(deadline)s)"),
}


def title_for(assignment, kind, event) -> str:
    action = kind.split(".", 1)[1]
    template = TITLES.get(action, lambda: _("Task updated: %(title)s"))()
    deadline = (event.payload or {}).get("deadline") or assignment.deadline.isoformat()
    return template % {"title": assignment.task.title, "assignee": assignment.assignee, "deadline": deadline}

from django.utils.translation import gettext as _

TITLES = {
    "submitted": lambda: _("New difficulty %(number)s from %(enterprise)s: %(title)s"),
    "route": lambda: _("Difficulty %(number)s assigned to you: %(title)s (answer by %(due)s)"),
    "object": lambda: _("Objection to the assignment of difficulty %(number)s: please reassign"),
    "accept": lambda: _("Your difficulty %(number)s is being handled by %(department)s"),
    "reply": lambda: _("Reply to your difficulty %(number)s: please rate it"),
    "rate_unsatisfied": lambda: _("Difficulty %(number)s reopened: the enterprise is not satisfied"),
    "rate_satisfied": lambda: _("Difficulty %(number)s closed: the enterprise is satisfied"),
    "close": lambda: _("Difficulty %(number)s closed"),
    "reminder": lambda: _("Difficulty %(number)s is due on %(due)s"),
    "overdue": lambda: _("Difficulty %(number)s is overdue (due %(due)s)"),
    "escalation1": lambda: _("Escalation: difficulty %(number)s of %(enterprise)s is overdue since %(due)s"),
    "escalation2": lambda: _(
        "Second escalation: difficulty %(number)s of %(enterprise)s is still unanswered (due %(due)s)"
    ),
    "extension_requested": lambda: _("Difficulty %(number)s: more time requested"),
    "extension_decided": lambda: _("Difficulty %(number)s: decision on the extension"),
}


def title_for(appeal, kind, event) -> str:
    action = kind.split(".", 1)[1]
    template = TITLES.get(action, lambda: _("Difficulty %(number)s updated"))()
    due = (event.payload or {}).get("deadline") or (appeal.due_date.isoformat() if appeal.due_date else "—")
    return template % {
        "number": appeal.number,
        "title": appeal.title,
        "enterprise": appeal.enterprise.name,
        "due": due,
        "department": appeal.lead_department or "—",
    }

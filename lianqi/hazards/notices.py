"""Notification titles for hazard events, in the recipient's language (already activated)."""

from django.utils.translation import gettext as _

TITLES = {
    "reported": lambda h: _("New hazard %(number)s reported at %(where)s"),
    "issue_order": lambda h: _("Rectification order for hazard %(number)s: complete by %(deadline)s"),
    "submit_rectification": lambda h: _("Hazard %(number)s: rectification submitted, awaiting your acceptance"),
    "accept": lambda h: _("Hazard %(number)s accepted and closed"),
    "return": lambda h: _("Hazard %(number)s returned: the rectification was not accepted"),
    "resume": lambda h: _("Hazard %(number)s: rectification resumed"),
    "dismiss": lambda h: _("Hazard report %(number)s dismissed"),
    "reminder": lambda h: _("Hazard %(number)s is due on %(deadline)s"),
    "overdue": lambda h: _("Hazard %(number)s is overdue (deadline %(deadline)s)"),
    "escalation1": lambda h: _("Escalation: hazard %(number)s at %(where)s is overdue since %(deadline)s"),
    "escalation2": lambda h: _(
        "Second escalation: hazard %(number)s at %(where)s is still overdue (deadline %(deadline)s)"
    ),
    "extension_requested": lambda h: _("Hazard %(number)s: deadline extension requested"),
    "extension_decided": lambda h: _("Hazard %(number)s: decision on the deadline extension"),
    "listed": lambda h: _("Hazard %(number)s put under listed supervision (挂牌督办)"),
}


def title_for(hazard, kind, event) -> str:
    action = kind.split(".", 1)[1]
    template = TITLES.get(action, lambda h: _("Hazard %(number)s updated"))(hazard)
    deadline = (event.payload or {}).get("deadline") or (hazard.deadline.isoformat() if hazard.deadline else "—")
    where = hazard.enterprise.name if hazard.enterprise_id else hazard.location or str(hazard.jurisdiction)
    return template % {"number": hazard.number, "deadline": deadline, "where": where}

from django.utils import timezone

from lianqi.reporting import rates


def key_rates(request, access):
    """Leader's and office's home: today's key rates of their top jurisdiction."""
    from .views import top_node

    node = top_node(request.user)
    if node is None:
        return None
    today = timezone.localdate()
    figures = rates.resumption(node, today, today)["total"]
    return {
        "node": node,
        "rates": figures,
        "labels": rates.LABELS,
        "definitions": rates.DEFINITIONS,
        "today": today,
        "keys": ("resumption_rate", "staff_return_rate", "capacity_mean", "reporting_rate"),
    }

from django.db.models import Count

from .models import Jurisdiction


def jurisdiction_overview(request, access):
    """Home card: the user's own nodes with how many nodes of each level lie below them."""
    top_paths = access.jurisdiction_paths()
    nodes = (
        Jurisdiction.objects.filter(path__in=top_paths)
        if not access.is_admin
        else Jurisdiction.objects.filter(parent=None)
    )
    rows = []
    for node in nodes[:6]:
        counts = dict(node.descendants(include_self=False).values_list("level").annotate(n=Count("pk")).order_by())
        rows.append(
            {
                "node": node,
                "counts": [
                    (label, counts.get(v, 0))
                    for v, label in Jurisdiction._meta.get_field("level").choices
                    if v > node.level
                ],
            }
        )
    return {"rows": rows} if rows else None

"""Rates with readable group labels: the one payload the API, the dashboard and bulletins share."""

from __future__ import annotations

from django.utils.translation import gettext as _

from . import rates


def division_names(codes) -> dict:
    from lianqi.industries.models import Industry

    names = {i.code: i.name for i in Industry.objects.filter(code__in=[c for c in codes if c])}
    return {code: names.get(code) or code or _("Unclassified") for code in codes}


def node_names(paths) -> dict:
    from lianqi.jurisdictions.models import Jurisdiction

    nodes = {j.path: j for j in Jurisdiction.objects.filter(path__in=list(paths))}
    return {path: nodes.get(path) for path in paths}


def resumption_stats(node, date_from, date_to, *, by: str | None = None, source: str = "rollup") -> dict:
    """Rates of ``node``'s subtree over the period, and per group when ``by`` is "industry",
    "jurisdiction" (the node's children; the node's own enterprises under the node) or "date"."""
    result = rates.resumption(node, date_from, date_to, by=by, source=source)
    groups = []
    keys = list(result["groups"])
    if by == "industry":
        labels = division_names(keys)
        for key in sorted(keys):
            groups.append({"key": key, "label": f"{key} {labels[key]}".strip(), **result["groups"][key]})
    elif by == "jurisdiction":
        # Every child appears, a child without tracked enterprises with empty figures.
        empty = rates.rates(rates.Counts())
        for path in node.children.values_list("path", flat=True):
            if path not in result["groups"]:
                result["groups"][path] = empty
                keys.append(path)
        nodes = node_names(keys)
        for key in sorted(keys):
            child = nodes.get(key)
            groups.append(
                {
                    "key": str(child.pk) if child else key,
                    "label": child.name if child else key,
                    "node": child,
                    **result["groups"][key],
                }
            )
    elif by == "date":
        for key in sorted(keys):
            groups.append({"key": key.isoformat(), "label": key.strftime("%m-%d"), **result["groups"][key]})
    return {
        "jurisdiction": node.pk,
        "jurisdiction_name": node.name,
        "from": date_from,
        "to": date_to,
        "by": by,
        "total": result["total"],
        "groups": groups,
        "definitions": {key: str(text) for key, text in rates.DEFINITIONS.items()},
    }

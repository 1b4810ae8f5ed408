"""The ledger's summaries: leader visits per leader, per enterprise, per jurisdiction, per month."""

from __future__ import annotations

from collections import Counter

from django.db.models import Count
from django.db.models.functions import TruncMonth

from lianqi.accounts.models import User
from lianqi.enterprises.models import Enterprise
from lianqi.inspections.models import Inspection
from lianqi.jurisdictions.models import Jurisdiction

from .coverage import visit_pairs

TOP = 12


def _names(text: str) -> list[str]:
    return [part.split(" (")[0].strip() for part in (text or "").split(";") if part.strip()]


def summaries(visits) -> dict:
    by_month = [
        (row["month"], row["n"])
        for row in visits.annotate(month=TruncMonth("planned_date"))
        .values("month")
        .annotate(n=Count("pk"))
        .order_by("-month")[:TOP]
    ]
    leader_counts = Counter(
        dict(
            Inspection.leaders.through.objects.filter(inspection__in=visits.values("pk"))
            .values_list("user")
            .annotate(n=Count("inspection", distinct=True))
        )
    )
    people = {u.pk: str(u) for u in User.objects.filter(pk__in=list(leader_counts))}
    named = Counter(
        name for text in visits.exclude(leader_names="").values_list("leader_names", flat=True) for name in _names(text)
    )
    by_leader = [(people.get(pk, "?"), n, True) for pk, n in leader_counts.items()]
    by_leader += [(name, n, False) for name, n in named.items()]
    by_leader.sort(key=lambda r: (-r[1], r[0]))

    per_enterprise = Counter()
    for enterprise_ids in visit_pairs(visits).values():
        per_enterprise.update(enterprise_ids)
    top_enterprises = per_enterprise.most_common(TOP)
    names = dict(Enterprise.objects.filter(pk__in=[pk for pk, _ in top_enterprises]).values_list("pk", "name"))
    by_enterprise = [(pk, names.get(pk, "?"), n) for pk, n in top_enterprises]

    jurisdiction_counts = list(visits.values("jurisdiction").annotate(n=Count("pk")).order_by("-n")[:TOP])
    nodes = Jurisdiction.objects.in_bulk([row["jurisdiction"] for row in jurisdiction_counts])
    by_jurisdiction = [(nodes[row["jurisdiction"]], row["n"]) for row in jurisdiction_counts]
    return {
        "by_leader": by_leader[:TOP],
        "by_enterprise": by_enterprise,
        "by_jurisdiction": by_jurisdiction,
        "by_month": by_month,
    }

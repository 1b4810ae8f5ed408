"""Routing an appeal to its lead department, and its time limit.

Rule precedence: among the active rules that match (type empty or equal; jurisdiction empty or
containing the enterprise; industry prefix empty or a prefix of the enterprise's industry code or
its section letter), the most specific wins — a named type counts most, then a longer industry
prefix, then a deeper jurisdiction; ``priority`` breaks remaining ties, then the oldest rule.
No matching rule: the appeal waits in the command office's queue.
"""

from __future__ import annotations

from .choices import DEFAULT_COMPLEX_DAYS, DEFAULT_GENERAL_DAYS, DEFAULT_POLICY_DAYS, MAX_DAYS, AppealType
from .models import RoutingRule, TimeLimitRule


def _industry_codes(enterprise) -> set[str]:
    code = enterprise.industry_id or ""
    codes = {code[:i] for i in range(1, len(code) + 1)}
    industry = enterprise.industry if enterprise.industry_id else None
    while industry is not None and industry.parent_id:
        industry = industry.parent
    if industry is not None:
        codes.add(industry.code)  # the section letter
    return codes


def specificity(rule: RoutingRule) -> tuple:
    depth = rule.jurisdiction.level if rule.jurisdiction_id else 0
    return (bool(rule.appeal_type), len(rule.industry_prefix), depth, rule.priority, -rule.pk)


def matching_rules(appeal_type: str, enterprise) -> list[RoutingRule]:
    codes = _industry_codes(enterprise)
    path = enterprise.jurisdiction.path
    rules = (
        RoutingRule.objects.filter(is_active=True)
        .select_related("jurisdiction", "lead_department")
        .prefetch_related("supporting_departments")
    )
    matched = [
        rule
        for rule in rules
        if (not rule.appeal_type or rule.appeal_type == appeal_type)
        and (not rule.jurisdiction_id or path.startswith(rule.jurisdiction.path))
        and (not rule.industry_prefix or rule.industry_prefix in codes)
    ]
    return sorted(matched, key=specificity, reverse=True)


def route_for(appeal_type: str, enterprise) -> RoutingRule | None:
    rules = matching_rules(appeal_type, enterprise)
    return rules[0] if rules else None


def time_limit(appeal_type: str, urgency: str, *, is_complex: bool = False) -> int:
    """Working days to answer: the office's most specific TimeLimitRule, else the defaults."""
    if is_complex:
        return DEFAULT_COMPLEX_DAYS
    for appeal_type_key, urgency_key in ((appeal_type, urgency), (appeal_type, ""), ("", urgency), ("", "")):
        rule = TimeLimitRule.objects.filter(appeal_type=appeal_type_key, urgency=urgency_key).first()
        if rule is not None:
            return min(rule.working_days, MAX_DAYS)
    return DEFAULT_POLICY_DAYS if appeal_type == AppealType.POLICY else DEFAULT_GENERAL_DAYS

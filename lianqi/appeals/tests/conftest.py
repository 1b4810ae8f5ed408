import pytest


@pytest.fixture(autouse=True)
def _notifications_follow_each_step(on_commit_now):
    """Appeal tests look at what each step sends."""


@pytest.fixture
def rule_a(cast):
    """Raw-material difficulties in district A are led by department A."""
    from lianqi.appeals.models import RoutingRule

    return RoutingRule.objects.create(
        appeal_type="raw_materials", jurisdiction=cast.district_a, lead_department=cast.department_a
    )


def raise_for(cast, **kwargs):
    from lianqi.appeals import services

    data = {
        "actor": cast.enterprise_user,
        "enterprise": cast.enterprise_a,
        "appeal_type": "raw_materials",
        "title": "熔喷布供应不足",
        "description": "库存仅够三天，请协调供应商。",
        **kwargs,
    }
    return services.raise_appeal(**data)

"""``ScopedQuerySet.in_subtree(user, node)`` gives exactly ``visible_to(user)`` under the node,
for every kind of user and every node, whether or not it takes the short road."""

import pytest

from lianqi.appeals.models import Appeal
from lianqi.enterprises.models import Enterprise
from lianqi.hazards.models import Hazard

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(cast):
    from lianqi.appeals import services as appeals
    from lianqi.hazards import services as hazards

    cast.enterprise_a.sector_department = cast.department_a
    cast.enterprise_a.save()
    for enterprise, actor in ((cast.enterprise_a, cast.inspector_a), (cast.enterprise_b, cast.office)):
        hazards.report_hazard(
            actor=actor, enterprise=enterprise, category="fire", description="安全出口被锁闭", location="仓库"
        )
        appeals.raise_appeal(
            actor=cast.office, enterprise=enterprise, appeal_type="raw_materials", title="原料", description="库存不足"
        )
    return cast


@pytest.mark.parametrize("model", [Hazard, Appeal, Enterprise])
def test_in_subtree_is_visible_to_under_the_node(world, model):
    cast = world
    nodes = [cast.city, cast.district_a, cast.district_b, cast.street_a, cast.street_b]
    users = [
        cast.admin, cast.official_a, cast.official_b, cast.office, cast.dept_a,
        cast.inspector_a, cast.enterprise_user, cast.outsider,
    ]  # fmt: skip
    assert model.objects.count() >= 2
    short_roads = 0
    for user in users:
        for node in nodes:
            expected = set(
                model.objects.visible_to(user)
                .filter(jurisdiction__path__startswith=node.path)
                .values_list("pk", flat=True)
            )
            got = model.objects.in_subtree(user, node)
            short_roads += not got.query.is_empty() and len(got.query.where.children) == 1
            assert set(got.values_list("pk", flat=True)) == expected, (model.__name__, user.username, node.name_zh)
    assert short_roads  # some cases did take the subtree filter alone


def test_a_district_leader_takes_the_short_road_only_inside_the_district(world):
    cast = world
    inside = Hazard.objects.in_subtree(cast.official_a, cast.street_a)
    outside = Hazard.objects.in_subtree(cast.official_a, cast.district_b)
    assert len(inside.query.where.children) == 1  # the subtree condition alone
    assert outside.count() == 0
    assert inside.count() == Hazard.objects.filter(jurisdiction__path__startswith=cast.street_a.path).count() == 1

"""Bulk assignment: the balanced round-robin rule."""

import pytest
from django.core.exceptions import ValidationError

from lianqi.accounts.choices import Role
from lianqi.accounts.tests.factories import MembershipFactory, UserFactory
from lianqi.enterprises.models import Assignment, Enterprise
from lianqi.enterprises.services import bulk_assign
from lianqi.enterprises.tests.factories import AssignmentFactory, EnterpriseFactory, credit_code_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def grid(cast):
    enterprises = [
        EnterpriseFactory(
            jurisdiction=cast.street_a, name=f"企业{n:02d}", credit_code=credit_code_for(100 + n, "419902")
        )
        for n in range(10)
    ]
    officers = []
    for n in range(3):
        user = UserFactory(username=f"grid{n}")
        MembershipFactory(user=user, role=Role.INSPECTOR, jurisdiction=cast.street_a)
        officers.append(user)
    return enterprises, officers


def run(cast, officers, **kwargs):
    queryset = Enterprise.objects.filter(name__startswith="企业")
    return bulk_assign(
        enterprises=queryset, officials=officers, role="resident_instructor", actor=cast.office, **kwargs
    )


def test_round_robin_spreads_evenly_in_a_stable_order(cast, grid):
    enterprises, officers = grid
    result = run(cast, officers)
    assert sorted(result.per_official.values()) == [3, 3, 4]
    by_enterprise = {a.enterprise.name: a.official for a in result.created}
    assert [by_enterprise[f"企业{n:02d}"] for n in range(4)] == [officers[0], officers[1], officers[2], officers[0]]
    assert all(a.history.get().history_user == cast.office for a in Assignment.objects.all())


def test_existing_load_is_balanced_and_assigned_enterprises_are_skipped(cast, grid):
    enterprises, officers = grid
    AssignmentFactory(enterprise=enterprises[0], official=officers[0])
    AssignmentFactory(enterprise=cast.enterprise_a, official=officers[0])
    result = run(cast, officers)
    assert result.already_assigned == 1
    assert len(result.created) == 9
    totals = {
        o.pk: Assignment.objects.current().filter(official=o, role="resident_instructor").count() for o in officers
    }
    assert sorted(totals.values()) == [3, 4, 4]


def test_cap_per_official_leaves_the_rest_unassigned(cast, grid):
    enterprises, officers = grid
    result = run(cast, officers[:2], per_official=3)
    assert len(result.created) == 6 and len(result.left_unassigned) == 4
    assert set(result.per_official.values()) == {3}


def test_running_twice_assigns_nothing_new(cast, grid):
    enterprises, officers = grid
    run(cast, officers)
    again = run(cast, officers)
    assert again.created == [] and again.already_assigned == 10


def test_refusals(cast, grid):
    enterprises, officers = grid
    with pytest.raises(ValidationError):
        run(cast, [])
    with pytest.raises(ValidationError):
        run(cast, [cast.outsider])
    with pytest.raises(ValidationError):
        run(cast, officers, per_official=0)
    with pytest.raises(ValidationError):
        bulk_assign(
            enterprises=Enterprise.objects.all(), officials=officers, role="resident_instructor", actor=cast.official_a
        )
    assert not Assignment.objects.exists()

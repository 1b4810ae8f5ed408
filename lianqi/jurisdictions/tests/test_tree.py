import pytest
from django.core.exceptions import ValidationError

from lianqi.jurisdictions.choices import Level
from lianqi.jurisdictions.models import Jurisdiction
from lianqi.jurisdictions.tests.factories import JurisdictionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree():
    city = JurisdictionFactory(code="419900", level=Level.CITY)
    a = JurisdictionFactory(code="419902", level=Level.DISTRICT, parent=city)
    b = JurisdictionFactory(code="419903", level=Level.DISTRICT, parent=city)
    a1 = JurisdictionFactory(code="419902001", level=Level.STREET, parent=a)
    a1c = JurisdictionFactory(code="419902001001", level=Level.COMMUNITY, parent=a1)
    b1 = JurisdictionFactory(code="419903001", level=Level.STREET, parent=b)
    return city, a, b, a1, a1c, b1


def test_path_is_the_chain_of_codes(tree):
    city, a, b, a1, a1c, b1 = tree
    assert a1c.path == "419900/419902/419902001/419902001001/"
    assert a1c.depth == 4
    assert list(a1c.ancestors()) == [city, a, a1]


def test_subtree_is_one_query_and_excludes_siblings(tree, django_assert_num_queries):
    city, a, b, a1, a1c, b1 = tree
    with django_assert_num_queries(1):
        nodes = list(Jurisdiction.objects.subtree(a))
    assert set(nodes) == {a, a1, a1c}
    assert b1 not in nodes


def test_subtree_query_uses_a_prefix_filter(tree):
    city, a, *_ = tree
    sql = str(Jurisdiction.objects.subtree(a).query)
    assert "LIKE" in sql.upper()
    assert "419900/419902/" in sql


def test_moving_a_node_rewrites_its_descendants(tree):
    city, a, b, a1, a1c, b1 = tree
    a1.parent = b
    a1.save()
    a1c.refresh_from_db()
    assert a1c.path == "419900/419903/419902001/419902001001/"
    assert set(Jurisdiction.objects.subtree(b)) == {b, b1, a1, a1c}
    assert set(Jurisdiction.objects.subtree(a)) == {a}


def test_a_node_cannot_sit_under_a_lower_level(tree):
    city, a, b, a1, a1c, b1 = tree
    bad = Jurisdiction(code="419902999", name_zh="错", level=Level.DISTRICT, parent=a1)
    with pytest.raises(ValidationError) as error:
        bad.full_clean()
    assert "level" in error.value.message_dict


def test_a_node_cannot_move_below_itself(tree):
    city, a, b, a1, a1c, b1 = tree
    a.parent = a1c
    with pytest.raises(ValidationError) as error:
        a.clean()
    assert "parent" in error.value.message_dict


def test_code_format_is_validated():
    node = Jurisdiction(code="江川", name_zh="江川市", level=Level.CITY)
    with pytest.raises(ValidationError) as error:
        node.full_clean()
    assert "code" in error.value.message_dict


def test_name_follows_the_active_language(tree):
    from django.utils import translation

    city = tree[0]
    city.name_zh, city.name_en = "江川市", "Jiangchuan City"
    with translation.override("en"):
        assert city.name == "Jiangchuan City"
    with translation.override("zh-hans"):
        assert str(city) == "江川市"

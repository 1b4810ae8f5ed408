import pytest
from django.core.exceptions import ValidationError

from lianqi.checklists.evaluation import evaluate, normalise, visible_codes

from .factories import make_version

pytestmark = pytest.mark.django_db


@pytest.fixture
def version():
    return make_version()


def test_conditional_item_shows_only_when_its_parent_has_the_value(version):
    items = version.ordered_items()
    assert "S1.2" not in visible_codes(items, {})
    assert "S1.2" not in visible_codes(items, {"S1.1": "no"})
    assert "S1.2" in visible_codes(items, {"S1.1": "yes"})


def test_a_hidden_item_is_neither_required_nor_scored(version):
    items = version.ordered_items()
    state = evaluate(items, {"S1.1": "no", "S1.3": 4}, photo_codes={"S1.6"})
    assert [i.code for i in state.missing] == []
    assert "S1.2" not in state.results


def test_number_limits_and_failing_threshold(version):
    item = version.items_by_code()["S1.3"]
    assert normalise(item, "6") == 6
    with pytest.raises(ValidationError) as error:
        normalise(item, "51")
    assert error.value.code == "out_of_range" and "0–50" in error.value.messages[0]
    with pytest.raises(ValidationError):
        normalise(item, "many")
    state = evaluate(version.ordered_items(), {"S1.1": "no", "S1.3": 8}, photo_codes={"S1.6"})
    assert [i.code for i in state.failing] == ["S1.3"]


def test_multiple_choice_fails_when_a_failing_value_is_ticked(version):
    item = version.items_by_code()["S1.4"]
    assert normalise(item, ["co2", "powder"]) == ["powder", "co2"]
    with pytest.raises(ValidationError):
        normalise(item, ["water"])
    state = evaluate(version.ordered_items(), {"S1.1": "no", "S1.3": 2, "S1.4": ["none"]}, photo_codes={"S1.6"})
    assert [i.code for i in state.failing] == ["S1.4"]


def test_photo_required_items(version):
    answers = {"S1.1": "yes", "S1.2": "yes", "S1.3": 2}
    state = evaluate(version.ordered_items(), answers)
    assert {i.code for i in state.missing} == {"S1.6"}
    assert {i.code for i in state.missing_photos} == {"S1.2"}
    state = evaluate(version.ordered_items(), answers, photo_codes={"S1.2", "S1.6"})
    assert state.complete and state.score == 100.0


def test_score_weights(version):
    answers = {"S1.1": "yes", "S1.2": "no", "S1.3": 2}
    state = evaluate(version.ordered_items(), answers, photo_codes={"S1.2", "S1.6"})
    # S1.2 fails (weight 3); S1.3 passes (2); the photo item passes (1).
    assert state.score == round(100 * 3 / 6, 1)

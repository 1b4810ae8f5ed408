"""The draw as a pure function: reproducible, eligible, proportional."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lianqi.spotchecks.draw import DrawError, DrawInputs, allocate, run, sample_size
from lianqi.workdays.calendar import add_working_days


def inputs(**changes):
    base = {
        "seed": "a1b2c3",
        "candidates": list(range(1, 41)),
        "inspectors": list(range(100, 110)),
        "per_target": 2,
        "ratio": "25",
    }
    base.update(changes)
    return DrawInputs(**base)


def test_same_seed_and_inputs_give_the_same_result_and_another_seed_another():
    first = run(inputs())
    assert run(inputs()) == first
    assert run(DrawInputs.from_json(inputs().to_json())) == first
    assert run(inputs(seed="other")) != first


def test_ratio_is_honoured_rounding_up():
    assert len(run(inputs(ratio="25"))["targets"]) == 10
    assert len(run(inputs(ratio="2.5"))["targets"]) == 1
    assert len(run(inputs(ratio="26"))["targets"]) == 11  # 10.4 → 11
    assert len(run(inputs(ratio=None, count=7))["targets"]) == 7
    assert sample_size(5, count=9, ratio=None) == 5


def test_conflicts_are_never_drawn():
    conflicts = [[i, c] for i in range(100, 108) for c in range(1, 41)]  # only 108 and 109 are free
    result = run(inputs(conflicts=conflicts))
    for row in result["targets"]:
        assert sorted(row["inspectors"]) == [108, 109]


def test_a_target_without_enough_eligible_inspectors_fails_with_the_reason():
    conflicts = [[i, c] for i in range(100, 109) for c in range(1, 41)]
    with pytest.raises(DrawError) as error:
        run(inputs(conflicts=conflicts))
    assert error.value.code == "not_enough_inspectors"
    assert error.value.details["needed"] == 2 and error.value.details["targets"][0]["eligible"] == 1


def test_stratified_draw_allocates_in_proportion():
    strata = {str(c): ("A" if c <= 30 else "B") for c in range(1, 41)}
    result = run(inputs(strata=strata, ratio="50"))
    counts = {"A": 0, "B": 0}
    for row in result["targets"]:
        counts[row["stratum"]] += 1
    assert counts == {"A": 15, "B": 5}
    assert allocate({"a": 1, "b": 1, "c": 1}, 2) == {"a": 1, "b": 1, "c": 0}


@pytest.mark.django_db
def test_working_days_skip_weekends():
    from datetime import date

    assert add_working_days(date(2024, 5, 3), 1) == date(2024, 5, 6)  # Friday → Monday
    assert add_working_days(date(2024, 5, 6), 20) == date(2024, 6, 3)


@st.composite
def draw_cases(draw):
    candidates = sorted(draw(st.sets(st.integers(1, 400), min_size=1, max_size=25)))
    inspectors = sorted(draw(st.sets(st.integers(1000, 1100), min_size=0, max_size=8)))
    per_target = draw(st.integers(2, 4))
    conflicts = sorted({(i, c) for i in inspectors for c in candidates if draw(st.integers(0, 9)) == 0})
    count = draw(st.one_of(st.none(), st.integers(1, 30)))
    ratio = None if count is not None else str(draw(st.integers(1, 100)))
    seed = draw(st.text(alphabet="0123456789abcdef", min_size=1, max_size=16))
    return DrawInputs(
        seed=seed,
        candidates=candidates,
        inspectors=inspectors,
        per_target=per_target,
        count=count,
        ratio=ratio,
        conflicts=[list(c) for c in conflicts],
    )


@settings(max_examples=300, deadline=None)
@given(draw_cases())
def test_every_target_gets_enough_distinct_eligible_inspectors_or_the_draw_says_why(case):
    conflicts = {tuple(c) for c in case.conflicts}
    try:
        result = run(case)
    except DrawError as error:
        assert error.code == "not_enough_inspectors"
        for short in error.details["targets"]:
            eligible = [i for i in case.inspectors if (i, short["enterprise"]) not in conflicts]
            assert short["eligible"] == len(eligible) < case.per_target
        return
    expected = sample_size(len(case.candidates), count=case.count, ratio=case.ratio)
    assert len(result["targets"]) == expected
    drawn = [row["enterprise"] for row in result["targets"]]
    assert len(set(drawn)) == len(drawn) and set(drawn) <= set(case.candidates)
    for row in result["targets"]:
        chosen = row["inspectors"]
        assert len(chosen) == case.per_target == len(set(chosen))
        assert all(i in case.inspectors and (i, row["enterprise"]) not in conflicts for i in chosen)
    assert run(case) == result

"""Unified social credit codes (GB 32100-2015): real formats, typos, and what pasting does."""

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from lianqi.enterprises import credit_code

REAL_FORMAT = ["91350100M000100Y43", "9144030071526726XG", "91330100799655058B"]


@pytest.mark.parametrize("code", REAL_FORMAT)
def test_real_format_codes_are_valid(code):
    assert credit_code.validate(code) == code


def test_wrong_check_character_is_named():
    with pytest.raises(ValidationError) as error:
        credit_code.validate("91350100M000100Y44")
    assert error.value.code == "check_digit"
    assert "18th" in error.value.messages[0] and "“4”" in error.value.messages[0]


@pytest.mark.parametrize("code", ["91350100M000100Y4", "91350100M000100Y431", "9135"])
def test_wrong_length_says_how_long(code):
    with pytest.raises(ValidationError) as error:
        credit_code.validate(code)
    assert error.value.code == "length"
    assert str(len(code)) in error.value.messages[0]


def test_lower_case_is_normalised():
    assert credit_code.validate("91350100m000100y43") == "91350100M000100Y43"


def test_full_width_characters_spaces_and_hyphens_pasted_from_word_are_normalised():
    pasted = "９１３５０１００Ｍ０００１００Ｙ４３"
    assert credit_code.validate(pasted) == "91350100M000100Y43"
    assert credit_code.validate(" 9144-0300 7152 6726\u200bXG ") == "9144030071526726XG"


def test_a_character_outside_the_alphabet_is_rejected_with_its_position():
    with pytest.raises(ValidationError) as error:
        credit_code.validate("91350100O000100Y43")  # letter O where a zero belongs
    assert error.value.code == "character"
    message = error.value.messages[0]
    assert "9" in message and "“O”" in message


def test_chinese_character_pasted_in_is_rejected_with_its_position():
    with pytest.raises(ValidationError) as error:
        credit_code.validate("91350100M000100号43")
    assert error.value.code == "character" and "16" in error.value.messages[0]


def test_registration_authority_and_division_are_checked():
    with pytest.raises(ValidationError) as error:
        credit_code.validate(credit_code.make("H1350100M000100Y4"))
    assert error.value.code == "authority"
    with pytest.raises(ValidationError) as error:
        credit_code.validate(credit_code.make("9135A100M000100Y4"))
    assert error.value.code == "division"


def test_empty_is_required():
    with pytest.raises(ValidationError) as error:
        credit_code.validate("  ")
    assert error.value.code == "required"


ALPHABET = credit_code.ALPHABET
body = st.tuples(
    st.sampled_from(sorted(credit_code.REGISTRATION_AUTHORITIES)),
    st.sampled_from(ALPHABET),
    st.text(alphabet="0123456789", min_size=6, max_size=6),
    st.text(alphabet=ALPHABET, min_size=9, max_size=9),
).map("".join)


@given(body)
def test_make_always_gives_a_valid_code(first17):
    assert credit_code.is_valid(credit_code.make(first17))


@given(body, st.integers(min_value=0, max_value=17), st.sampled_from(ALPHABET))
def test_any_single_character_substitution_is_detected(first17, position, replacement):
    """The check is mod 31 with weights 3^i (all non-zero mod the prime 31), so changing any one
    character — the check character included — always breaks the code."""
    code = credit_code.make(first17)
    if code[position] == replacement:
        return
    typo = code[:position] + replacement + code[position + 1 :]
    assert not credit_code.is_valid(typo)


@given(body, st.integers(min_value=0, max_value=15))
def test_swapping_two_different_neighbours_is_detected(first17, position):
    code = credit_code.make(first17)
    if code[position] == code[position + 1]:
        return
    swapped = code[:position] + code[position + 1] + code[position] + code[position + 2 :]
    assert not credit_code.is_valid(swapped)

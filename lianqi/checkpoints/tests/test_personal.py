"""ID numbers, phones: validation with clear messages, masking, keyed hashes."""

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from lianqi.checkpoints import personal

from .conftest import ID_A


def test_valid_id_number_is_accepted_and_masked():
    assert personal.normalise_id_number(ID_A) == ID_A
    protected = personal.protect_id(ID_A)
    assert protected.masked == ID_A[:4] + "**********" + ID_A[-4:]
    assert len(protected.hash) == 64 and ID_A not in protected.hash


def test_known_id_with_x_check_digit_accepted_in_lowercase():
    # 11010519491231002X is the standard's published example (check character X).
    assert personal.normalise_id_number("11010519491231002x") == "11010519491231002X"
    assert personal.normalise_id_number(" 110105 19491231 002X ") == "11010519491231002X"


def test_wrong_check_digit_is_refused_with_a_message_that_hides_the_number():
    wrong = ID_A[:17] + ("0" if ID_A[17] != "0" else "1")
    with pytest.raises(ValidationError) as caught, translation.override("en"):
        personal.normalise_id_number(wrong)
    assert caught.value.code == "id_checksum"
    with translation.override("en"):
        assert "check digit" in caught.value.messages[0]
    assert wrong not in caught.value.messages[0]


def test_legacy_15_digit_numbers_are_refused_with_a_message():
    with pytest.raises(ValidationError) as caught, translation.override("en"):
        personal.normalise_id_number("410105900307123")
    assert caught.value.code == "id_legacy"
    with translation.override("en"):
        assert "15-digit" in caught.value.messages[0] and "18-digit" in caught.value.messages[0]


@pytest.mark.parametrize(
    ("value", "code"), [("4101051990", "id_length"), ("41010519900307A23X", "id_format"), ("", "id_length")]
)
def test_other_malformed_numbers(value, code):
    with pytest.raises(ValidationError) as caught:
        personal.normalise_id_number(value)
    assert caught.value.code == code


@given(st.text(alphabet="0123456789", min_size=17, max_size=17))
def test_every_computed_check_digit_validates(first17):
    number = first17 + personal.id_check_character(first17)
    assert personal.normalise_id_number(number) == number
    wrong = next(c for c in "0123456789X" if c != number[17])
    with pytest.raises(ValidationError):
        personal.normalise_id_number(first17 + wrong)


def test_phones_are_normalised_and_masked():
    assert personal.protect_phone("+86 138-1234-5678").masked == "138****5678"
    assert personal.protect_phone("13812345678").hash == personal.protect_phone("+8613812345678").hash
    with pytest.raises(ValidationError) as caught:
        personal.normalise_phone("12345")
    assert caught.value.code == "phone_format"


def test_hash_depends_on_the_secret_key_and_the_kind():
    first = personal.keyed_hash("id", ID_A)
    assert personal.keyed_hash("phone", ID_A) != first
    with override_settings(PERSONAL_DATA_HASH_KEY="another-secret-key-of-at-least-32-chars"):
        assert personal.keyed_hash("id", ID_A) != first


def test_names_masked_for_alerts():
    assert personal.mask_name("张三丰") == "张**"
    assert personal.mask_name("") == ""


def test_hash_key_required_when_debug_is_off(monkeypatch):
    import subprocess
    import sys

    env = {"DEBUG": "false", "SECRET_KEY": "x" * 60, "ALLOWED_HOSTS": "example.org", "PATH": "/usr/bin:/bin"}
    result = subprocess.run(  # noqa: S603
        [
            sys.executable,
            "-c",
            "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='lianqi.settings'; django.setup()",
        ],
        env=env,
        cwd=str(__import__("django.conf").conf.settings.BASE_DIR),
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "PERSONAL_DATA_HASH_KEY" in result.stderr

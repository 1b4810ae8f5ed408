import pytest


@pytest.fixture(autouse=True)
def _english(english):
    """These tests assert English wording of messages."""

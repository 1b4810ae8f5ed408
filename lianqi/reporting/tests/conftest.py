import pytest

from .scenario import build


@pytest.fixture
def city(cast):
    return build(cast)

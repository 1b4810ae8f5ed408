import pytest

from lianqi.reporting.tests.scenario import build


@pytest.fixture
def city(cast):
    return build(cast)

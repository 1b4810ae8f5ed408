import pytest

from lianqi.checkpoints.tests.conftest import checkpoint, guard, post_entry  # noqa: F401 - shared fixtures
from lianqi.hazards.tests.conftest import hazard, in_rectification, photo  # noqa: F401 - shared fixtures


@pytest.fixture(autouse=True)
def _notifications_follow_each_step(on_commit_now):
    """Notification tests look at what each step sends."""

import pytest


@pytest.fixture(autouse=True)
def _notifications_follow_each_step(on_commit_now):
    """Task tests look at the notifications each step sends."""

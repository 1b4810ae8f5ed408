import pytest

from lianqi.checkpoints.tests.conftest import checkpoint, guard, post_entry  # noqa: F401 - shared fixtures
from lianqi.hazards.tests.conftest import hazard, in_rectification, photo  # noqa: F401 - shared fixtures


@pytest.fixture(autouse=True)
def _notifications_follow_each_step(on_commit_now):
    """Notification tests look at what each step sends."""


def reset_broker_pool(app):
    """Drop broker connections so the next use connects to the configured broker."""
    if app._pool is not None:
        app._pool.force_close_all()
        app._pool = None
    # The producer pool wraps the connection pool: drop it too, or it keeps the closed one.
    if getattr(app.amqp, "_producer_pool", None) is not None:
        app.amqp._producer_pool = None

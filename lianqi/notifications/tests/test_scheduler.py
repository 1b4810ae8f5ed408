import pytest
from django.conf import settings

from lianqi.notifications import scheduler

pytestmark = pytest.mark.django_db


def test_each_slot_runs_once_even_with_two_schedulers():
    now = 1_800_000_000.0
    first = scheduler.run_due(now)
    second = scheduler.run_due(now + 1)  # another scheduler, same slots
    assert set(first) == set(settings.CELERY_BEAT_SCHEDULE)
    assert second == []
    assert "retry-webhooks" in scheduler.run_due(now + 61)  # its next minute


def test_command_once(capsys):
    from django.core.management import call_command

    call_command("run_scheduler", "--once")
    assert "ran:" in capsys.readouterr().out

"""Two officials act on the same hazard at the same moment: exactly one wins."""

import threading

import pytest
from django.db import connection, connections

from lianqi.hazards.choices import HazardStatus
from lianqi.hazards.models import Hazard
from lianqi.hazards.workflow import HAZARD_WORKFLOW
from lianqi.workflows.engine import WorkflowError
from lianqi.workflows.models import TimelineEntry

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _needs_postgres():
    if connection.vendor != "postgresql":
        pytest.skip("row locks (SELECT … FOR UPDATE) are tested on PostgreSQL")


def test_accept_and_return_at_the_same_moment(in_rectification, cast, photo):
    hazard = HAZARD_WORKFLOW.perform(
        in_rectification, "submit_rectification", actor=cast.enterprise_user, note="done", photos=[photo()]
    )
    version = hazard.version
    barrier = threading.Barrier(2)
    outcomes = {}

    def run(name, actor, **data):
        try:
            barrier.wait(timeout=10)
            HAZARD_WORKFLOW.perform(hazard.pk, name, actor=actor, expected_version=version, **data)
            outcomes[name] = "ok"
        except WorkflowError as error:
            outcomes[name] = error.code
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=run, args=("accept", cast.dept_a), kwargs={"note": "ok", "photos": [photo()]}),
        threading.Thread(target=run, args=("return", cast.inspector_a), kwargs={"note": "not yet"}),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(outcomes.values()) == ["ok", "stale"], outcomes
    final = Hazard.objects.get(pk=hazard.pk)
    winner = next(name for name, outcome in outcomes.items() if outcome == "ok")
    assert final.status == (HazardStatus.CLOSED if winner == "accept" else HazardStatus.RETURNED)
    assert final.version == version + 1
    assert TimelineEntry.objects.filter(object_id=hazard.pk, action__in=["accept", "return"]).count() == 1


def test_without_a_version_the_second_finds_the_state_changed(in_rectification, cast, photo):
    hazard = HAZARD_WORKFLOW.perform(
        in_rectification, "submit_rectification", actor=cast.enterprise_user, note="done", photos=[photo()]
    )
    barrier = threading.Barrier(2)
    outcomes = []

    def run(name, actor, **data):
        try:
            barrier.wait(timeout=10)
            HAZARD_WORKFLOW.perform(hazard.pk, name, actor=actor, **data)
            outcomes.append("ok")
        except WorkflowError as error:
            outcomes.append(error.code)
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=run, args=("accept", cast.dept_a), kwargs={"note": "ok", "photos": [photo()]}),
        threading.Thread(target=run, args=("accept", cast.inspector_a), kwargs={"note": "ok", "photos": [photo()]}),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) == ["ok", "wrong_state"]
    assert TimelineEntry.objects.filter(object_id=hazard.pk, action="accept").count() == 1

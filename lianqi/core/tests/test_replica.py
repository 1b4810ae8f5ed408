"""Read replica: with a second real PostgreSQL database configured as ``replica`` and holding
different figures, the dashboard and the rate statistics read there; writes, transactions and
code that did not opt in stay on the primary."""

import pytest
import time_machine
from django.db import connection, connections, transaction

from lianqi.core.replica import REPLICA, ReplicaRouter, read_alias, replica_reads
from lianqi.dashboards.data import dashboard_data
from lianqi.enterprises.models import Enterprise
from lianqi.reporting import rates
from lianqi.reporting.models import DailyRollup
from lianqi.reporting.tests.scenario import D1, D3, EVENING_D3, build

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def city(cast):
    return build(cast)


@pytest.fixture
def replica(city):
    """A copy of the test database, made after the scenario is built, as the replica."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL")
    with time_machine.travel(EVENING_D3, tick=False):
        rates.ensure_built(D1, D3)  # the rollups exist on the primary before the copy
    primary = connection.settings_dict
    name = f"{primary['NAME']}_replica"
    connection.close()  # a template database must have no other session
    with connection._nodb_cursor() as cursor:
        # Nor may sessions that earlier tests' servers and workers left to time out hold it.
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
            [primary["NAME"]],
        )
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}" TEMPLATE "{primary["NAME"]}"')
    connections.settings[REPLICA] = {**primary, "NAME": name}
    # Connect at once: the test case only lets the aliases it was set up with connect lazily.
    connections[REPLICA].connect()
    try:
        yield name
    finally:
        connections[REPLICA].close()
        del connections[REPLICA]
        del connections.settings[REPLICA]
        with connection._nodb_cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')


def _on_replica(sql, params=()):
    with connections[REPLICA].cursor() as cursor:
        cursor.execute(sql, params)


def test_dashboard_and_statistics_read_the_replica(city, replica, client, as_token):
    # The replica says nobody resumed on D3; the primary says everybody did (100.0).
    _on_replica("UPDATE reporting_dailyrollup SET resumed = 0, key_resumed = 0 WHERE date = %s", [D3])
    with time_machine.travel(EVENING_D3, tick=False):
        node = city.cast.city
        assert dashboard_data(node, city.cast.office)["rates"]["resumption_rate"] == 0.0
        client.force_login(city.cast.office)
        page = client.get("/dashboard/").content.decode()
        block = page[page.index('data-testid="rate-resumption_rate"') :][:400]
        assert "0.0" in block and "100.0" not in block
        api = as_token(city.cast.office)
        body = api.get(f"/api/v1/stats/resumption/?jurisdiction={node.pk}&from={D3}&to={D3}").json()
        assert body["total"]["resumption_rate"] == 0.0

        # Code that did not opt in reads the primary.
        assert rates.resumption(node, D3, D3)["total"]["resumption_rate"] == 100.0
        # Inside a transaction the primary is read even where code opted in (it must see its writes).
        with transaction.atomic():
            assert dashboard_data(node, city.cast.office)["rates"]["resumption_rate"] == 100.0
        # Raw SQL follows the same choice.
        with replica_reads():
            assert rates.resumption(node, D3, D3, source="rollup")["total"]["resumption_rate"] == 0.0
            assert read_alias() == REPLICA


def test_writes_inside_a_replica_block_go_to_the_primary(city, replica):
    enterprise = city.a
    with replica_reads():
        loaded = Enterprise.objects.get(pk=enterprise.pk)
        assert loaded._state.db == REPLICA
        loaded.name = "写到主库的名称"
        loaded.save(update_fields=["name"])
        Enterprise.objects.filter(pk=enterprise.pk).update(address="主库地址")
    assert Enterprise.objects.using("default").get(pk=enterprise.pk).name == "写到主库的名称"
    assert Enterprise.objects.using("default").get(pk=enterprise.pk).address == "主库地址"
    on_replica = Enterprise.objects.using(REPLICA).get(pk=enterprise.pk)
    assert on_replica.name != "写到主库的名称" and on_replica.address != "主库地址"
    assert ReplicaRouter().allow_migrate(REPLICA, "enterprises") is False
    assert ReplicaRouter().allow_migrate("default", "enterprises") is True


def test_without_a_replica_everything_reads_the_primary(city):
    assert REPLICA not in connections.settings
    with replica_reads():
        assert read_alias() == "default"
        with time_machine.travel(EVENING_D3, tick=False):
            assert dashboard_data(city.cast.city, city.cast.office)["rates"]["resumption_rate"] == 100.0
    assert DailyRollup.objects.filter(date=D3).exists()

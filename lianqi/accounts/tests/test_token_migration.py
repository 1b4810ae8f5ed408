"""Tokens issued before they were stored hashed (rest_framework.authtoken kept the keys in
clear) keep working after the migration, and the clear keys are gone from the database."""

import hashlib

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from lianqi.accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

KEY = "0123456789abcdef0123456789abcdef01234567"


def migrate(target):
    MigrationExecutor(connection).migrate([("accounts", target)])


def test_clear_keys_become_hashes_and_their_table_is_dropped(client):
    user = UserFactory(username="old-integration")
    migrate("0003_membership_enterprise")
    with connection.cursor() as cursor:
        # The table as rest_framework.authtoken created it, with one token issued back then.
        cursor.execute(
            "CREATE TABLE authtoken_token (key varchar(40) PRIMARY KEY, created timestamp with time zone NOT NULL,"
            " user_id bigint NOT NULL UNIQUE)"
        )
        cursor.execute("INSERT INTO authtoken_token VALUES (%s, %s, %s)", [KEY, timezone.now(), user.pk])
        cursor.execute(
            "INSERT INTO django_migrations (app, name, applied) VALUES ('authtoken', '0001_initial', %s)",
            [timezone.now()],
        )
    migrate("0004_api_tokens")

    tables = connection.introspection.table_names()
    assert "authtoken_token" not in tables
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM django_migrations WHERE app = 'authtoken'")
        assert cursor.fetchone()[0] == 0
        cursor.execute("SELECT user_id, key_hash, prefix FROM accounts_apitoken")
        assert cursor.fetchall() == [(user.pk, hashlib.sha256(KEY.encode()).hexdigest(), KEY[:6])]
    response = client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {KEY}")
    assert response.status_code == 200 and response.json()["username"] == "old-integration"

"""Backup and restore: a restore reproduces the database exactly and the uploaded files byte for
byte; damaged archives, archives from a newer schema and targets that hold data are refused."""

import dataclasses
import io
import sqlite3
import tarfile
import uuid
from pathlib import Path
from urllib.parse import quote

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.test.utils import override_settings

from lianqi.core.backup import Database, read_manifest

# --- Helpers -------------------------------------------------------------------------------


def pg_url(database: Database) -> str:
    credentials = quote(database.user, safe="") + (f":{quote(database.password, safe='')}" if database.password else "")
    return f"postgres://{credentials}@{database.host or 'localhost'}:{database.port or 5432}/{quote(database.name)}"


def run(command, *args):
    out = io.StringIO()
    call_command(command, *[str(arg) for arg in args], stdout=out)
    return out.getvalue()


def only_archive(directory: Path) -> Path:
    archives = sorted(directory.glob("lianqi-*.tar"))
    assert len(archives) == 1, archives
    return archives[0]


def back_up_sqlite(source: Path, tmp_path: Path, *extra, media: Path | None = None) -> str:
    """``manage.py backup`` of a SQLite file into ``tmp_path / "b"``; returns what it printed."""
    return run(
        "backup",
        "--database-url",
        f"sqlite:///{source}",
        "--media-root",
        media or tmp_path / "m",
        "--output-dir",
        tmp_path / "b",
        *extra,
    )


def files_of(root: Path) -> dict[str, bytes]:
    return {path.relative_to(root).as_posix(): path.read_bytes() for path in sorted(root.rglob("*")) if path.is_file()}


def rewrite_part(archive: Path, name: str, change) -> None:
    """Rewrite one member of an archive (to damage it), keeping the manifest as it was."""
    with tarfile.open(archive) as source:
        members = [(member, source.extractfile(member).read()) for member in source.getmembers()]
    with tarfile.open(archive, "w") as target:
        for member, data in members:
            if member.name == name:
                data = change(data)
                member.size = len(data)
            target.addfile(member, io.BytesIO(data))


def table_fingerprints(database: Database) -> dict[str, tuple[int, str]]:
    """Every table's row count and the md5 of all its rows in a fixed order: equal means equal data."""
    with database.pg_connect(autocommit=True) as pg, pg.cursor() as cursor:
        cursor.execute(
            "SELECT format('%I.%I', schemaname, tablename) FROM pg_tables "
            "WHERE schemaname NOT IN ('pg_catalog', 'information_schema') ORDER BY 1"
        )
        tables = [row[0] for row in cursor.fetchall()]
        fingerprints = {}
        for table in tables:
            cursor.execute(
                f"SELECT count(*), md5(coalesce(string_agg(t::text, ',' ORDER BY t::text COLLATE \"C\"), '')) FROM {table} t"  # noqa: S608 - names from the catalogue
            )
            fingerprints[table] = cursor.fetchone()
    return fingerprints


def schema(database: Database) -> dict[str, list]:
    """Columns, constraints and indexes from the catalogue. (Not pg_dump's text: PostgreSQL may
    print a restored CHECK expression in an equivalent but different form.)"""
    queries = {
        "columns": "SELECT table_schema, table_name, column_name, data_type, is_nullable, column_default, "
        "is_identity, character_maximum_length, numeric_precision FROM information_schema.columns "
        "WHERE table_schema NOT IN ('pg_catalog', 'information_schema') ORDER BY 1, 2, 3",
        "constraints": "SELECT conrelid::regclass::text, conname, contype, confrelid::regclass::text, "
        "condeferrable, condeferred FROM pg_constraint WHERE connamespace = 'public'::regnamespace ORDER BY 1, 2",
        "indexes": "SELECT schemaname, tablename, indexname, indexdef FROM pg_indexes "
        "WHERE schemaname NOT IN ('pg_catalog', 'information_schema') ORDER BY 1, 2, 3",
    }
    with database.pg_connect(autocommit=True) as pg, pg.cursor() as cursor:
        return {name: cursor.execute(query).fetchall() for name, query in queries.items()}


def sequences(database: Database) -> dict[str, int | None]:
    with database.pg_connect(autocommit=True) as pg, pg.cursor() as cursor:
        cursor.execute("SELECT schemaname || '.' || sequencename, last_value FROM pg_sequences ORDER BY 1")
        return dict(cursor.fetchall())


# --- PostgreSQL ----------------------------------------------------------------------------


@pytest.fixture
def source_database():
    if connection.vendor != "postgresql":
        pytest.skip("pg_dump/pg_restore are tested on PostgreSQL")
    return Database.from_settings(connection.settings_dict)


@pytest.fixture
def fresh_database(source_database):
    """A new, empty database beside the test database, dropped afterwards."""
    target = dataclasses.replace(source_database, name=f"{source_database.name}_restore_{uuid.uuid4().hex[:8]}")
    with source_database.pg_connect(autocommit=True) as pg:
        pg.execute(f'CREATE DATABASE "{target.name}"')
    yield target
    with source_database.pg_connect(autocommit=True) as pg:
        pg.execute(f'DROP DATABASE IF EXISTS "{target.name}" WITH (FORCE)')


@pytest.fixture
def demo_city(source_database, settings, tmp_path):
    """The demo city (every module's data, audit history, photos and documents) with its files in tmp."""
    settings.MEDIA_ROOT = tmp_path / "media"
    with override_settings(DEBUG=True):  # the test runner turns DEBUG off; seed_demo needs it on
        call_command("seed_demo", stdout=io.StringIO())
    # A file whose name and place need care: non-ASCII, spaces, nested.
    odd = settings.MEDIA_ROOT / "evidence" / "2026" / "整改 照片"
    odd.mkdir(parents=True)
    (odd / "现场 (1).bin").write_bytes(bytes(range(256)) * 64)


@pytest.mark.usefixtures("demo_city")
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_restore_into_a_fresh_database_reproduces_it_exactly(settings, tmp_path, source_database, fresh_database):
    from lianqi.checkpoints.models import Entry
    from lianqi.enterprises.models import Enterprise
    from lianqi.hazards.models import Hazard
    from lianqi.reporting.models import DailyReport
    from lianqi.workflows.models import Attachment

    output = run("backup", "--output-dir", tmp_path / "backups")
    archive = only_archive(tmp_path / "backups")
    assert f"Backup written to {archive}" in output
    assert archive.stat().st_mode & 0o077 == 0  # personal data: owner only

    manifest = read_manifest(archive)
    # The data spans the modules: registry, hazards with evidence, checkpoint entries, daily
    # reports, the audit history, uploaded files.
    for model in (Enterprise, Enterprise.history.model, Hazard, Attachment, Entry, DailyReport):
        assert manifest["tables"][model._meta.db_table] == model.objects.count() > 0, model
    assert manifest["media"]["files"] == len(files_of(settings.MEDIA_ROOT)) > Attachment.objects.count()
    assert manifest["migrations"]["hazards"] == manifest["applied_migrations"]["hazards"][-1]
    assert manifest["database"]["engine"] == "postgresql"

    restored_media = tmp_path / "restored-media"
    output = run("restore", archive, "--database-url", pg_url(fresh_database), "--media-root", restored_media)
    assert "every table's row count matches" in output

    # Exactly: every table, every row, every column; sequences where they were; files byte for byte.
    before, after = table_fingerprints(source_database), table_fingerprints(fresh_database)
    assert len(before) > 100
    assert after == before
    assert sequences(fresh_database) == sequences(source_database)
    assert any(value for value in sequences(source_database).values())
    assert files_of(restored_media) == files_of(settings.MEDIA_ROOT)
    assert schema(fresh_database) == schema(source_database)  # constraints and indexes too
    assert {"c", "f", "p", "u"} <= {row[2] for row in schema(source_database)["constraints"]}

    # Restoring again over what is now a database with data is refused, and changes nothing …
    with fresh_database.pg_connect(autocommit=True) as pg:
        pg.execute(f"DELETE FROM {Hazard.history.model._meta.db_table}")  # noqa: S608
    (restored_media / "stray.txt").write_text("not from the archive")
    with pytest.raises(CommandError) as refused:
        run("restore", archive, "--database-url", pg_url(fresh_database), "--media-root", restored_media)
    message = str(refused.value)
    assert "not empty" in message and "--force" in message and "Nothing was restored" in message
    assert str(restored_media) in message
    assert table_fingerprints(fresh_database)[f"public.{Hazard.history.model._meta.db_table}"][0] == 0
    assert (restored_media / "stray.txt").exists()

    # … unless forced: then it is exact again, and stray files are gone.
    run("restore", archive, "--database-url", pg_url(fresh_database), "--media-root", restored_media, "--force")
    assert table_fingerprints(fresh_database) == before
    assert sequences(fresh_database) == sequences(source_database)
    assert files_of(restored_media) == files_of(settings.MEDIA_ROOT)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_damaged_archive_is_refused_before_anything_changes(settings, tmp_path, cast, fresh_database):
    settings.MEDIA_ROOT = tmp_path / "media"
    (settings.MEDIA_ROOT / "evidence").mkdir(parents=True)
    (settings.MEDIA_ROOT / "evidence" / "photo.jpg").write_bytes(b"\xff\xd8 not really a photo")
    run("backup", "--output-dir", tmp_path / "backups")
    archive = only_archive(tmp_path / "backups")

    # Intact: --check reads every part and says so, without touching the target.
    assert "The archive is intact" in run("restore", archive, "--check", "--database-url", pg_url(fresh_database))

    def flip_a_byte(data: bytes) -> bytes:
        middle = len(data) // 2
        return data[:middle] + bytes([data[middle] ^ 0xFF]) + data[middle + 1 :]

    rewrite_part(archive, "database.dump", flip_a_byte)
    restored_media = tmp_path / "restored-media"
    with pytest.raises(
        CommandError, match=r"damaged: the checksum of database\.dump is [0-9a-f]{64}, the manifest says"
    ):
        run("restore", archive, "--database-url", pg_url(fresh_database), "--media-root", restored_media)
    assert table_fingerprints(fresh_database) == {}  # still empty
    assert not restored_media.exists()
    assert not list(archive.parent.glob(".lianqi-restore-*"))  # no leftovers of the attempt

    with pytest.raises(CommandError, match="is not a Lianqi backup archive"):
        run("restore", tmp_path / "media" / "evidence" / "photo.jpg", "--database-url", pg_url(fresh_database))


@pytest.mark.postgres
@pytest.mark.django_db
def test_a_sqlite_archive_is_not_restored_into_postgresql(tmp_path, source_database, sqlite_source):
    back_up_sqlite(sqlite_source, tmp_path, media=tmp_path / "none")
    with pytest.raises(CommandError, match="holds a sqlite database; the target is a PostgreSQL database"):
        run("restore", only_archive(tmp_path / "b"), "--no-media")


# --- SQLite (the embedded default) ---------------------------------------------------------


@pytest.fixture
def sqlite_source(tmp_path) -> Path:
    """A small SQLite database recording this code's migrations, with awkward data."""
    path = tmp_path / "lianqi.sqlite3"
    db = sqlite3.connect(path)
    db.execute(
        "CREATE TABLE django_migrations (id integer PRIMARY KEY AUTOINCREMENT, app varchar(255) NOT NULL, "
        "name varchar(255) NOT NULL, applied datetime NOT NULL)"
    )
    db.executemany(
        "INSERT INTO django_migrations (app, name, applied) VALUES (?, ?, '2026-01-01 00:00:00')",
        sorted(MigrationLoader(None, ignore_no_migrations=True).disk_migrations),
    )
    db.execute("CREATE TABLE notes (id integer PRIMARY KEY AUTOINCREMENT, body text, blob blob, score real)")
    db.executemany(
        "INSERT INTO notes (body, blob, score) VALUES (?, ?, ?)",
        [("隐患整改完成", b"\x00\x01\xff", 37.3), ("", None, None), ("line\nbreak, 'quotes'", b"", -1.5)],
    )
    db.execute("DELETE FROM notes WHERE id = 2")  # the sequence stays ahead of the rows
    db.commit()
    db.close()
    return path


def test_sqlite_backup_and_restore(tmp_path, sqlite_source):
    media = tmp_path / "media"
    (media / "hazards").mkdir(parents=True)
    (media / "hazards" / "照片.jpg").write_bytes(b"\xff\xd8\xff" + bytes(1000))
    (media / "hazards" / "link.jpg").symlink_to(sqlite_source)  # links are not uploads: left out
    back_up_sqlite(sqlite_source, tmp_path, media=media)
    archive = only_archive(tmp_path / "b")
    manifest = read_manifest(archive)
    assert manifest["database"]["engine"] == "sqlite"
    assert manifest["tables"]["notes"] == 2
    assert manifest["media"] == {"files": 1, "bytes": 1003}

    restored = tmp_path / "restored" / "lianqi.sqlite3"
    output = run(
        "restore", archive, "--database-url", f"sqlite:///{restored}", "--media-root", tmp_path / "restored-media"
    )
    assert "every table's row count matches" in output
    assert "run `manage.py migrate`" not in output  # same migrations as this code
    original, copy = sqlite3.connect(sqlite_source), sqlite3.connect(restored)
    assert list(copy.iterdump()) == list(original.iterdump())  # schema, rows and sqlite_sequence
    assert files_of(tmp_path / "restored-media") == {"hazards/照片.jpg": b"\xff\xd8\xff" + bytes(1000)}

    # Over a database that now holds data: refused unless --force.
    copy.execute("DELETE FROM notes")
    copy.commit()
    with pytest.raises(CommandError, match=r"SQLite file .* is not empty \(2 tables\).*--force"):
        run("restore", archive, "--database-url", f"sqlite:///{restored}", "--no-media")
    assert copy.execute("SELECT count(*) FROM notes").fetchone() == (0,)
    run("restore", archive, "--database-url", f"sqlite:///{restored}", "--no-media", "--force")
    assert list(copy.iterdump()) == list(original.iterdump())
    copy.close()
    original.close()


def test_an_archive_from_a_newer_schema_is_refused(tmp_path, sqlite_source):
    db = sqlite3.connect(sqlite_source)
    db.execute(
        "INSERT INTO django_migrations (app, name, applied) VALUES ('hazards', '9999_from_a_newer_version', '2027-01-01')"
    )
    db.commit()
    db.close()
    back_up_sqlite(sqlite_source, tmp_path)
    archive = only_archive(tmp_path / "b")
    assert read_manifest(archive)["migrations"]["hazards"] == "9999_from_a_newer_version"
    target = tmp_path / "target.sqlite3"
    with pytest.raises(CommandError, match=r"newer version of Lianqi.*hazards\.9999_from_a_newer_version"):
        run("restore", archive, "--database-url", f"sqlite:///{target}", "--no-media")
    assert not target.exists()


def test_an_older_archive_restores_and_asks_for_migrate(tmp_path, sqlite_source):
    db = sqlite3.connect(sqlite_source)
    db.execute("DELETE FROM django_migrations WHERE id = (SELECT max(id) FROM django_migrations)")
    db.commit()
    db.close()
    back_up_sqlite(sqlite_source, tmp_path)
    output = run(
        "restore", only_archive(tmp_path / "b"), "--database-url", f"sqlite:///{tmp_path / 't.sqlite3'}", "--no-media"
    )
    assert "predates 1 migrations of this code" in output and "manage.py migrate" in output


def test_keep_removes_the_oldest_archives(tmp_path, sqlite_source):
    backups = tmp_path / "b"
    backups.mkdir()
    for stamp in ("20260101T000000Z", "20260102T000000Z", "20260103T000000Z"):
        (backups / f"lianqi-{stamp}.tar").write_bytes(b"old")
    output = back_up_sqlite(sqlite_source, tmp_path, "--keep", "2")
    left = sorted(path.name for path in backups.glob("lianqi-*.tar"))
    assert left[0] == "lianqi-20260103T000000Z.tar" and len(left) == 2
    assert "Removed the old archive lianqi-20260101T000000Z.tar" in output
    with pytest.raises(CommandError, match="--keep must be"):
        run("backup", "--keep", "-1")


def test_backup_of_a_missing_database_says_so(tmp_path):
    with pytest.raises(CommandError, match="does not exist"):
        run("backup", "--database-url", f"sqlite:///{tmp_path / 'nothing.sqlite3'}", "--output-dir", tmp_path / "b")
    assert not list((tmp_path / "b").iterdir())  # no half-written archive or work directory


def test_a_restore_that_comes_out_short_fails_loudly(tmp_path, sqlite_source, monkeypatch):
    from lianqi.core import backup

    back_up_sqlite(sqlite_source, tmp_path)
    restore_sqlite = backup._restore_sqlite

    def loses_a_row(database, copy):  # as if the copy had silently lost data on the way
        restore_sqlite(database, copy)
        with sqlite3.connect(database.name) as db:
            db.execute("DELETE FROM notes WHERE id = 1")

    monkeypatch.setattr(backup, "_restore_sqlite", loses_a_row)
    with pytest.raises(CommandError, match=r"does not match the archive:\n  notes: 1 rows, the archive has 2"):
        run(
            "restore",
            only_archive(tmp_path / "b"),
            "--database-url",
            f"sqlite:///{tmp_path / 't.sqlite3'}",
            "--no-media",
        )

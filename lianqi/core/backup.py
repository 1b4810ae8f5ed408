"""Backup and restore of an installation: the database and the uploaded files in one archive.

An archive is a plain tar file ``lianqi-YYYYMMDDTHHMMSSZ.tar`` holding

- ``manifest.json`` — format, time, engine and versions, migration state (the latest applied
  migration of each app, and every applied one), the row count of each table, and the size and
  sha256 of each other part;
- ``database.dump`` (PostgreSQL, ``pg_dump --format=custom``) or ``database.sqlite3`` (SQLite,
  copied with SQLite's online backup API);
- ``media.tar`` — every file under MEDIA_ROOT (uploaded photos, evidence, generated bulletins).

The counts and the migration state describe exactly what the dump holds, even while the site is
in use: on PostgreSQL they are read in a snapshot that pg_dump then shares (``--snapshot``); on
SQLite they are read from the copy.

A restore checks the checksums and the migration state before it changes anything, refuses a
target that already holds data unless forced, restores the database in one transaction
(PostgreSQL) or with the backup API (SQLite), puts the files back, and then compares every
table's row count with the manifest.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings

FORMAT = "lianqi-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
MEDIA_PART = "media.tar"
DATABASE_PART = {"postgresql": "database.dump", "sqlite": "database.sqlite3"}
ARCHIVE_GLOB = "lianqi-*.tar"
CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup or restore that cannot go on; the message tells the operator what to do."""


def _nothing(message: str) -> None:
    pass


# --- Databases -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Database:
    """A database to back up or restore into, from a Django DATABASES entry."""

    vendor: str  # "postgresql" or "sqlite"
    name: str
    user: str = ""
    password: str = ""
    host: str = ""
    port: str = ""

    @classmethod
    def from_settings(cls, entry: dict) -> Database:
        engine = entry.get("ENGINE", "")
        if engine.endswith("postgresql"):
            return cls(
                vendor="postgresql",
                name=str(entry["NAME"]),
                user=entry.get("USER") or "",
                password=entry.get("PASSWORD") or "",
                host=entry.get("HOST") or "",
                port=str(entry.get("PORT") or ""),
            )
        if engine.endswith("sqlite3"):
            return cls(vendor="sqlite", name=str(entry["NAME"]))
        raise BackupError(f"Backups support PostgreSQL and SQLite, not {engine or 'this database engine'}.")

    @classmethod
    def from_url(cls, url: str) -> Database:
        from django.core.exceptions import ImproperlyConfigured

        from lianqi.core.env import database_from_url

        try:
            return cls.from_settings(database_from_url(url))
        except ImproperlyConfigured as error:
            raise BackupError(str(error).replace("DATABASE_URL", "--database-url")) from None

    def __str__(self) -> str:
        if self.vendor == "sqlite":
            return f"SQLite file {self.name}"
        where = f"{self.host or 'localhost'}:{self.port or 5432}"
        return f"PostgreSQL database {self.name} on {where}"

    # PostgreSQL connection details go to the client programs through the environment, so a
    # password never shows in the process list.
    def pg_env(self) -> dict[str, str]:
        env = dict(os.environ)
        for key, value in (
            ("PGDATABASE", self.name),
            ("PGUSER", self.user),
            ("PGPASSWORD", self.password),
            ("PGHOST", self.host),
            ("PGPORT", self.port),
        ):
            if value:
                env[key] = value
        return env

    def pg_connect(self, **options):
        import psycopg

        params = {"dbname": self.name, "user": self.user, "password": self.password, "host": self.host}
        params["port"] = self.port
        try:
            return psycopg.connect(**{k: v for k, v in params.items() if v}, **options)
        except psycopg.OperationalError as error:
            raise BackupError(f"Cannot connect to the {self}: {str(error).strip()}") from None


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


_PG_TABLES = """
    SELECT n.nspname, c.relname
    FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
    WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition
      AND n.nspname NOT IN ('pg_catalog', 'information_schema')
      AND n.nspname NOT LIKE 'pg\\_toast%%' AND n.nspname NOT LIKE 'pg\\_temp%%'
    ORDER BY 1, 2
"""


def _pg_tables(cursor) -> list[tuple[str, str]]:
    """(label, quoted name) of every ordinary and partitioned table; partitions count in their parent."""
    cursor.execute(_PG_TABLES)
    return [
        (name if schema == "public" else f"{schema}.{name}", f"{_quote(schema)}.{_quote(name)}")
        for schema, name in cursor.fetchall()
    ]


def _sqlite_tables(connection: sqlite3.Connection) -> list[tuple[str, str]]:
    rows = connection.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name"
    ).fetchall()
    return [(name, _quote(name)) for (name,) in rows]


def _count_rows(cursor, tables: list[tuple[str, str]]) -> dict[str, int]:
    counts = {}
    for label, quoted in tables:
        cursor.execute(f"SELECT count(*) FROM {quoted}")  # noqa: S608 - names come from the catalogue, quoted
        counts[label] = cursor.fetchone()[0]
    return counts


def _applied_migrations(cursor, tables: list[tuple[str, str]]) -> dict[str, list[str]]:
    if "django_migrations" not in {label for label, _ in tables}:
        return {}
    cursor.execute("SELECT app, name FROM django_migrations ORDER BY id")
    applied: dict[str, list[str]] = {}
    for app, name in cursor.fetchall():
        applied.setdefault(app, []).append(name)
    return applied


def _latest(applied: dict[str, list[str]]) -> dict[str, str]:
    return {app: names[-1] for app, names in sorted(applied.items())}


def database_state(database: Database) -> dict:
    """Tables with their row counts, and applied migrations, as they are now."""
    if database.vendor == "postgresql":
        with database.pg_connect(autocommit=True) as connection, connection.cursor() as cursor:
            tables = _pg_tables(cursor)
            return {"tables": _count_rows(cursor, tables), "applied": _applied_migrations(cursor, tables)}
    if not Path(database.name).exists():
        return {"tables": {}, "applied": {}}
    connection = sqlite3.connect(f"file:{database.name}?mode=ro", uri=True)
    try:
        tables = _sqlite_tables(connection)
        cursor = connection.cursor()
        return {"tables": _count_rows(cursor, tables), "applied": _applied_migrations(cursor, tables)}
    finally:
        connection.close()


def _program(name: str) -> str:
    path = shutil.which(name)
    if not path:
        raise BackupError(
            f"{name} was not found. Install the PostgreSQL client programs of the server's major version "
            "(Debian: apt-get install postgresql-client) and make sure they are on PATH."
        )
    return path


def _run(command: list[str], env: dict[str, str], what: str) -> None:
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603 - fixed program, no shell
    if result.returncode != 0:
        detail = (result.stderr or result.stdout).strip()
        raise BackupError(f"{what} failed (exit {result.returncode}):\n{detail}")


def _dump_postgresql(database: Database, target: Path) -> dict:
    """pg_dump in the snapshot the counts are read from; returns the state it holds."""
    import psycopg

    pg_dump = _program("pg_dump")
    version = subprocess.run([pg_dump, "--version"], capture_output=True, text=True, check=True).stdout.strip()  # noqa: S603
    connection = database.pg_connect(autocommit=False)
    try:
        connection.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
        connection.read_only = True
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_export_snapshot(), current_setting('server_version')")
            snapshot, server_version = cursor.fetchone()
            tables = _pg_tables(cursor)
            counts = _count_rows(cursor, tables)
            applied = _applied_migrations(cursor, tables)
            _run(
                [pg_dump, "--format=custom", "--no-password", f"--snapshot={snapshot}", f"--file={target}"],
                database.pg_env(),
                "pg_dump",
            )
        connection.rollback()
    finally:
        connection.close()
    return {"tables": counts, "applied": applied, "server_version": server_version, "dump_program": version}


def _copy_sqlite(source: str, target: str) -> None:
    source_connection = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    target_connection = sqlite3.connect(target)
    try:
        source_connection.backup(target_connection)
    finally:
        target_connection.close()
        source_connection.close()


def _dump_sqlite(database: Database, target: Path) -> dict:
    if not Path(database.name).exists():
        raise BackupError(f"The {database} does not exist.")
    _copy_sqlite(database.name, str(target))
    copy = sqlite3.connect(str(target))
    try:
        tables = _sqlite_tables(copy)
        cursor = copy.cursor()
        counts = _count_rows(cursor, tables)
        applied = _applied_migrations(cursor, tables)
    finally:
        copy.close()
    return {"tables": counts, "applied": applied, "server_version": f"SQLite {sqlite3.sqlite_version}"}


# --- Files ---------------------------------------------------------------------------------


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _media_files(root: Path) -> list[Path]:
    if not root.is_dir():
        return []
    found = []
    for directory, subdirectories, names in os.walk(root):
        subdirectories.sort()
        for name in sorted(names):
            path = Path(directory) / name
            if path.is_file() and not path.is_symlink():  # regular files only; links could point anywhere
                found.append(path)
    return found


def _tar_media(root: Path, target: Path) -> dict:
    files = _media_files(root)
    with tarfile.open(target, "w", format=tarfile.PAX_FORMAT) as archive:
        for path in files:
            archive.add(path, arcname=path.relative_to(root).as_posix(), recursive=False)
    return {"files": len(files), "bytes": sum(path.stat().st_size for path in files)}


def _version() -> str:
    try:
        with (Path(settings.BASE_DIR) / "pyproject.toml").open("rb") as handle:
            return tomllib.load(handle)["project"]["version"]
    except (OSError, KeyError, tomllib.TOMLDecodeError):
        return "unknown"


# --- Backup --------------------------------------------------------------------------------


@dataclass
class BackupResult:
    path: Path
    manifest: dict
    removed: list[Path] = field(default_factory=list)


def create_backup(
    *,
    database: Database,
    media_root: Path,
    backup_dir: Path,
    keep: int = 0,
    log: Callable[[str], None] = _nothing,
) -> BackupResult:
    """Write one archive of the database and the uploaded files into ``backup_dir``.

    ``keep`` > 0 then removes all but the newest ``keep`` archives of that directory.
    """
    backup_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    now = dt.datetime.now(dt.UTC)
    stamp = now.strftime("%Y%m%dT%H%M%SZ")
    path = backup_dir / f"lianqi-{stamp}.tar"
    if path.exists():
        raise BackupError(f"{path} already exists; wait a second and run the backup again.")
    work = Path(tempfile.mkdtemp(prefix=f".lianqi-{stamp}-", dir=backup_dir))
    try:
        database_part = DATABASE_PART[database.vendor]
        log(f"Dumping the {database} …")
        if database.vendor == "postgresql":
            state = _dump_postgresql(database, work / database_part)
        else:
            state = _dump_sqlite(database, work / database_part)
        log(f"Collecting the uploaded files under {media_root} …")
        media = _tar_media(media_root, work / MEDIA_PART)
        parts = {
            name: {"bytes": (work / name).stat().st_size, "sha256": _sha256(work / name)}
            for name in (database_part, MEDIA_PART)
        }
        manifest = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "lianqi_version": _version(),
            "created_at": now.isoformat(timespec="seconds"),
            "database": {
                "engine": database.vendor,
                "name": database.name if database.vendor == "postgresql" else Path(database.name).name,
                "server_version": state["server_version"],
                **({"dump_program": state["dump_program"]} if "dump_program" in state else {}),
            },
            "migrations": _latest(state["applied"]),
            "applied_migrations": state["applied"],
            "tables": state["tables"],
            "media": media,
            "parts": parts,
        }
        (work / MANIFEST).write_text(json.dumps(manifest, indent=2, ensure_ascii=False, sort_keys=False) + "\n")
        partial = work / path.name
        with tarfile.open(partial, "w", format=tarfile.PAX_FORMAT) as archive:
            for name in (MANIFEST, database_part, MEDIA_PART):  # the manifest first: cheap to read back
                archive.add(work / name, arcname=name, recursive=False)
        partial.chmod(0o600)  # personal data: readable by the owner only
        partial.rename(path)  # an archive appears whole or not at all
    finally:
        shutil.rmtree(work, ignore_errors=True)
    removed = prune(backup_dir, keep) if keep > 0 else []
    return BackupResult(path=path, manifest=manifest, removed=removed)


def prune(backup_dir: Path, keep: int) -> list[Path]:
    """Remove all but the newest ``keep`` archives (by name, which is the time they were made)."""
    archives = sorted(backup_dir.glob(ARCHIVE_GLOB))
    doomed = archives[:-keep] if keep > 0 else []
    for path in doomed:
        path.unlink()
    return doomed


# --- Restore -------------------------------------------------------------------------------


def read_manifest(archive_path: Path) -> dict:
    if not archive_path.is_file():
        raise BackupError(f"{archive_path} does not exist.")
    try:
        with tarfile.open(archive_path, "r:") as archive:
            member = archive.getmember(MANIFEST)
            manifest = json.load(archive.extractfile(member))
    except (tarfile.TarError, KeyError, json.JSONDecodeError, UnicodeDecodeError):
        raise BackupError(f"{archive_path} is not a Lianqi backup archive (no readable {MANIFEST}).") from None
    if manifest.get("format") != FORMAT:
        raise BackupError(f"{archive_path} is not a Lianqi backup archive.")
    if manifest.get("format_version") != FORMAT_VERSION:
        raise BackupError(
            f"{archive_path} has archive format {manifest.get('format_version')}; this version of Lianqi reads "
            f"format {FORMAT_VERSION}."
        )
    return manifest


def _extract_parts(archive_path: Path, manifest: dict, into: Path) -> None:
    """Extract the parts the manifest names, checking each one's size and sha256 as it is read."""
    expected = manifest.get("parts") or {}
    with tarfile.open(archive_path, "r:") as archive:
        for name, facts in expected.items():
            try:
                member = archive.getmember(name)
            except KeyError:
                raise BackupError(f"The archive is incomplete: {name} is missing. Nothing was restored.") from None
            source = archive.extractfile(member)
            if source is None:
                raise BackupError(f"The archive is damaged: {name} is not a file. Nothing was restored.")
            digest = hashlib.sha256()
            with (into / name).open("wb") as target:
                while chunk := source.read(CHUNK):
                    digest.update(chunk)
                    target.write(chunk)
            if digest.hexdigest() != facts.get("sha256"):
                raise BackupError(
                    f"The archive is damaged: the checksum of {name} is {digest.hexdigest()}, the manifest says "
                    f"{facts.get('sha256')}. Nothing was restored; use another archive."
                )


def check_migrations(manifest: dict) -> list[str]:
    """Refuse an archive made by a newer schema; return the code's migrations it lacks (to apply after)."""
    from django.db.migrations.loader import MigrationLoader

    loader = MigrationLoader(None, ignore_no_migrations=True)
    known = set(loader.disk_migrations)
    for migration in loader.disk_migrations.values():
        known.update(tuple(replaced) for replaced in getattr(migration, "replaces", []) or [])
    applied = {(app, name) for app, names in manifest.get("applied_migrations", {}).items() for name in names}
    unknown = sorted(applied - known)
    if unknown:
        shown = ", ".join(f"{app}.{name}" for app, name in unknown[:5]) + (" …" if len(unknown) > 5 else "")
        raise BackupError(
            f"The archive was made by a newer version of Lianqi: its database has migrations this code does not "
            f"know ({shown}). Install the version that made it (Lianqi {manifest.get('lianqi_version', '?')}) or a "
            "newer one, then restore. Nothing was restored."
        )
    squashed = {  # a squashed migration whose originals were all applied counts as applied
        key
        for key, migration in loader.disk_migrations.items()
        if migration.replaces and {tuple(replaced) for replaced in migration.replaces} <= applied
    }
    return sorted(f"{app}.{name}" for app, name in set(loader.disk_migrations) - applied - squashed)


def _database_is_empty(database: Database) -> tuple[bool, str]:
    if database.vendor == "sqlite":
        state = database_state(database)
    else:
        with database.pg_connect(autocommit=True) as connection, connection.cursor() as cursor:
            state = {"tables": dict.fromkeys(label for label, _ in _pg_tables(cursor))}
    tables = state["tables"]
    return not tables, f"{len(tables)} tables"


def _media_is_empty(media_root: Path) -> bool:
    return not media_root.exists() or not any(media_root.iterdir())


def _restore_postgresql(database: Database, dump: Path) -> None:
    """Replace the database's public schema with the dump's, in ONE transaction: a failure leaves
    the target as it was. ``pg_restore --clean`` cannot do it: it drops the constraints of each
    month partition (checkpoint entries, daily reports) one by one, which PostgreSQL refuses for
    inherited constraints. So the schema is dropped whole and the dump's SQL (``pg_restore -f -``)
    is streamed into ``psql --single-transaction`` after it."""
    from django.db import connections

    pg_restore, psql = _program("pg_restore"), _program("psql")
    connections.close_all()  # hold no connection of our own to the database being replaced
    env = database.pg_env()
    loader = subprocess.Popen(  # noqa: S603 - fixed programs, no shell
        [psql, "--single-transaction", "--no-psqlrc", "--quiet", "--no-password", "-v", "ON_ERROR_STOP=1",
         f"--dbname={database.name}"],
        stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env,
    )  # fmt: skip
    loader.stdin.write(b"DROP SCHEMA IF EXISTS public CASCADE;\nCREATE SCHEMA public;\n")
    loader.stdin.flush()
    reader = subprocess.run(  # noqa: S603
        [pg_restore, "--no-owner", "--no-password", "--file=-", str(dump)],
        stdout=loader.stdin, stderr=subprocess.PIPE, env=env, check=False,
    )  # fmt: skip
    loader.stdin.close()
    errors = loader.stderr.read().decode(errors="replace").strip()
    if loader.wait() != 0 or reader.returncode != 0:
        detail = reader.stderr.decode(errors="replace").strip() or errors
        raise BackupError(f"pg_restore failed (exit {reader.returncode or loader.returncode}):\n{detail}")


def _restore_sqlite(database: Database, copy: Path) -> None:
    from django.db import connections

    check = sqlite3.connect(f"file:{copy}?mode=ro", uri=True)
    try:
        verdict = check.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        check.close()
    if verdict != "ok":
        raise BackupError(f"The SQLite copy in the archive fails its integrity check: {verdict}. Nothing was restored.")
    connections.close_all()
    Path(database.name).parent.mkdir(parents=True, exist_ok=True)
    _copy_sqlite(str(copy), database.name)


def _restore_media(media_part: Path, media_root: Path) -> None:
    media_root.mkdir(parents=True, exist_ok=True)
    for child in media_root.iterdir():  # empty it, but keep the directory itself (it may be a mount)
        if child.is_dir() and not child.is_symlink():
            shutil.rmtree(child)
        else:
            child.unlink()
    with tarfile.open(media_part, "r:") as archive:
        archive.extractall(media_root, filter="data")  # refuses absolute paths, "..", devices, links out


@dataclass
class RestoreResult:
    manifest: dict
    pending_migrations: list[str]
    extra_tables: list[str]


def restore_backup(
    archive_path: Path,
    *,
    database: Database,
    media_root: Path | None,
    force: bool = False,
    check_only: bool = False,
    log: Callable[[str], None] = _nothing,
) -> RestoreResult:
    """Restore ``archive_path`` into ``database`` and ``media_root`` (None: leave files alone)."""
    manifest = read_manifest(archive_path)
    engine = manifest["database"]["engine"]
    if engine != database.vendor:
        raise BackupError(
            f"The archive holds a {engine} database; the target is a {database}. Restore it into a {engine} "
            "database (--database-url). Nothing was restored."
        )
    database_part = DATABASE_PART[engine]
    if set(manifest.get("parts", {})) != {database_part, MEDIA_PART}:
        raise BackupError(f"The manifest of {archive_path} does not list the expected parts. Nothing was restored.")
    pending = check_migrations(manifest)
    work = Path(tempfile.mkdtemp(prefix=".lianqi-restore-", dir=archive_path.parent))
    try:
        log(f"Checking {archive_path.name} (made {manifest['created_at']}) …")
        _extract_parts(archive_path, manifest, work)
        if check_only:
            return RestoreResult(manifest=manifest, pending_migrations=pending, extra_tables=[])
        if not force:
            refusals = []
            empty, what = _database_is_empty(database)
            if not empty:
                refusals.append(f"the {database} is not empty ({what})")
            if media_root is not None and not _media_is_empty(media_root):
                refusals.append(f"the media directory {media_root} is not empty")
            if refusals:
                raise BackupError(
                    "Refusing to restore: "
                    + " and ".join(refusals)
                    + ". A restore replaces everything there with the archive's contents; run it again with "
                    "--force if that is what you want. Nothing was restored."
                )
        log(f"Restoring the database into the {database} …")
        if engine == "postgresql":
            _restore_postgresql(database, work / database_part)
        else:
            _restore_sqlite(database, work / database_part)
        if media_root is not None:
            log(f"Restoring {manifest['media']['files']} uploaded files into {media_root} …")
            _restore_media(work / MEDIA_PART, media_root)
    finally:
        shutil.rmtree(work, ignore_errors=True)

    log("Comparing row counts with the manifest …")
    state = database_state(database)
    expected, found = manifest["tables"], state["tables"]
    mismatches = [
        f"{table}: {found.get(table, 'missing')} rows, the archive has {count}"
        for table, count in expected.items()
        if found.get(table) != count
    ]
    if media_root is not None:
        files = _media_files(media_root)
        media_found = {"files": len(files), "bytes": sum(path.stat().st_size for path in files)}
        if media_found != manifest["media"]:
            mismatches.append(
                f"uploaded files: {media_found['files']} files, {media_found['bytes']} bytes; the archive has "
                f"{manifest['media']['files']} files, {manifest['media']['bytes']} bytes"
            )
    if mismatches:
        raise BackupError("The restored data does not match the archive:\n  " + "\n  ".join(mismatches))
    extra = sorted(set(found) - set(expected))
    return RestoreResult(manifest=manifest, pending_migrations=pending, extra_tables=extra)

"""Backups that are proven by restoring them (DESIGN.md, "Reliability").

A backup is one folder named ``zugong-backup-<UTC timestamp>`` holding the database dump
(SQLite: a copy made with the online backup API, so the site keeps running; PostgreSQL:
``pg_dump --format=custom``), a copy of the uploaded files (``media/``: photos are part of
a cadre's record) and ``manifest.json``: per table the row count and a
checksum, the app version, the applied migrations and the key versions the encrypted
fields need (versions only: key material never leaves the key store).

The manifest is computed from the same snapshot the dump holds (SQLite: from the copy;
PostgreSQL: in the transaction whose snapshot pg_dump is handed), so a restored copy must
reproduce it exactly. ``restore --check`` does just that in a scratch database; a backup
that was never restored is not counted as one.

Checksums do not depend on the physical layout, so two copies of the same data on the same
engine give the same digest:

- SQLite reads every table through the driver, columns by name and rows by primary key,
  and hashes each value's canonical form (demo-sized databases: seconds).
- PostgreSQL computes the digest in the server (manifest format 2): the sum of a 128-bit
  hash of every row's text form, columns by name, with the settings that shape that text
  fixed. A sum needs no sort and sends nothing to Python, which made the manifest of the
  province data set take minutes instead of the 16 minutes of format 1 (which streamed
  every row to Python in key order). Format 1 manifests are still checked their own way.
"""

from __future__ import annotations

import datetime as dt
import decimal
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess  # nosec B404
import tempfile
import time
import uuid
from contextlib import closing, contextmanager
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import connection
from django.utils.translation import gettext as _

from . import memo
from .jobs import recorded

PREFIX = "zugong-backup-"
MANIFEST = "manifest.json"
DUMP = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
FORMAT = 2
READABLE_FORMATS = (1, 2)
_CHUNK = 2000
_TEXT = ("text", "character varying", "character")
# libpq parameters that may sit in the database OPTIONS (others are Django's own).
_LIBPQ_OPTIONS = ("sslmode", "sslrootcert", "sslcert", "sslkey", "connect_timeout", "options")


class BackupError(Exception):
    """A backup or restore that cannot go on; the message is shown to the operator."""


# --- canonical table digests -------------------------------------------------------------

def _canon(value):
    """One column value in a form that does not depend on the driver's Python types."""
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, (bytes, bytearray, memoryview)):
        return "\\x" + bytes(value).hex()
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return f"{value.total_seconds()}s"
    if isinstance(value, (decimal.Decimal, uuid.UUID)):
        return str(value)
    if isinstance(value, (dict, list)):
        return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return str(value)


def _digest(rows) -> tuple[int, str]:
    sha, count = hashlib.sha256(), 0
    for row in rows:
        line = json.dumps([_canon(v) for v in row], ensure_ascii=False, separators=(",", ":"))
        sha.update(line.encode("utf-8") + b"\n")
        count += 1
    return count, sha.hexdigest()


def _batches(cursor):
    while rows := cursor.fetchmany(_CHUNK):
        yield from rows


def _sqlite_state(con: sqlite3.Connection) -> dict:
    def q(name):
        return '"' + name.replace('"', '""') + '"'

    tables = {}
    names = [r[0] for r in con.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")]
    for table in sorted(names):
        info = con.execute(f"PRAGMA table_info({q(table)})").fetchall()  # noqa: S608  # nosec B608
        columns = sorted(col[1] for col in info)
        keys = [col[1] for col in sorted(info, key=lambda c: c[5]) if col[5]] or columns
        # ``+column`` is SQLite's no-op operator: it hides the declared type, so a connection
        # with type converters (Django's) reads the same stored values as a plain one.
        cursor = con.execute(
            f"SELECT {', '.join('+' + q(c) for c in columns)} FROM {q(table)} "  # noqa: S608  # nosec B608
            f"ORDER BY {', '.join(map(q, keys))}")
        count, sha = _digest(_batches(cursor))
        tables[table] = {"rows": count, "sha256": sha}
    return tables


# The text form of a row depends on these settings; fixing them makes the digest depend on
# the data only (the same values on any server of the same major version).
_PG_TEXT_SETTINGS = ("SET TIME ZONE 'UTC'", "SET DateStyle = 'ISO, YMD'",
                     "SET IntervalStyle = 'postgres'", "SET extra_float_digits = 1",
                     "SET bytea_output = 'hex'")


def _pg_state(con, *, format_=FORMAT) -> dict:
    from psycopg import sql

    for statement in _PG_TEXT_SETTINGS:
        con.execute(statement)
    tables = {}
    names = [r[0] for r in con.execute(
        "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")]
    for table in sorted(names):
        types = dict(con.execute(
            "SELECT column_name, data_type FROM information_schema.columns "
            "WHERE table_schema = current_schema() AND table_name = %s", (table,)).fetchall())
        columns = sorted(types)
        if format_ == 1:
            tables[table] = _pg_rows_digest(con, table, columns, types)
            continue
        # Two 64-bit halves of each row's md5, summed as numerics (no overflow, no order).
        row = sql.SQL("md5(ROW({})::text)").format(
            sql.SQL(", ").join(map(sql.Identifier, columns)))
        half = "coalesce(sum(('x' || substr({row}, {start}, 16))::bit(64)::bigint::numeric), 0)"
        query = sql.SQL("SELECT count(*), {}, {} FROM {}").format(
            sql.SQL(half).format(row=row, start=sql.Literal(1)),
            sql.SQL(half).format(row=row, start=sql.Literal(17)), sql.Identifier(table))
        count, high, low = con.execute(query).fetchone()
        tables[table] = {"rows": count, "checksum": f"{high}:{low}"}
    return tables


def _pg_rows_digest(con, table: str, columns: list[str], types: dict) -> dict:
    """Format 1: every row streamed to Python in key order and hashed there."""
    from psycopg import sql

    keys = [r[0] for r in con.execute(
        "SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid "
        "AND a.attnum = ANY(i.indkey) WHERE i.indrelid = %s::regclass AND i.indisprimary "
        "ORDER BY array_position(i.indkey::int2[], a.attnum)",
        (sql.Identifier(table).as_string(con),)).fetchall()] or columns
    # Text keys sort bytewise, so the order does not depend on the server's locale.
    order = [sql.SQL("{} COLLATE \"C\"" if types[col] in _TEXT else "{}").format(
        sql.Identifier(col)) for col in keys]
    query = sql.SQL("SELECT {} FROM {} ORDER BY {}").format(
        sql.SQL(", ").join(map(sql.Identifier, columns)), sql.Identifier(table),
        sql.SQL(", ").join(order))
    with con.cursor(name=f"zugong_backup_{table[:40]}") as cursor:
        cursor.itersize = _CHUNK
        cursor.execute(query)
        count, sha = _digest(cursor)
    return {"rows": count, "sha256": sha}


def _migrations(tables: dict, fetch) -> dict:
    if "django_migrations" not in tables:
        return {}
    applied: dict[str, list[str]] = {}
    for app, name in fetch("SELECT app, name FROM django_migrations ORDER BY app, name"):
        applied.setdefault(app, []).append(name)
    return applied


# --- connections -------------------------------------------------------------------------

def engine_of(settings_dict=None) -> str:
    engine = (settings_dict or connection.settings_dict)["ENGINE"]
    if engine.endswith("sqlite3"):
        return "sqlite"
    if "postgresql" in engine:
        return "postgresql"
    raise BackupError(_("Backups support SQLite and PostgreSQL only (not %(engine)s).")
                      % {"engine": engine})


def _pg_params(dbname=None) -> dict:
    conf = connection.settings_dict
    params = {"dbname": dbname or conf["NAME"], "user": conf.get("USER"),
              "password": conf.get("PASSWORD"), "host": conf.get("HOST"),
              "port": str(conf.get("PORT") or "")}
    params.update({k: v for k, v in (conf.get("OPTIONS") or {}).items() if k in _LIBPQ_OPTIONS})
    return {k: v for k, v in params.items() if v}


def _pg_env(dbname=None) -> dict:
    """pg_dump and pg_restore read the connection from the environment, so the password
    never appears in a process list."""
    names = {"dbname": "PGDATABASE", "user": "PGUSER", "password": "PGPASSWORD",  # nosec B105
             "host": "PGHOST", "port": "PGPORT", "sslmode": "PGSSLMODE",
             "sslrootcert": "PGSSLROOTCERT", "sslcert": "PGSSLCERT", "sslkey": "PGSSLKEY",
             "connect_timeout": "PGCONNECT_TIMEOUT", "options": "PGOPTIONS"}
    return {**os.environ, **{names[k]: str(v) for k, v in _pg_params(dbname).items()}}


def _pg_connect(dbname=None, **kwargs):
    import psycopg

    con = psycopg.connect(**_pg_params(dbname), **kwargs)
    if not kwargs.get("autocommit"):
        # Timestamps are read in UTC whatever the server's default time zone.
        con.execute("SET TIME ZONE 'UTC'")
        con.commit()  # so that the caller's first statement opens its own transaction
    return con


def _run(command: list[str], *, env: dict) -> None:
    result = subprocess.run(command, env=env, capture_output=True, text=True)  # noqa: S603  # nosec B603
    if result.returncode:
        raise BackupError(_("%(tool)s failed: %(error)s")
                          % {"tool": command[0], "error": result.stderr.strip()[-2000:]})


def sqlite_state_of(path: Path) -> dict:
    with closing(sqlite3.connect(path)) as con:
        tables = _sqlite_state(con)
        return {"tables": tables,
                "migrations": _migrations(tables, lambda q: con.execute(q).fetchall())}


def pg_state_of(dbname=None, *, format_=FORMAT) -> dict:
    with _pg_connect(dbname) as con:
        con.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        tables = _pg_state(con, format_=format_)
        return {"tables": tables,
                "migrations": _migrations(tables, lambda q: con.execute(q).fetchall())}


def live_state(*, format_=FORMAT) -> dict:
    """Tables and migrations of the configured database, as a manifest records them."""
    if engine_of() == "postgresql":
        return pg_state_of(format_=format_)
    connection.ensure_connection()
    tables = _sqlite_state(connection.connection)
    return {"tables": tables, "migrations": _migrations(
        tables, lambda q: connection.connection.execute(q).fetchall())}


# --- backup ------------------------------------------------------------------------------

def backup_dir() -> Path:
    return Path(settings.ZUGONG_BACKUP_DIR)


def key_versions() -> dict:
    """The key versions encrypted values may carry (never the keys themselves)."""
    from .crypto import parse_keys, provider

    return {"current": provider().current_version,
            "accepted": [version for version, _key in parse_keys(settings.ZUGONG_FIELD_KEYS)]}


def _app_version() -> str:
    try:
        return metadata.version("zugong")
    except metadata.PackageNotFoundError:
        return "unknown"


def _sha256_file(path: Path) -> str:
    sha = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(1 << 20):
            sha.update(chunk)
    return sha.hexdigest()


def _files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.is_dir() else []


def media_digest(root: Path) -> dict:
    """File count and one checksum over every file's relative path and content."""
    sha, files = hashlib.sha256(), _files(root)
    for path in files:
        sha.update(f"{path.relative_to(root).as_posix()}\0{_sha256_file(path)}\n".encode())
    return {"files": len(files), "sha256": sha.hexdigest()}


def _media_root() -> Path:
    return Path(settings.MEDIA_ROOT)


@dataclass
class Backup:
    path: Path
    manifest: dict

    @property
    def dump(self) -> Path:
        return self.path / self.manifest["dump"]


def _new_folder(out: Path) -> Path:
    out.mkdir(parents=True, exist_ok=True)
    while True:
        stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S.%fZ")
        folder = out / f"{PREFIX}{stamp[:-4]}Z"  # milliseconds
        try:
            folder.mkdir()
            return folder
        except FileExistsError:
            time.sleep(0.001)


def create_backup(out: Path | None = None) -> Backup:
    """Dump the configured database into a new folder under ``out`` with its manifest."""
    engine = engine_of()
    folder = _new_folder(Path(out) if out else backup_dir())
    dump = folder / DUMP[engine]
    started = time.monotonic()
    try:
        if engine == "sqlite":
            connection.ensure_connection()
            with closing(sqlite3.connect(dump)) as target:
                connection.connection.backup(target)
            state = sqlite_state_of(dump)
        else:
            with _pg_connect() as con:
                con.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                snapshot = con.execute("SELECT pg_export_snapshot()").fetchone()[0]
                _run(["pg_dump", "--format=custom", f"--snapshot={snapshot}",
                      f"--file={dump}"], env=_pg_env())
                tables = _pg_state(con)
                state = {"tables": tables, "migrations": _migrations(
                    tables, lambda q: con.execute(q).fetchall())}
        if _media_root().is_dir():
            shutil.copytree(_media_root(), folder / "media")
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    manifest = {
        "format": FORMAT,
        "created_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "engine": engine,
        "dump": dump.name,
        "dump_bytes": dump.stat().st_size,
        "dump_sha256": _sha256_file(dump),
        "seconds": round(time.monotonic() - started, 2),
        "app_version": _app_version(),
        "key_versions": key_versions(),
        "media": media_digest(folder / "media"),
        **state,
    }
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=1, ensure_ascii=False),
                                   encoding="utf-8")
    return Backup(folder, manifest)


def backups(out: Path | None = None) -> list[Path]:
    """Complete backups (with a manifest) in ``out``, oldest first (names sort by time)."""
    out = Path(out) if out else backup_dir()
    if not out.is_dir():
        return []
    return sorted(p for p in out.iterdir()
                  if p.is_dir() and p.name.startswith(PREFIX) and (p / MANIFEST).is_file())


def prune(keep: int, out: Path | None = None) -> list[Path]:
    """Delete all but the newest ``keep`` backups; returns the deleted folders."""
    old = backups(out)[:-keep] if keep > 0 else []
    for folder in old:
        shutil.rmtree(folder)
    return old


def last_backup_age_hours(out: Path | None = None) -> float | None:
    """Hours since the newest backup was taken, or None when there is none."""
    found = backups(out)
    if not found:
        return None
    try:
        manifest = json.loads((found[-1] / MANIFEST).read_text(encoding="utf-8"))
        taken = dt.datetime.fromisoformat(manifest["created_at"])
    except (OSError, ValueError, KeyError):
        return None
    return (dt.datetime.now(dt.UTC) - taken).total_seconds() / 3600


@recorded("backup")
def nightly_backup() -> str:
    """The scheduled backup: a new copy, then only the newest ZUGONG_BACKUP_KEEP are kept."""
    made = create_backup()
    removed = prune(settings.ZUGONG_BACKUP_KEEP)
    return (f"{made.path.name}: {made.manifest['dump_bytes']} bytes in "
            f"{made.manifest['seconds']} s; {len(removed)} old backup(s) removed")


# --- restore -----------------------------------------------------------------------------

def load(path) -> Backup:
    """The backup at ``path``: its folder, its manifest or its dump file."""
    path = Path(path)
    folder = path if path.is_dir() else path.parent
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BackupError(_("No backup manifest at %(path)s.") % {"path": folder}) from None
    except ValueError as exc:
        raise BackupError(_("The backup manifest is not valid JSON: %(error)s")
                          % {"error": exc}) from None
    if manifest.get("format") not in READABLE_FORMATS or manifest.get("engine") not in DUMP:
        raise BackupError(_("%(path)s is not a Zugong backup this version can read.")
                          % {"path": folder})
    backup = Backup(folder, manifest)
    if not backup.dump.is_file():
        raise BackupError(_("The dump %(path)s is missing.") % {"path": backup.dump})
    return backup


def compare(manifest: dict, state: dict) -> list[str]:
    """Every way ``state`` (a restored copy) differs from ``manifest``, table by table."""
    expected, actual = manifest.get("tables", {}), state["tables"]
    problems = []
    for table in sorted(set(expected) | set(actual)):
        want, got = expected.get(table), actual.get(table)
        if got is None:
            problems.append(_("%(table)s: missing from the restored copy") % {"table": table})
        elif want is None:
            problems.append(_("%(table)s: not in the manifest") % {"table": table})
        elif want["rows"] != got["rows"]:
            problems.append(_("%(table)s: %(got)d rows restored, the manifest says %(want)d")
                            % {"table": table, "got": got["rows"], "want": want["rows"]})
        elif (want.get("checksum"), want.get("sha256")) != (got.get("checksum"),
                                                            got.get("sha256")):
            problems.append(_("%(table)s: checksum differs from the manifest")
                            % {"table": table})
    return problems


def dump_problems(backup: Backup) -> list[str]:
    if _sha256_file(backup.dump) != backup.manifest.get("dump_sha256"):
        return [_("%(file)s: file checksum differs from the manifest")
                % {"file": backup.dump.name}]
    return []


def media_problems(manifest: dict, root: Path) -> list[str]:
    want, got = manifest.get("media"), media_digest(root)
    if want is None:
        return []
    if want["files"] != got["files"]:
        return [_("media: %(got)d files, the manifest says %(want)d")
                % {"got": got["files"], "want": want["files"]}]
    if want["sha256"] != got["sha256"]:
        return [_("media: checksum differs from the manifest")]
    return []


def _pg_restore(dump: Path, dbname: str, *, clean: bool) -> None:
    command = ["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error",
               "--single-transaction", f"--dbname={dbname}", str(dump)]
    if clean:
        command[1:1] = ["--clean", "--if-exists"]
    _run(command, env=_pg_env(dbname))


@contextmanager
def _scratch_database(backup: Backup):
    """A throw-away database holding the restored backup; yields its state."""
    if backup.manifest["engine"] == "sqlite":
        with tempfile.TemporaryDirectory(prefix="zugong-check-") as tmp:
            scratch = Path(tmp) / "restored.sqlite3"
            with closing(sqlite3.connect(backup.dump)) as src, \
                    closing(sqlite3.connect(scratch)) as dst:
                src.backup(dst)
            yield sqlite_state_of(scratch)
        return
    from psycopg import sql

    name = f"{connection.settings_dict['NAME']}_check_{uuid.uuid4().hex[:8]}"
    with _pg_connect(autocommit=True) as admin:
        admin.execute(sql.SQL("CREATE DATABASE {} TEMPLATE template0").format(
            sql.Identifier(name)))
    try:
        _pg_restore(backup.dump, name, clean=False)
        yield pg_state_of(name, format_=backup.manifest["format"])
    finally:
        with _pg_connect(autocommit=True) as admin:
            admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                sql.Identifier(name)))


def check(path) -> list[str]:
    """Restore the backup into a scratch database and name every difference from its
    manifest (an empty list: the backup restores exactly)."""
    backup = load(path)
    # A SQLite scratch copy is a temporary file; a PostgreSQL one is made on the
    # configured server, so a PostgreSQL dump needs a PostgreSQL configuration.
    if backup.manifest["engine"] == "postgresql" and engine_of() != "postgresql":
        raise BackupError(_("This is a PostgreSQL backup; set DATABASE_URL to a "
                            "PostgreSQL server to check it."))
    problems = dump_problems(backup) + media_problems(backup.manifest, backup.path / "media")
    with _scratch_database(backup) as state:
        problems += compare(backup.manifest, state)
    return problems


def zugong_tables() -> set[str]:
    """The tables of Zugong's own apps (the data a restore must not overwrite)."""
    return {model._meta.db_table for config in apps.get_app_configs()
            if config.name.startswith("zugong.")
            for model in config.get_models(include_auto_created=True)}


def tables_with_rows() -> list[str]:
    present = set(connection.introspection.table_names())
    busy = []
    with connection.cursor() as cursor:
        for table in sorted(zugong_tables() & present):
            cursor.execute(f"SELECT 1 FROM {connection.ops.quote_name(table)} LIMIT 1")  # noqa: S608  # nosec B608
            if cursor.fetchone():
                busy.append(table)
    return busy


def restore(path) -> list[str]:
    """Restore the backup into the configured database, which must hold no Zugong data;
    returns the differences between the restored database and the manifest."""
    backup = load(path)
    engine = engine_of()
    if backup.manifest["engine"] != engine:
        raise BackupError(_("This is a %(backup)s backup but the configured database is "
                            "%(target)s.") % {"backup": backup.manifest["engine"],
                                             "target": engine})
    busy = tables_with_rows() + (["MEDIA_ROOT"] if _files(_media_root()) else [])
    if busy:
        raise BackupError(_(
            "The target database is not empty (%(tables)s hold rows); restore only into a "
            "new, empty database.") % {"tables": ", ".join(busy[:5]) + (
                ", …" if len(busy) > 5 else "")})
    broken = dump_problems(backup) + media_problems(backup.manifest, backup.path / "media")
    if broken:
        raise BackupError(broken[0])
    if engine == "sqlite":
        connection.ensure_connection()
        with closing(sqlite3.connect(backup.dump)) as src:
            src.backup(connection.connection)
    else:
        connection.close()  # pg_restore replaces tables this process may hold open
        _pg_restore(backup.dump, connection.settings_dict["NAME"], clean=True)
    if (backup.path / "media").is_dir():
        shutil.copytree(backup.path / "media", _media_root(), dirs_exist_ok=True)
    memo.bump(memo.ALL)  # answers kept from the database before are not the restored one's
    return (compare(backup.manifest, live_state(format_=backup.manifest["format"]))
            + media_problems(backup.manifest, _media_root()))


def unknown_key_versions(manifest: dict) -> list[str]:
    """Key versions the backup's data needs that the configured keys do not provide."""
    needed = set(manifest.get("key_versions", {}).get("accepted", []))
    return sorted(needed - set(key_versions()["accepted"]))

"""The restore drill: back up, prove the copy, catch tampering, restore into an empty
database (on whichever database the suite runs: SQLite or PostgreSQL)."""

import json
import sqlite3
from contextlib import closing, nullcontext

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection

from zugong.core import backup, registry
from zugong.core.models import JobRun
from zugong.core.tests.tamper import triggers_dropped

pytestmark = pytest.mark.django_db(transaction=True)


def _restore_check(path, capsys):
    """(exit code, stderr) of ``zugong restore --check``."""
    try:
        call_command("restore", str(path), "--check")
        code = 0
    except SystemExit as exc:
        code = exc.code
    return code, capsys.readouterr().err


def test_restore_drill(cast, tmp_path, capsys):
    photo = settings.MEDIA_ROOT / "photos" / "1.jpg"
    photo.parent.mkdir(parents=True)
    photo.write_bytes(b"\xff\xd8 a photo")
    made = backup.create_backup(tmp_path)
    manifest = json.loads((made.path / backup.MANIFEST).read_text(encoding="utf-8"))
    assert made.path.name.startswith(backup.PREFIX) and made.dump.is_file()
    tables = manifest["tables"]
    assert tables["people_person"]["rows"] == len(cast.people) > 0
    assert tables["core_auditentry"]["rows"] > 0  # the audit trail is backed up too
    assert manifest["migrations"]["people"] and manifest["app_version"]
    assert manifest["key_versions"]["current"] in manifest["key_versions"]["accepted"]
    key_hex = settings.ZUGONG_FIELD_KEYS.split(",")[0].partition(":")[2]
    assert key_hex not in json.dumps(manifest)  # versions only, never key material

    assert _restore_check(made.path, capsys) == (0, "")
    assert manifest["media"]["files"] == 1

    # A changed copy of an uploaded file fails the check too.
    (made.path / "media" / "photos" / "1.jpg").write_bytes(b"another")
    code, err = _restore_check(made.path, capsys)
    assert code == 1 and "附件：校验和与清单不符" in err
    (made.path / "media" / "photos" / "1.jpg").write_bytes(photo.read_bytes())

    # A manifest that no longer matches its dump: the check fails and names the table.
    tampered = json.loads(json.dumps(manifest))
    tampered["tables"]["people_person"]["rows"] += 1
    entry = tampered["tables"]["people_orgunit"]
    entry["checksum" if "checksum" in entry else "sha256"] = "0" * 64
    (made.path / backup.MANIFEST).write_text(json.dumps(tampered), encoding="utf-8")
    code, err = _restore_check(made.path, capsys)
    assert code == 1
    assert "people_person" in err and "people_orgunit" in err and "people_user" not in err
    (made.path / backup.MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")

    if backup.engine_of() == "sqlite":
        # A dump changed after the fact: its file checksum and the table both show it.
        copy = tmp_path / "copy"
        copy.mkdir()
        (copy / backup.MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
        (copy / made.dump.name).write_bytes(made.dump.read_bytes())
        with closing(sqlite3.connect(copy / made.dump.name)) as con:
            con.execute("UPDATE people_orgunit SET name = name || '改' WHERE id = "
                        "(SELECT min(id) FROM people_orgunit)")
            con.commit()
        code, err = _restore_check(copy, capsys)
        assert code == 1 and "people_orgunit：" in err and made.dump.name in err

    # Restoring over data is refused; into an emptied database it reproduces the backup.
    with pytest.raises(backup.BackupError, match="目标数据库不为空"):
        backup.restore(made.path)
    # An empty database, as a new installation's would be (the audit tables' append-only
    # triggers refuse the row-by-row delete SQLite's flush does, so they step aside).
    emptying = triggers_dropped() if connection.vendor == "sqlite" else nullcontext()
    with emptying:
        call_command("flush", interactive=False, inhibit_post_migrate=True, verbosity=0)
    assert backup.tables_with_rows() == []
    with pytest.raises(backup.BackupError, match="MEDIA_ROOT"):
        backup.restore(made.path)  # the uploaded files are data as well
    photo.unlink()
    assert backup.restore(made.path) == []
    assert photo.read_bytes() == b"\xff\xd8 a photo"
    assert backup.live_state()["tables"] == tables
    connection.close()
    from django.apps import apps

    person = apps.get_model(settings.ZUGONG_PERSON_MODEL)
    assert person.objects.filter(pk=cast.people["cadre"].pk).exists()


@pytest.mark.skipif("connection.vendor != 'postgresql'")
def test_postgresql_checksums_are_computed_in_the_server_and_old_manifests_still_check(
        cast, tmp_path, capsys):
    made = backup.create_backup(tmp_path)
    manifest = json.loads((made.path / backup.MANIFEST).read_text(encoding="utf-8"))
    assert manifest["format"] == 2
    before = manifest["tables"]["people_orgunit"]
    assert set(before) == {"rows", "checksum"}

    # One changed value in one row changes the table's checksum, and only that table's.
    with connection.cursor() as cursor:
        cursor.execute("UPDATE people_orgunit SET name = name || '改' WHERE id = "
                       "(SELECT min(id) FROM people_orgunit)")
    after = backup.live_state()["tables"]
    assert after["people_orgunit"]["rows"] == before["rows"]
    assert after["people_orgunit"]["checksum"] != before["checksum"]
    assert after["people_person"] == manifest["tables"]["people_person"]

    # A backup written by the previous version (format 1: row-by-row SHA-256 in Python)
    # is still checked the way it was made.
    older = backup.create_backup(tmp_path)
    old = dict(older.manifest, format=1, tables=backup.pg_state_of(format_=1)["tables"])
    (older.path / backup.MANIFEST).write_text(json.dumps(old), encoding="utf-8")
    assert "sha256" in old["tables"]["people_orgunit"]
    assert _restore_check(older.path, capsys) == (0, ""), capsys.readouterr()


def test_nightly_backup_keeps_the_newest_copies_and_records_each_run(settings, tmp_path):
    settings.ZUGONG_BACKUP_DIR = tmp_path
    settings.ZUGONG_BACKUP_KEEP = 2
    assert ("backup", "zugong.core.backup.nightly_backup") in [
        (job.name, job.func) for job in registry.jobs()]
    assert backup.last_backup_age_hours() is None
    for _ in range(3):
        backup.nightly_backup()
    kept = backup.backups()
    assert len(kept) == 2 and kept == sorted(kept)
    assert list(JobRun.objects.filter(name="backup").values_list("status", flat=True)) == [
        JobRun.Status.SUCCEEDED] * 3
    assert 0 <= backup.last_backup_age_hours() < 0.1
    assert backup.check(kept[-1]) == []

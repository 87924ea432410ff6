"""/healthz (open, data-free, 503 when unhealthy) and the deploy checks."""

import pytest
from django.core import checks

from zugong.core import backup

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _backup_dir(settings, tmp_path):
    settings.ZUGONG_BACKUP_DIR = tmp_path / "backups"
    settings.ZUGONG_DISK_FREE_MIN_MB = 1


def test_healthz_answers_anonymous_monitors_without_data(client, cast):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["checks"]["database"] == body["checks"]["migrations"] == "ok"
    assert body["checks"]["queue"] == "ok"
    assert set(body["checks"]) == {"database", "migrations", "queue",
                                   "last_backup_age_hours", "disk_free_mb"}
    assert body["checks"]["last_backup_age_hours"] is None
    assert body["checks"]["disk_free_mb"] > 0
    text = response.content.decode()
    assert not any(person.name in text for person in cast.people.values())


def test_healthz_fails_with_503_when_the_disk_is_short(client, settings):
    settings.ZUGONG_DISK_FREE_MIN_MB = 10**12
    response = client.get("/healthz")
    assert response.status_code == 503 and response.json()["status"] == "fail"


def _ids(**kwargs):
    return {m.id for m in checks.run_checks(include_deployment_checks=True, **kwargs)}


@pytest.mark.django_db(transaction=True)
def test_deploy_checks_warn_of_an_old_backup_and_a_full_disk(client, settings):
    assert "zugong.W101" in _ids()
    backup.create_backup()
    assert "zugong.W101" not in _ids()
    assert client.get("/healthz").json()["checks"]["last_backup_age_hours"] < 0.1
    settings.ZUGONG_BACKUP_MAX_AGE_HOURS = -1
    assert "zugong.W101" in _ids()
    assert "zugong.W102" not in _ids()
    settings.ZUGONG_DISK_FREE_MIN_MB = 10**12
    assert "zugong.W102" in _ids()

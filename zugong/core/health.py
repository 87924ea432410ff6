"""Health of the running site: ``/healthz`` for monitors and deploy-time system checks.

``/healthz`` answers without a sign-in, so it shows only the state of the machinery
(database reachable, migrations applied, queue reachable, age of the newest backup, free
disk space) and nothing about the data: no names, no record counts. 200 when healthy,
503 otherwise, so a load balancer or monitor needs no parsing.

The checks registered here (tag ``deploy``) warn at ``zugong check --deploy`` when the
newest backup is old or the disk is filling: both fail silently until the day they matter.
"""

import shutil

from django.conf import settings
from django.core import checks
from django.db import connection
from django.http import JsonResponse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from . import backup

_migrations_applied = False  # once applied they stay so for this process's code


def _database() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:  # noqa: BLE001 - any failure means the database is not usable
        return False


def _migrations() -> bool:
    global _migrations_applied
    if not _migrations_applied:
        from django.db.migrations.executor import MigrationExecutor

        try:
            executor = MigrationExecutor(connection)
            plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
        except Exception:  # noqa: BLE001 - an unreadable migration table is a failure
            return False
        _migrations_applied = not plan
    return _migrations_applied


def _queue() -> bool:
    try:
        from huey.contrib.djhuey import HUEY

        HUEY.pending_count()  # reaches the storage (SQLite file or Redis); count not shown
        return True
    except Exception:  # noqa: BLE001 - an unreachable queue is a failure, whatever the cause
        return False


def disk_free_mb() -> int:
    return shutil.disk_usage(settings.DATA_DIR).free // (1024 * 1024)


def report() -> dict:
    free = disk_free_mb()
    age = backup.last_backup_age_hours()
    results = {"database": _database()}
    results["migrations"] = results["database"] and _migrations()
    results["queue"] = _queue()
    ok = all(results.values()) and free >= settings.ZUGONG_DISK_FREE_MIN_MB
    checks_ = {name: "ok" if good else "fail" for name, good in results.items()}
    checks_["last_backup_age_hours"] = None if age is None else round(age, 1)
    checks_["disk_free_mb"] = free
    return {"status": "ok" if ok else "fail", "checks": checks_}


@never_cache
@require_GET
def healthz(request):
    body = report()
    return JsonResponse(body, status=200 if body["status"] == "ok" else 503)


@checks.register(checks.Tags.database, deploy=True)
def check_backup_and_disk(app_configs=None, **kwargs):
    warnings = []
    age = backup.last_backup_age_hours()
    limit = settings.ZUGONG_BACKUP_MAX_AGE_HOURS
    if age is None or age > limit:
        warnings.append(checks.Warning(
            _("No backup in %(dir)s is newer than %(hours)d hours.")
            % {"dir": backup.backup_dir(), "hours": limit},
            hint=_("Run `zugong worker` (its nightly job backs up) or `zugong backup`, and "
                   "prove the copy with `zugong restore --check`."),
            id="zugong.W101"))
    free = disk_free_mb()
    if free < settings.ZUGONG_DISK_FREE_MIN_MB:
        warnings.append(checks.Warning(
            _("Only %(free)d MB free on the data disk (the minimum is %(min)d MB).")
            % {"free": free, "min": settings.ZUGONG_DISK_FREE_MIN_MB},
            hint=_("Free space or move ZUGONG_DATA_DIR / ZUGONG_BACKUP_DIR to a larger disk."),
            id="zugong.W102"))
    return warnings

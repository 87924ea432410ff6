"""Sessions are read from the shared cache when Redis is configured (issue 23).

Every signed-in request reads its session; from Redis that read costs no database query.
Writes still reach the database, so a Redis restart signs no one out, and ending a
session ends it in the cache too.
"""

import os
import subprocess
import sys

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

CACHED_DB = "django.contrib.sessions.backends.cached_db"


def _session_engine(tmp_path, env_extra: dict) -> str:
    env = {k: v for k, v in os.environ.items()
           if k not in ("ZUGONG_TESTING", "REDIS_URL", "ZUGONG_ENV")}
    env.update(DJANGO_SETTINGS_MODULE="zugong.config.settings", ZUGONG_DATA_DIR=str(tmp_path),
               **env_extra)
    code = "from django.conf import settings; print(settings.SESSION_ENGINE)"
    result = subprocess.run([sys.executable, "-c", code], env=env,  # noqa: S603
                            capture_output=True, text=True, timeout=60, check=True)
    return result.stdout.strip()


def test_the_session_engine_follows_the_shared_cache(tmp_path):
    assert _session_engine(tmp_path, {"REDIS_URL": "redis://127.0.0.1:6379/15"}) == CACHED_DB
    # Without Redis the cache is each process's own: a session ended in one process would
    # live on in another's copy, so sessions stay in the database alone.
    assert _session_engine(tmp_path, {}) == "django.contrib.sessions.backends.db"


@pytest.fixture
def cached_sessions(settings):
    settings.SESSION_ENGINE = CACHED_DB


def _session_queries(ctx) -> list[str]:
    return [q["sql"] for q in ctx.captured_queries if "django_session" in q["sql"]]


def test_a_signed_in_request_reads_its_session_from_the_cache(cached_sessions, cast,
                                                              client_for):
    client = client_for(cast["cadre"])
    client.get(reverse("home"))  # the first request may record activity (a write)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("home"))
    assert response.status_code == 200
    assert _session_queries(ctx) == []
    # The session is in the database as well: a cache lost on restart loses no one.
    assert Session.objects.filter(session_key=client.session.session_key).exists()


def test_signing_out_ends_the_session_in_the_cache_too(cached_sessions, cast, client_for):
    client = client_for(cast["cadre"])
    assert client.get(reverse("home")).status_code == 200
    key = client.cookies["sessionid"].value
    client.post(reverse("logout"))
    assert not Session.objects.filter(session_key=key).exists()
    client.cookies["sessionid"] = key  # replaying the old cookie
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_a_deactivated_account_is_refused_although_its_session_is_cached(
        cached_sessions, cast, client_for):
    user = cast["cadre"]
    client = client_for(user)
    assert client.get(reverse("home")).status_code == 200
    type(user).objects.filter(pk=user.pk).update(is_active=False)
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]

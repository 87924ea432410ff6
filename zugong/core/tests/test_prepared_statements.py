"""On PostgreSQL the server binds the parameters and prepares repeated statements (issue 23).

Every page repeats the same few statements (the account, its roles, the summaries);
prepared once per connection, PostgreSQL stops parsing and planning them on every request.
"""

import json
import os
import subprocess
import sys

import pytest
from django.db import connection

from zugong.people.models import User


def _options(tmp_path, env_extra: dict) -> dict:
    env = {k: v for k, v in os.environ.items()
           if k not in ("ZUGONG_TESTING", "DATABASE_URL", "ZUGONG_PG_PREPARE_THRESHOLD")}
    env.update(DJANGO_SETTINGS_MODULE="zugong.config.settings", ZUGONG_DATA_DIR=str(tmp_path),
               **env_extra)
    code = ("import json; from django.conf import settings; "
            "print(json.dumps(settings.DATABASES['default'].get('OPTIONS', {})))")
    result = subprocess.run([sys.executable, "-c", code], env=env,  # noqa: S603
                            capture_output=True, text=True, timeout=60, check=True)
    return json.loads(result.stdout)


def test_postgresql_binds_on_the_server_and_prepares_what_repeats(tmp_path):
    url = {"DATABASE_URL": "postgres://zugong@127.0.0.1:5432/zugong?connect_timeout=5"}
    options = _options(tmp_path, url)
    assert options["server_side_binding"] is True
    assert options["prepare_threshold"] == 5
    # Options given in the address are kept beside them.
    assert options["connect_timeout"] == 5
    # Behind a pooler in transaction mode nothing may be prepared; the binding stays.
    off = _options(tmp_path, {**url, "ZUGONG_PG_PREPARE_THRESHOLD": "off"})
    assert off["server_side_binding"] is True and off["prepare_threshold"] is None
    # SQLite has neither option.
    sqlite = _options(tmp_path, {})
    assert "server_side_binding" not in sqlite and "prepare_threshold" not in sqlite


@pytest.mark.django_db
def test_a_statement_run_five_times_is_prepared_on_the_server(cast):
    if connection.vendor != "postgresql":
        pytest.skip("prepared statements are PostgreSQL's")
    account = cast["cadre"]

    def prepared() -> list[str]:
        with connection.cursor() as cursor:
            cursor.execute("SELECT statement FROM pg_prepared_statements")
            return [row[0] for row in cursor.fetchall()
                    if "people_user" in row[0] and "LIKE" in row[0]]

    # A statement no other test runs: the account by id and a prefix of its name.
    assert prepared() == []
    for _ in range(6):
        found = User.objects.filter(pk=account.pk,
                                    username__startswith=account.username[:3]).get()
        assert found.pk == account.pk
    assert len(prepared()) == 1

"""core.memo: a computed read is kept until a scope it read is bumped."""

import os
import subprocess
import sys

import pytest
from django.db import transaction

from zugong.core import memo

pytestmark = pytest.mark.django_db  # a bump is also registered for the commit


def counter():
    calls = []

    def compute():
        calls.append(1)
        return len(calls)
    return calls, compute


def test_an_answer_is_kept_until_its_scope_is_bumped():
    calls, compute = counter()
    assert memo.memo("t", [1], ["s:a"], compute) == 1
    assert memo.memo("t", [1], ["s:a"], compute) == 1
    assert len(calls) == 1
    memo.bump("s:b")  # another scope: still kept
    assert memo.memo("t", [1], ["s:a"], compute) == 1
    memo.bump("s:a")
    assert memo.memo("t", [1], ["s:a"], compute) == 2
    assert len(calls) == 2


def test_nothing_is_kept_without_a_cache_that_every_process_shares(settings):
    settings.ZUGONG_MEMO = False  # no Redis: a bump in the worker would not reach the app
    calls, compute = counter()
    assert [memo.memo("t", [1], ["s:a"], compute) for _ in range(3)] == [1, 2, 3]


def test_answers_are_kept_only_with_redis(tmp_path):
    def setting(**env_extra):
        env = {k: v for k, v in os.environ.items()
               if k not in ("ZUGONG_TESTING", "REDIS_URL", "ZUGONG_ENV")}
        env.update(DJANGO_SETTINGS_MODULE="zugong.config.settings",
                   ZUGONG_DATA_DIR=str(tmp_path), **env_extra)
        code = "from django.conf import settings; print(settings.ZUGONG_MEMO)"
        return subprocess.run([sys.executable, "-c", code], env=env,  # noqa: S603
                              capture_output=True, text=True, timeout=60,
                              check=True).stdout.strip()

    assert setting(REDIS_URL="redis://127.0.0.1:6379/15") == "True"
    assert setting() == "False"


def test_other_parts_or_names_are_other_answers():
    calls, compute = counter()
    assert memo.memo("t", [1], ["s:a"], compute) == 1
    assert memo.memo("t", [2], ["s:a"], compute) == 2
    assert memo.memo("u", [1], ["s:a"], compute) == 3
    assert memo.memo("t", [1], ["s:a"], compute) == 1


def test_bumping_everything_drops_every_answer():
    calls, compute = counter()
    memo.memo("t", [1], ["s:a"], compute)
    memo.memo("t", [1], [], compute)
    memo.bump(memo.ALL)
    memo.memo("t", [1], ["s:a"], compute)
    memo.memo("t", [1], [], compute)
    assert len(calls) == 4


def test_a_bump_in_a_transaction_holds_inside_it_and_again_at_the_commit(
        django_capture_on_commit_callbacks):
    calls, compute = counter()
    memo.memo("t", [1], ["s:a"], compute)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        with transaction.atomic():
            memo.bump("s:a")
            assert memo.memo("t", [1], ["s:a"], compute) == 2
    # Another request computed from the data before the commit, under the new generation:
    # the bump at the commit leaves that answer behind.
    assert len(callbacks) == 1
    callbacks[0]()
    assert memo.memo("t", [1], ["s:a"], compute) == 3

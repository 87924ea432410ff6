"""core.memo: a computed read is kept until a scope it read is bumped."""

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

"""The Redis cache backend shares one Redis client per pool (issue 23)."""

import os
import threading
import uuid

import pytest
import redis

from zugong.core.cache import RedisCache

URL = "redis://127.0.0.1:6379/15"


@pytest.fixture
def backend():
    try:
        redis.Redis.from_url(URL, socket_connect_timeout=2).ping()
    except redis.ConnectionError:
        if os.environ.get("CI"):
            raise  # CI runs beside a Redis: its absence is a failure, not a skip
        pytest.skip("no Redis on 127.0.0.1:6379")
    cache = RedisCache(URL, {"KEY_PREFIX": f"t{uuid.uuid4().hex[:8]}"})
    yield cache
    cache.clear()


def test_the_cache_works_and_reuses_one_client(backend):
    backend.set("a", {"n": 1}, 30)
    backend.set_many({"b": 2, "c": 3}, 30)
    assert backend.get("a") == {"n": 1}
    assert backend.get_many(["a", "b", "c", "x"]) == {"a": {"n": 1}, "b": 2, "c": 3}
    assert backend.incr("b") == 3
    backend.delete("a")
    assert backend.get("a", "gone") == "gone"
    client = backend._cache.get_client()
    assert backend._cache.get_client(write=True) is client


def test_threads_share_the_client_safely(backend):
    errors = []

    def work(n):
        try:
            for i in range(50):
                backend.set(f"k{n}-{i}", i, 30)
                assert backend.get(f"k{n}-{i}") == i
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []

"""The Redis cache shares one client per connection pool (trustwork/redis_cache.py)."""

import threading

import pytest
from django.core.cache import cache

pytestmark = pytest.mark.redis


def test_it_uses_one_client_for_every_operation():
    client = cache._cache.get_client()
    cache.set("shared-client", {"a": 1}, 30)
    assert cache.get("shared-client") == {"a": 1}
    assert cache.get_many(["shared-client", "missing"]) == {"shared-client": {"a": 1}}
    assert cache._cache.get_client(write=True) is client


def test_it_serves_threads_at_once_from_its_pool():
    errors = []

    def work(number):
        try:
            for index in range(50):
                cache.set(f"thread-{number}-{index}", index, 30)
                assert cache.get(f"thread-{number}-{index}") == index
        except Exception as error:  # noqa: BLE001 (reported by the assertion below)
            errors.append(error)

    threads = [threading.Thread(target=work, args=(number,)) for number in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []

"""The Redis cache backend, against a real Redis server (TEST_REDIS_URL, by default
redis://127.0.0.1:6379/15). Without one these tests are skipped, except in CI."""

import os
import uuid

import pytest
import redis
from django.http import HttpResponse
from django.test import override_settings

from portal.cache import RedisCache

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


@pytest.fixture(scope="module")
def redis_url():
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.ConnectionError as error:
        if os.environ.get("CI"):
            pytest.fail(f"CI needs a Redis server at {REDIS_URL}: {error}")
        pytest.skip(f"no Redis server at {REDIS_URL} (set TEST_REDIS_URL)")
    return REDIS_URL


@pytest.fixture
def make_cache(redis_url):
    """Redis caches sharing a key prefix of their own: one per app server of a test."""
    prefix = f"test-{uuid.uuid4().hex}"
    made = []

    def make():
        made.append(RedisCache(redis_url, {"KEY_PREFIX": prefix}))
        return made[-1]

    yield make
    made[0].delete_many(["version"])


def count_commands(monkeypatch, cache) -> list:
    """The commands the tracked-reads connection sends from now on."""
    connection = cache._tracked._current_connection()
    sent = []
    send = connection.send_command

    def counting(*args, **kwargs):
        sent.append(args[0])
        return send(*args, **kwargs)

    monkeypatch.setattr(connection, "send_command", counting)
    return sent


def test_the_redis_cache_reuses_one_client_per_connection_pool():
    cache = RedisCache("redis://127.0.0.1:6379/9", {})
    first = cache._cache.get_client("a")
    assert cache._cache.get_client("b") is first
    assert cache._cache.get_client("c", write=True) is first  # one server: one pool


def test_a_tracked_read_asks_redis_once_while_the_value_is_unchanged(make_cache, monkeypatch):
    cache = make_cache()
    cache.set("version", 41)
    assert cache.get_tracked("version") == 41
    sent = count_commands(monkeypatch, cache)
    assert [cache.get_tracked("version") for _ in range(100)] == [41] * 100
    assert sent == []


def test_a_change_made_by_another_server_is_seen_by_the_next_read(make_cache):
    this_server, editors_server = make_cache(), make_cache()
    editors_server.set("version", 1)
    assert this_server.get_tracked("version") == 1
    for expected in range(2, 12):
        editors_server.incr("version")
        assert this_server.get_tracked("version") == expected


def test_a_change_made_by_this_process_is_seen_at_once(make_cache, monkeypatch):
    cache = make_cache()
    cache.set("version", 1)
    assert cache.get_tracked("version") == 1
    sent = count_commands(monkeypatch, cache)
    cache.incr("version")
    assert cache.get_tracked("version") == 2
    assert sent == ["GET"]


def test_a_deleted_or_expired_key_reads_as_missing(make_cache):
    this_server, other = make_cache(), make_cache()
    other.set("version", 7, timeout=1)
    assert this_server.get_tracked("version") == 7
    other.delete("version")
    assert this_server.get_tracked("version", default="gone") == "gone"


def test_a_flushed_database_drops_every_tracked_value(redis_url):
    url = redis_url.rsplit("/", 1)[0] + "/14"  # a database of its own: it is flushed
    this_server, other = RedisCache(url, {}), RedisCache(url, {})
    other.set("version", 3)
    assert this_server.get_tracked("version") == 3
    other.clear()
    assert this_server.get_tracked("version") is None


def test_a_closed_connection_is_replaced_and_the_value_read_again(make_cache):
    cache, other = make_cache(), make_cache()
    other.set("version", 5)
    assert cache.get_tracked("version") == 5
    connection = cache._tracked._current_connection()
    connection.send_command("CLIENT", "ID")
    client_id = connection.read_response()
    redis.Redis.from_url(REDIS_URL).client_kill_filter(_id=client_id)
    # The kill dropped the tracking with the connection: a change now sends no message.
    other.incr("version")
    assert cache.get_tracked("version") == 6
    assert cache._tracked._current_connection() is not connection


def test_a_forked_worker_opens_a_connection_of_its_own(make_cache):
    cache = make_cache()
    cache.set("version", 1)
    cache.get_tracked("version")
    parents = cache._tracked._current_connection()
    cache._tracked._pid = -1  # as if this were a child process forked after the first read
    assert cache.get_tracked("version") == 1
    assert cache._tracked._current_connection() is not parents


def test_an_edit_on_another_server_is_seen_by_the_page_cache_at_once(redis_url, rf, db):
    from portal.pagecache import VERSION_KEY, cached_public_page

    renders = []

    @cached_public_page
    def view(request):
        renders.append(1)
        return HttpResponse(f"render {len(renders)}")

    prefix = f"test-{uuid.uuid4().hex}"
    shared = {"BACKEND": "portal.cache.RedisCache", "LOCATION": redis_url, "KEY_PREFIX": prefix}
    pages = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": prefix}
    with override_settings(CACHES={"default": shared, "pages": pages}):
        assert view(rf.get("/careers/")).content == b"render 1"
        assert view(rf.get("/careers/")).content == b"render 1"
        editors_server = RedisCache(redis_url, {"KEY_PREFIX": prefix})
        editors_server.incr(VERSION_KEY)  # what invalidate_public_pages() does there
        assert view(rf.get("/careers/")).content == b"render 2"
        editors_server.delete(VERSION_KEY)


def test_a_server_without_client_tracking_is_read_every_time(make_cache, monkeypatch):
    from redis.connection import AbstractConnection

    send = AbstractConnection.send_command

    def refuse_tracking(connection, *args, **kwargs):
        if args[:2] == ("CLIENT", "TRACKING"):
            args = ("CLIENT", "TRACKING", "NOT-A-MODE")  # answered with an error, as old servers do
        return send(connection, *args, **kwargs)

    monkeypatch.setattr(AbstractConnection, "send_command", refuse_tracking)
    cache, other = make_cache(), make_cache()
    other.set("version", 1)
    assert cache.get_tracked("version") == 1
    other.incr("version")
    assert cache.get_tracked("version") == 2
    assert cache.__dict__["_tracking_unavailable"]


def test_pages_render_without_the_cache_while_redis_is_unreachable(rf, db):
    from portal.pagecache import cached_public_page

    renders = []

    @cached_public_page
    def view(request):
        renders.append(1)
        return HttpResponse("page")

    nowhere = {"BACKEND": "portal.cache.RedisCache", "LOCATION": "redis://127.0.0.1:1/0"}
    pages = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "x"}
    with override_settings(CACHES={"default": nowhere, "pages": pages}):
        assert [view(rf.get("/careers/")).status_code for _ in range(3)] == [200] * 3
    assert len(renders) == 3


def test_a_read_that_times_out_leaves_no_half_read_connection_behind(make_cache, monkeypatch):
    cache, other = make_cache(), make_cache()
    other.set("version", 1)
    assert cache.get_tracked("version") == 1
    connection = cache._tracked._current_connection()
    cache._tracked.forget()  # the next read must ask Redis

    def time_out(*args, **kwargs):
        raise redis.TimeoutError("Timeout reading from socket")

    monkeypatch.setattr(connection, "read_response", time_out)
    with pytest.raises(redis.TimeoutError):
        cache.get_tracked("version")
    monkeypatch.undo()
    other.incr("version")
    assert cache.get_tracked("version") == 2
    assert cache._tracked._current_connection() is not connection

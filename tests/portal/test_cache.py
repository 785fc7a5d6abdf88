"""The Redis cache backend, against a real Redis server (TEST_REDIS_URL, by default
redis://127.0.0.1:6379/15). Without one these tests are skipped, except in CI."""

import os
import time
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


# --- Bounded staleness: a lost invalidation is never trusted longer than max_age ----------


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


def test_a_lost_invalidation_delays_a_change_by_max_age_at_most(make_cache, monkeypatch):
    clock = Clock()
    monkeypatch.setattr("portal.cache.time.monotonic", clock)
    cache, editors_server = make_cache(), make_cache()
    editors_server.set("version", 1)
    assert cache.get_tracked("version") == 1
    connection = cache._tracked._current_connection()
    connection._parser.set_invalidation_push_handler(lambda message: None)  # swallowed
    sent = count_commands(monkeypatch, cache)

    editors_server.incr("version")
    clock.now += 0.9
    assert [cache.get_tracked("version") for _ in range(100)] == [1] * 100
    assert sent == []  # within the second: still no round trip per read
    clock.now += 0.2
    assert cache.get_tracked("version") == 2
    assert [cache.get_tracked("version") for _ in range(100)] == [2] * 100
    assert sent == ["GET"]  # one round trip per second, not one per read


class FreezingProxy:
    """A TCP proxy whose open connections can go silent, as a half-open link does: nothing
    is forwarded either way and nothing is closed. New connections pass through."""

    def __init__(self, target):
        import socket
        import threading

        self.target = target
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.frozen = set()
        self.open = []
        self.threading = threading
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        import socket

        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            upstream = socket.create_connection(self.target)
            pair = (client, upstream)
            self.open.append(pair)
            for source, sink in (pair, pair[::-1]):
                self.threading.Thread(
                    target=self._pump, args=(source, sink, pair), daemon=True
                ).start()

    def _pump(self, source, sink, pair):
        try:
            while data := source.recv(65536):
                if pair not in self.frozen:
                    sink.sendall(data)
        except OSError:
            pass

    def freeze(self):
        self.frozen.update(self.open)

    def close(self):
        self.listener.close()
        for pair in self.open:
            for sock in pair:
                sock.close()


def test_a_silently_dead_tracking_link_is_given_up_and_replaced(make_cache, monkeypatch, rf):
    from urllib.parse import urlsplit

    monkeypatch.setattr("portal.cache.TRACKING_SOCKET_TIMEOUT", 0.3)
    parts = urlsplit(REDIS_URL)
    proxy = FreezingProxy((parts.hostname, parts.port or 6379))
    try:
        editors_server = make_cache()
        through_proxy = REDIS_URL.replace(parts.netloc, f"127.0.0.1:{proxy.port}")
        cache = RedisCache(through_proxy, {"KEY_PREFIX": editors_server.key_prefix})
        editors_server.set("version", 1)
        assert cache.get_tracked("version", max_age=0.2) == 1
        dead = cache._tracked._current_connection()
        proxy.freeze()  # the link dies without a FIN or RST: the socket looks fine

        editors_server.incr("version")
        assert cache.get_tracked("version", max_age=0.2) == 1  # the message never comes
        time.sleep(0.25)
        started = time.monotonic()
        with pytest.raises(redis.TimeoutError):  # asked again, and no answer
            cache.get_tracked("version", max_age=0.2)
        assert time.monotonic() - started < 1
        assert cache.get_tracked("version", max_age=0.2) == 2  # on a new connection
        assert cache._tracked._current_connection() is not dead
    finally:
        proxy.close()


def test_the_page_cache_reads_the_version_with_the_configured_max_age(
    redis_url, rf, db, settings, monkeypatch
):
    from portal.pagecache import VERSION_KEY, cached_public_page

    clock = Clock()
    monkeypatch.setattr("portal.cache.time.monotonic", clock)
    renders = []

    @cached_public_page
    def view(request):
        renders.append(1)
        return HttpResponse(f"render {len(renders)}")

    prefix = f"test-{uuid.uuid4().hex}"
    shared = {"BACKEND": "portal.cache.RedisCache", "LOCATION": redis_url, "KEY_PREFIX": prefix}
    pages = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": prefix}
    settings.CONTENT_VERSION_MAX_AGE = 1.0
    with override_settings(CACHES={"default": shared, "pages": pages}):
        from django.core.cache import cache

        assert view(rf.get("/careers/")).content == b"render 1"
        connection = cache._tracked._current_connection()
        connection._parser.set_invalidation_push_handler(lambda message: None)
        RedisCache(redis_url, {"KEY_PREFIX": prefix}).incr(VERSION_KEY)
        clock.now += 0.5
        assert view(rf.get("/careers/")).content == b"render 1"  # within the bound
        clock.now += 0.6
        assert view(rf.get("/careers/")).content == b"render 2"  # 1.1 s after: seen
        cache.delete(VERSION_KEY)

"""Django's built-in Redis cache, with clients reused and tracked reads for hot small keys.

- Django builds a new `redis.Redis` for every cache call, and redis-py rebuilds its table of
  response callbacks each time: about 60 µs of CPU per call. A client is thread-safe and
  shares the pool's connections, so one is kept and reused.
- `get_tracked()` reads a key that nearly every request needs (the page cache's content
  version) without a round trip while it is unchanged, using Redis's server-assisted
  client-side caching (`CLIENT TRACKING`, Redis 6 or later). redis-py's own client-side
  cache would do it but refuses servers older than 7.4; Debian's is 7.0.

Bounded staleness. Tracking trusts its socket to deliver every invalidation, and a socket
can die without saying so (a half-open TCP link, a failover that never closes it): the copy
would then be kept, and stale pages served, forever. So a copy is also trusted for at most
`max_age` seconds (the page cache passes `CONTENT_VERSION_MAX_AGE`, 1 s): the first read after
that asks Redis again, on the same connection, with a socket timeout, so a dead link shows up
as an error (pages are then rendered without the cache) and a new connection is opened on the
next read. That costs each process one round trip per `max_age` (about 0.1 ms a second),
not one per request. A heartbeat key would bound it too, but it would need a writer running
somewhere and still a read on a timer; re-reading is simpler and has no moving part.
"""

import logging
import os
import threading
import time

from django.core.cache.backends import redis as django_redis
from redis.connection import ConnectionPool
from redis.exceptions import ConnectionError, ResponseError

logger = logging.getLogger(__name__)

# How long a tracked copy is trusted without asking Redis, whatever the socket says.
TRACKED_READ_MAX_AGE = 1.0
# A tracked read that Redis does not answer within this long is an error, not a hang: the
# half-open link the re-read exists to catch would otherwise block a worker for minutes.
TRACKING_SOCKET_TIMEOUT = 1.0


class ReusedClientRedisCacheClient(django_redis.RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            client = self._clients[index] = super().get_client(key, write=write)
        return client


class TrackingUnavailable(Exception):
    """The server refused RESP3 or CLIENT TRACKING (Redis older than 6, or a look-alike)."""


class TrackedReads:
    """Raw values of Redis keys, kept in memory until Redis says they changed.

    One connection of its own per process turns on `CLIENT TRACKING`: Redis then remembers
    which keys it read and, the moment any client changes, expires or evicts one of them (or
    flushes the database), pushes an invalidation message down this connection. Redis sends
    it in the same pass as its reply to the writer, so by the time an editor's save has
    answered, every app server has the message waiting in its socket. A read first drains
    whatever is waiting (a non-blocking poll, a few µs) and only asks Redis again for a key
    that was invalidated, or whose copy is older than the read's `max_age` (a message lost
    on a silently dead link is not waited for). If the connection fails, the copies are
    dropped and the error is raised unless a second try on a new connection succeeds; a read
    that times out drops them and raises, and the next read opens a new connection.
    """

    def __init__(self, url: str, **pool_options):
        self._url = url
        self._pool_options = pool_options
        self._lock = threading.Lock()
        self._pid = None
        self._connection = None
        self._values = {}

    def get(self, key: str, max_age: float = TRACKED_READ_MAX_AGE):
        """The value of `key`, from memory if Redis has not said it changed and the copy is
        at most `max_age` seconds old."""
        with self._lock:
            try:
                return self._read(key, max_age)
            except ConnectionError:
                # The connection was closed (a Redis restart, an idle timeout): once more on a
                # new one, whose first read of the key asks Redis.
                self._reset()
            except BaseException:
                self._reset()  # e.g. a timeout halfway through a reply: never reuse it
                raise
            try:
                return self._read(key, max_age)
            except BaseException:
                self._reset()
                raise

    def _read(self, key: str, max_age: float):
        connection = self._current_connection()
        while connection.can_read(timeout=0):
            connection.read_response(push_request=True)
        now = time.monotonic()
        copy = self._values.get(key)
        if copy is None or now - copy[1] > max_age:
            connection.send_command("GET", key)
            copy = self._values[key] = (connection.read_response(), now)
        return copy[0]

    def forget(self, key: str | None = None) -> None:
        """Drop the copy of `key` (of every key if None): this process just changed it."""
        with self._lock:
            if key is None:
                self._values.clear()
            else:
                self._values.pop(key, None)

    def _current_connection(self):
        if self._pid != os.getpid():  # a forked worker must not share its parent's socket
            self._connection = None
            self._values.clear()
        if self._connection is None:
            options = {
                "socket_timeout": TRACKING_SOCKET_TIMEOUT,
                "socket_connect_timeout": TRACKING_SOCKET_TIMEOUT,
                **self._pool_options,
                "protocol": 3,
                "max_connections": 1,
            }
            pool = ConnectionPool.from_url(self._url, **options)
            try:
                connection = pool.get_connection()
                connection._parser.set_invalidation_push_handler(self._invalidated)
                connection.send_command("CLIENT", "TRACKING", "ON")
                connection.read_response()
            except ResponseError as error:
                pool.disconnect()
                raise TrackingUnavailable(str(error)) from error
            self._connection, self._pid = connection, os.getpid()
        return self._connection

    def _invalidated(self, message) -> None:
        # [b"invalidate", [key, ...]], or [b"invalidate", None] when the database was flushed.
        keys = message[1]
        if keys is None:
            self._values.clear()
        for key in keys or ():
            self._values.pop(key.decode() if isinstance(key, bytes) else key, None)

    def _reset(self) -> None:
        self._values.clear()
        if self._connection is not None and self._pid == os.getpid():
            self._connection.disconnect()
        self._connection = None


class RedisCache(django_redis.RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusedClientRedisCacheClient

    @property
    def _tracked(self) -> TrackedReads:
        tracked = self.__dict__.get("_tracked_reads")
        if tracked is None:
            client = self._cache
            write_server = client._servers[0]
            tracked = self.__dict__["_tracked_reads"] = TrackedReads(
                write_server, **client._pool_options
            )
        return tracked

    def get_tracked(self, key, default=None, version=None, max_age=TRACKED_READ_MAX_AGE):
        """`get()` answered from memory until Redis reports the key changed, or the copy is
        older than `max_age` seconds (a lost invalidation is never trusted longer).

        A server without client tracking gets a plain `get()` each time instead.
        """
        if self.__dict__.get("_tracking_unavailable"):
            return self.get(key, default, version=version)
        redis_key = self.make_and_validate_key(key, version=version)
        try:
            value = self._tracked.get(redis_key, max_age)
        except TrackingUnavailable as error:
            logger.warning("Redis refused client tracking (%s); reading %s every time", error, key)
            self.__dict__["_tracking_unavailable"] = True
            return self.get(key, default, version=version)
        return default if value is None else self._cache._serializer.loads(value)

    # Changes made by this process are seen by its next read without waiting for Redis's
    # message (which follows anyway).
    def set(self, key, value, timeout=django_redis.DEFAULT_TIMEOUT, version=None):
        super().set(key, value, timeout, version=version)
        self._tracked.forget(self.make_and_validate_key(key, version=version))

    def add(self, key, value, timeout=django_redis.DEFAULT_TIMEOUT, version=None):
        added = super().add(key, value, timeout, version=version)
        self._tracked.forget(self.make_and_validate_key(key, version=version))
        return added

    def incr(self, key, delta=1, version=None):
        value = super().incr(key, delta, version=version)
        self._tracked.forget(self.make_and_validate_key(key, version=version))
        return value

    def delete(self, key, version=None):
        deleted = super().delete(key, version=version)
        self._tracked.forget(self.make_and_validate_key(key, version=version))
        return deleted

    def clear(self):
        cleared = super().clear()
        self._tracked.forget()
        return cleared

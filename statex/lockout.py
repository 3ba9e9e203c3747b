"""Failed sign-ins per account: after a few, each next try waits longer; after more, a lock."""

from __future__ import annotations

import hashlib
import logging
import time
from dataclasses import dataclass
from functools import wraps

from redis import Redis, RedisError

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Policy:
    slow_after: int = 3        # failures before each next attempt must wait
    delay: float = 2.0         # seconds to wait after the first slowed failure, doubling
    lock_after: int = 10       # failures that lock the account
    lock_seconds: float = 900  # how long the lock lasts; also how long failures are remembered


def _open_without_redis(default):
    """With Redis unreachable, sign-in stays possible (rate limits still hold per process)."""

    def decorate(method):
        @wraps(method)
        def wrapped(*args, **kwargs):
            try:
                return method(*args, **kwargs)
            except RedisError:
                log.warning("lockout counters unavailable (Redis): %s not applied", method.__name__, exc_info=True)
                return default

        return wrapped

    return decorate


class Lockout:
    """Counters in Redis keyed by a hash of the email, so unknown addresses are slowed alike."""

    def __init__(self, redis: Redis, policy: Policy):
        self.redis = redis
        self.policy = policy

    def _key(self, email: str) -> str:
        return "lockout:" + hashlib.sha256(email.strip().lower().encode()).hexdigest()

    @_open_without_redis(0.0)
    def wait(self, email: str, now: float | None = None) -> float:
        """Seconds until this account may try again; 0 when it may now."""
        now = time.time() if now is None else now
        state = self.redis.hgetall(self._key(email))
        if not state:
            return 0.0
        failures, last = int(state[b"failures"]), float(state[b"last"])
        remaining = max(0.0, last + self._pause(failures) - now)
        if remaining == 0 and failures >= self.policy.lock_after:
            self.clear(email)  # a lock that has run its course starts the count afresh
        return remaining

    def _pause(self, failures: int) -> float:
        policy = self.policy
        if failures >= policy.lock_after:
            return policy.lock_seconds
        if failures >= policy.slow_after:
            return min(policy.delay * 2 ** (failures - policy.slow_after), policy.lock_seconds)
        return 0.0

    @_open_without_redis(0.0)
    def fail(self, email: str, now: float | None = None) -> float:
        """Count a failure; returns the wait it imposes before the next attempt."""
        now = time.time() if now is None else now
        key = self._key(email)
        with self.redis.pipeline() as pipe:
            pipe.hincrby(key, "failures", 1)
            pipe.hset(key, "last", repr(now))
            pipe.expire(key, max(1, int(self.policy.lock_seconds * 2)))
            failures = pipe.execute()[0]
        return self._pause(failures)

    @_open_without_redis(False)
    def locked(self, email: str) -> bool:
        """Whether the account is past the lock threshold (not merely slowed)."""
        failures = self.redis.hget(self._key(email), "failures")
        return failures is not None and int(failures) >= self.policy.lock_after

    @_open_without_redis(None)
    def clear(self, email: str) -> None:
        """Forget the failures (after a successful sign-in or a password reset)."""
        self.redis.delete(self._key(email))

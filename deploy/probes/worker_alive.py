"""Liveness probe of an RQ worker container: is a worker of this host registered in Redis?

RQ keeps a worker's registration alive with a heartbeat, also while a job runs, so a registration
of this host (the container's or pod's hostname) means its worker loop still turns. When Redis
itself cannot be reached the probe passes: restarting workers does not bring Redis back, and the
worker reconnects on its own. Usage: python deploy/probes/worker_alive.py [QUEUE ...]
"""

from __future__ import annotations

import os
import socket
import sys

from redis import Redis
from redis.exceptions import ConnectionError as RedisConnectionError, TimeoutError as RedisTimeoutError
from rq import Worker


def registered_here(redis: Redis, hostname: str, queues: set[str]) -> bool:
    """True when a worker of `hostname` serving all `queues` is registered."""
    for worker in Worker.all(connection=redis):
        if worker.hostname == hostname and queues <= set(worker.queue_names()):
            return True
    return False


def main(argv: list[str]) -> int:
    redis = Redis.from_url(os.environ["REDIS_URL"], socket_connect_timeout=3, socket_timeout=3)
    hostname = socket.gethostname()
    try:
        alive = registered_here(redis, hostname, set(argv))
    except (RedisConnectionError, RedisTimeoutError) as error:
        print(f"Redis unreachable ({error}); not restarting the worker for it", file=sys.stderr)
        return 0
    if not alive:
        print(f"no RQ worker of host {hostname} for {sorted(argv) or 'any queue'} is registered",
              file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""Redis restarted empty while submissions wait in the queues: the reconciler gets them all done once."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from sqlalchemy import func, select

from portal import create_app
from statex.config import load_settings
from statex.db import session_scope
from statex.models import Delivery, OutboxMessage, Submission, SubmissionEvent
from statex.queue import AI, connect
from tests.conftest import wait_for_redis
from tests.helpers import free_port, wait_until

BATCH = 5


class RedisServer:
    """A Redis of this test's own, stopped and started again on the same port, empty."""

    def __init__(self, workdir):
        self.port, self.workdir, self.process = free_port(), workdir, None
        self.url = f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen([shutil.which("redis-server"), "--port", str(self.port), "--bind",
                                         "127.0.0.1", "--save", "", "--appendonly", "no",
                                         "--dir", str(self.workdir)], stdout=subprocess.DEVNULL)
        wait_for_redis(self.url)

    def stop(self) -> None:
        self.process.kill()
        self.process.wait()


@pytest.fixture
def redis_server(tmp_path, monkeypatch):
    server = RedisServer(tmp_path)
    server.start()
    monkeypatch.setenv("REDIS_URL", server.url)
    yield server
    server.stop()


def test_work_lost_with_redis_is_done_once(redis_server, make_user, make_token, processes):
    settings = load_settings()
    client = create_app(settings=settings).test_client()
    email, _password, _user = make_user()
    headers = {"Authorization": f"Bearer {make_token(email)}"}
    for number in range(BATCH):
        response = client.post("/api/v1/submissions", headers=headers,
                               json={"description": f"We need a chatbot for customer questions, shop {number}."})
        assert response.status_code == 201
    assert connect(settings.redis_url).llen(f"rq:queue:{AI}") == BATCH

    redis_server.stop()
    redis_server.start()
    assert connect(settings.redis_url).dbsize() == 0
    processes.start("worker", "worker")
    processes.start("scheduler", "scheduler", "--interval", "0.5")

    with session_scope(settings.database_url) as session:
        def completed():
            session.expire_all()
            return session.scalar(select(func.count()).where(Submission.status == "completed")) == BATCH
        wait_until(completed, timeout=120, message="every submission to complete")
        wait_until(lambda: session.scalar(select(func.count()).select_from(OutboxMessage)
                                          .where(OutboxMessage.subject.contains("results are ready"))) == BATCH,
                   timeout=60, message="one results message per submission")
        for kind in ("processing.started", "analysis.completed", "submission.completed"):
            counts = session.execute(select(func.count()).where(SubmissionEvent.kind == kind)
                                     .group_by(SubmissionEvent.submission_id)).scalars().all()
            assert counts == [1] * BATCH, kind
        assert session.scalar(select(func.count()).select_from(Delivery)
                              .where(Delivery.event == "submission.completed")) == BATCH

"""Workers killed with SIGKILL in the middle of pipeline steps: every submission still completes once."""

from __future__ import annotations

import io

from rq import Queue
from rq.job import Job
from sqlalchemy import func, select

from statex.db import session_scope
from statex.models import Delivery, OutboxMessage, Submission
from statex.queue import AI, connect
from tests.helpers import wait_until
from tests.statex import extraction_samples as samples

BATCH = 4
STEPS = ("extract_file", "analyse_run")
LONG_TEXT = " ".join(
    ["We run a regional chain of bakeries and want to forecast demand for each shop and each day."] * 150)


def _running_step(redis, step: str) -> bool:
    registry = Queue(AI, connection=redis).started_job_registry
    for job_id in registry.get_job_ids():
        job = Job.fetch(job_id, connection=redis)
        if job.func_name.endswith(step):
            return True
    return False


def test_every_submission_completes_once_despite_killed_workers(client, make_user, make_token, settings,
                                                                 processes, tmp_path):
    email, _password, _user = make_user()
    headers = {"Authorization": f"Bearer {make_token(email)}"}
    voice = samples.speech_wav(tmp_path)
    for number in range(BATCH):
        response = client.post("/api/v1/submissions", headers=headers, content_type="multipart/form-data",
                               data={"description": f"{LONG_TEXT} Request {number}.",
                                     "voice": (io.BytesIO(voice), "voice.wav")})
        assert response.status_code == 201
    redis = connect(settings.redis_url)
    processes.start("scheduler", "scheduler", "--interval", "0.5")
    processes.start("worker", "worker")

    killed = []
    for step in STEPS:
        # Catch the worker inside this step, kill it and its work horse, then start a new one. A worker
        # starting on a loaded machine may take a minute to reach its first job; the wait ends when it does.
        try:
            wait_until(lambda step=step: _running_step(redis, step), timeout=180, every=0.02, message=f"a {step} job")
        except AssertionError:
            continue
        processes.kill("worker")
        killed.append(step)
        processes.start("worker", "worker")
    assert "extract_file" in killed and "analyse_run" in killed, killed

    with session_scope(settings.database_url) as session:
        def all_done():
            session.expire_all()
            return session.scalar(select(func.count()).where(Submission.status == "completed")) == BATCH
        wait_until(all_done, timeout=240, message="every submission to complete")
        wait_until(lambda: session.scalar(select(func.count()).select_from(OutboxMessage)
                                          .where(OutboxMessage.subject.contains("results are ready"))) == BATCH,
                   timeout=60, message="one results message per submission")
        deliveries = session.execute(select(Delivery.key, Delivery.status)
                                     .where(Delivery.event == "submission.completed")).all()
    assert len(deliveries) == BATCH and {status for _key, status in deliveries} == {"sent"}

"""Staff see failed jobs with their errors and retry or discard them; nobody else sees the queues."""

from rq import Queue

from statex.queue import AI, ANALYSE_RUN, connect
from tests.portal.accounts_helpers import login, post


def _failed_job(settings, run_jobs) -> str:
    """A job that really fails on a real worker: the run id is not a UUID."""
    job = Queue(AI, connection=connect(settings.redis_url)).enqueue(ANALYSE_RUN.func, "not-a-uuid")
    run_jobs()
    return job.id


def test_staff_retry_and_discard_failed_jobs(client, make_user, settings, run_jobs):
    job_id = _failed_job(settings, run_jobs)
    email, password, _id = make_user(role="staff")
    login(client, email, password)
    page = client.get("/portal/staff/queues").get_data(as_text=True)
    assert ANALYSE_RUN.func in page and "badly formed hexadecimal UUID string" in page

    retried = post(client, f"/portal/staff/queues/ai/failed/{job_id}/retry", page="/portal/staff/queues")
    assert retried.status_code == 303
    queue = Queue(AI, connection=connect(settings.redis_url))
    assert job_id in queue.get_job_ids() and job_id not in queue.failed_job_registry

    run_jobs()
    assert job_id in queue.failed_job_registry
    discarded = post(client, f"/portal/staff/queues/ai/failed/{job_id}/discard", page="/portal/staff/queues")
    assert discarded.status_code == 303 and job_id not in queue.failed_job_registry
    again = post(client, f"/portal/staff/queues/ai/failed/{job_id}/discard", page="/portal/staff/queues")
    assert again.status_code == 404
    unknown = post(client, f"/portal/staff/queues/nope/failed/{job_id}/retry", page="/portal/staff/queues")
    assert unknown.status_code == 404


def test_clients_do_not_see_the_queues(client, make_user):
    email, password, _id = make_user()
    login(client, email, password)
    assert client.get("/portal/staff/queues").status_code == 404

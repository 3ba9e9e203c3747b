"""The JSON API: bearer tokens, creating and reading submissions, problem+json errors."""

from datetime import timedelta

from rq.job import Job
from sqlalchemy import select, update

from statex import accounts, queue
from statex.db import session_scope
from statex.models import ApiToken, QueuedJob
from statex.models.base import utcnow
from tests.conftest import statements_run

DESCRIPTION = ("Our online shop gets hundreds of customer emails a week. We want an assistant that "
               "drafts answers about orders, returns and delivery times, in Czech and English.")


def _headers(token):
    return {"Authorization": f"Bearer {token}"}


def test_create_then_read_until_completed(client, make_user, make_token, run_jobs):
    email, _password, _id = make_user()
    token = make_token(email)
    response = client.post("/api/v1/submissions", json={"description": DESCRIPTION}, headers=_headers(token))
    assert response.status_code == 201
    body = response.get_json()
    assert body["status"] == "received"
    assert response.headers["Location"] == f"/api/v1/submissions/{body['id']}"

    run_jobs()
    done = client.get(response.headers["Location"], headers=_headers(token)).get_json()
    assert done["status"] == "completed"
    assert done["result"]["language"] == "en"
    assert done["result"]["summary"]
    assert any("email" in k.lower() or "shop" in k.lower() for k in done["result"]["keywords"])
    assert [e["kind"] for e in done["events"]][0] == "submission.created"


def test_missing_token_is_401_problem(client):
    response = client.get("/api/v1/submissions")
    assert response.status_code == 401
    assert response.mimetype == "application/problem+json"
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_expired_token_is_refused(client, make_user, make_token):
    email, _p, _i = make_user()
    token = make_token(email, expires_at=utcnow() - timedelta(minutes=1))
    assert client.get("/api/v1/submissions", headers=_headers(token)).status_code == 401


def test_invalid_body_names_the_field(client, make_user, make_token):
    email, _p, _i = make_user()
    response = client.post("/api/v1/submissions", json={"description": ""}, headers=_headers(make_token(email)))
    assert response.status_code == 422
    assert response.mimetype == "application/problem+json"
    assert "description" in response.get_json()["errors"]


def test_non_json_body_is_a_problem(client, make_user, make_token):
    email, _p, _i = make_user()
    response = client.post("/api/v1/submissions", data="description=x", headers=_headers(make_token(email)))
    assert response.status_code == 400
    assert response.mimetype == "application/problem+json"


def test_another_clients_submission_is_404(client, make_user, make_token):
    ann, _p, _i = make_user()
    bob, _p, _i = make_user()
    created = client.post("/api/v1/submissions", json={"description": DESCRIPTION},
                          headers=_headers(make_token(ann))).get_json()
    response = client.get(f"/api/v1/submissions/{created['id']}", headers=_headers(make_token(bob)))
    assert response.status_code == 404
    assert response.mimetype == "application/problem+json"


def test_list_is_paginated_and_filtered(client, make_user, make_token):
    email, _p, _i = make_user()
    token = make_token(email)
    for n in range(3):
        client.post("/api/v1/submissions", json={"description": f"{DESCRIPTION} {n}"}, headers=_headers(token))
    page = client.get("/api/v1/submissions?per_page=2", headers=_headers(token)).get_json()
    assert page["total"] == 3 and len(page["items"]) == 2
    assert client.get("/api/v1/submissions?status=completed", headers=_headers(token)).get_json()["total"] == 0
    assert client.get("/api/v1/submissions?status=bogus", headers=_headers(token)).status_code == 400


def test_unknown_api_route_is_problem_json(client, make_user, make_token):
    email, _p, _i = make_user()
    response = client.get("/api/v1/nothing-here", headers=_headers(make_token(email)))
    assert response.status_code == 404
    assert response.mimetype == "application/problem+json"


def _last_used(settings, token):
    with session_scope(settings.database_url) as session:
        return session.scalar(select(ApiToken.last_used_at).where(ApiToken.token_hash == accounts.hash_token(token)))


def test_a_tokens_last_use_is_kept_to_the_minute(client, make_user, make_token, settings):
    email, _p, _i = make_user()
    token = make_token(email)
    assert _last_used(settings, token) is None
    assert client.get("/api/v1/submissions", headers=_headers(token)).status_code == 200
    first = _last_used(settings, token)
    assert first is not None

    # A request within the minute does not write the token again...
    assert client.get("/api/v1/submissions", headers=_headers(token)).status_code == 200
    assert _last_used(settings, token) == first
    # ...one after it does.
    with session_scope(settings.database_url) as session:
        session.execute(update(ApiToken).values(last_used_at=first - timedelta(minutes=2)))
        session.commit()
    assert client.get("/api/v1/submissions", headers=_headers(token)).status_code == 200
    assert _last_used(settings, token) > first


def test_creating_a_submission_costs_a_bounded_number_of_statements(client, make_user, make_token, settings):
    email, _p, _i = make_user()
    token = make_token(email)
    counts = []
    for number in range(3):
        with statements_run(settings.database_url) as statements:
            response = client.post("/api/v1/submissions", json={"description": f"{DESCRIPTION} ({number})"},
                                   headers=_headers(token))
        assert response.status_code == 201
        counts.append(len(statements))
    # The token and its owner, the owner again for the rate limit, the submission with its event, run,
    # two jobs and change stamp, and the jobs handed to Redis.
    assert counts[1:] == [9, 9]


def test_a_request_hands_its_own_jobs_to_redis_and_leaves_a_backlog_to_the_scheduler(
        client, make_user, make_token, settings, redis):
    email, _p, _i = make_user()
    token = make_token(email)
    with session_scope(settings.database_url) as session:
        queue.schedule(session, queue.NOTIFY_EVENT, "1")
        session.flush()
        backlog = set(session.scalars(select(QueuedJob.id)))
    response = client.post("/api/v1/submissions", json={"description": DESCRIPTION}, headers=_headers(token))
    assert response.status_code == 201

    with session_scope(settings.database_url) as session:
        jobs = session.scalars(select(QueuedJob)).all()
    own = [job for job in jobs if job.id not in backlog]
    assert own and all(job.enqueued_at is not None and redis.exists(Job.key_for(str(job.id))) for job in own)
    assert all(job.enqueued_at is None for job in jobs if job.id in backlog)


def test_a_title_is_optional_and_a_long_one_a_named_error(client, make_user, make_token, run_jobs):
    email, _password, _id = make_user()
    headers = _headers(make_token(email))
    refused = client.post("/api/v1/submissions", json={"description": DESCRIPTION, "title": "T" * 101},
                          headers=headers)
    assert refused.status_code == 422 and refused.mimetype == "application/problem+json"
    assert refused.get_json()["errors"] == {"title": ["Keep the title to 100 characters or fewer (it has 101)."]}
    created = client.post("/api/v1/submissions", json={"description": DESCRIPTION}, headers=headers).get_json()
    assert created["title"] == "Our online shop gets hundreds of customer emails a week"  # provisional
    run_jobs()
    done = client.get(f"/api/v1/submissions/{created['id']}", headers=headers).get_json()
    assert done["title"] == "We want an assistant that drafts answers about orders, returns and…"

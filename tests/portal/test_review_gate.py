"""With review on, a result waiting for staff reaches its client nowhere: page, API or data export."""

from __future__ import annotations

import io
import json
import uuid
import zipfile

import requests

from statex import pipeline, review
from statex.db import session_scope
from statex.models import Submission, User
from tests.portal.served import Visitor, serve

DESCRIPTION = "We receive 800 PDF invoices a month and want them read into our ERP automatically."


def _export(visitor: Visitor) -> dict:
    response = visitor.form("/portal/account/export", page="/portal/account/")
    assert response.status_code == 200
    return json.loads(zipfile.ZipFile(io.BytesIO(response.content)).read("data.json"))


def test_a_result_in_review_is_in_no_page_api_answer_or_export_until_approved(
        app, make_user, make_token, run_jobs, settings):
    with session_scope(settings.database_url) as session:
        review.set_policy(session, True, [])
    email, _, _ = make_user()
    _staff_email, _, staff_id = make_user(role="staff")
    api = {"Authorization": f"Bearer {make_token(email)}"}
    with serve(app) as base:
        ann = Visitor(base)
        ann.login(email)
        page = ann.form("/portal/submissions/new", {"description": DESCRIPTION, "language": "en"},
                        page="/portal/submissions/new").headers["Location"]
        submission_id = page.rstrip("/").rsplit("/", 1)[-1]
        run_jobs()

        [held] = _export(ann)["submissions"]
        assert held["status"] == "in_review" and held["result"] is None
        seen = requests.get(f"{base}/api/v1/submissions/{submission_id}", headers=api, timeout=10).json()
        assert seen["result"] is None
        assert 'class="result"' not in ann.get(page, headers={"HX-Request": "true"}).text

        with session_scope(settings.database_url) as session:
            submission = session.get(Submission, uuid.UUID(submission_id))
            assert pipeline.approve(session, submission, session.get(User, staff_id))
        run_jobs()
        [approved] = _export(ann)["submissions"]
        assert approved["status"] == "completed" and approved["result"]["summary"]
        assert 'class="result"' in ann.get(page, headers={"HX-Request": "true"}).text

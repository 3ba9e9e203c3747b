"""Arranging offers for tests through the product's own functions: a request with an analysis, a draft."""

from __future__ import annotations

import uuid

from statex import accounts, offers, submissions
from statex.analysis import catalogue_for
from statex.db import session_scope
from statex.models import AnalysisResult
from statex.models.base import utcnow

RECOMMENDED = [{"slug": "document-extraction", "title": "Document data extraction", "url": "", "score": 0.7},
               {"slug": "support-assistant", "title": "Support assistant", "url": "", "score": 0.3}]


def analysed_request(session, owner, language="en", budget=None, services=RECOMMENDED, description=None):
    """A completed submission of `owner` whose analysis recommends `services` and states `budget`."""
    submission = submissions.create(session, owner, description or "We want our invoices read automatically.",
                                    language, process=False)
    data = {"summary": "Invoices, read.", "language": language, "keywords": [], "recommended_services": services,
            "no_service_fits": not services, "facts": {"budget": budget, "company": "Pekárna Novák s.r.o."},
            "provenance": {"provider": "local"}}
    session.add(AnalysisResult(submission=submission, provider="local", data=data))
    submission.status, submission.completed_at = "completed", utcnow()
    session.flush()
    return submission


def drafted_offer(settings, email, **request) -> tuple[str, str]:
    """(submission id, offer id) of a committed draft for a new analysed request of the user with `email`."""
    with session_scope(settings.database_url) as session:
        owner = accounts.find_user(session, email)
        submission = analysed_request(session, owner, **request)
        offer = offers.create_draft(session, settings, submission, catalogue_for(settings))
        return str(submission.id), str(offer.id)


def new_client(session, name="Jana Nováková") -> object:
    return accounts.create_user(session, f"client-{uuid.uuid4().hex[:8]}@example.com",
                                "correct horse battery staple", name=name)

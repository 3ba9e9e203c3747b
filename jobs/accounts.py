"""Answer what someone asked for by typing an address (a sign-in or reset link, an account)."""

from __future__ import annotations

from statex import links

from jobs.runtime import job_session


def answer_request(email: str, purpose: str) -> str:
    """Send the account with `email` the link `purpose` asks for; an unknown address gets nothing."""
    with job_session() as (settings, session):
        return links.answer(session, settings.portal_url, settings.secret_key, email, purpose)

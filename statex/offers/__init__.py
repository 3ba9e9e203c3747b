"""Offers' life: drafted from the analysis, edited, sent (numbered, frozen, rendered), then decided by the client.

The domain changes the session and never commits; the view or job that opened it does.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from statex import events
from statex.i18n import gettext as _
from statex.config import Settings
from statex.models import Offer, OfferLine, Submission
from statex.models.base import utcnow
from statex.offers import numbering, pdf
from statex.offers.draft import draft
from statex.storage import Storage, storage_for



class WrongState(RuntimeError):
    """The offer is not in a state that allows this (accepting a draft, an expired or older version, twice)."""


@dataclass(frozen=True)
class Acceptance:
    """What we record of a client's acceptance: who typed what, from where, and the PDF they saw."""

    name: str
    ip: str
    user_agent: str
    pdf_sha256: str


def create_draft(session: Session, settings: Settings, submission: Submission, catalogue) -> Offer:
    """A new draft for `submission` from its analysis, added to the session."""
    offer = draft(submission, settings, catalogue)
    session.add(offer)
    session.flush()  # no timeline event: the client must not learn of a draft
    return offer


def revise(session: Session, offer: Offer) -> Offer:
    """A new draft version of a sent offer (same series and number), copying its lines; the sent one stands."""
    latest = session.scalar(select(Offer).where(Offer.series_id == offer.series_id)
                            .order_by(Offer.version.desc()).limit(1))
    if latest.state == "draft":
        return latest
    copy = Offer(series_id=offer.series_id, version=latest.version + 1, submission_id=latest.submission_id,
                 owner_id=latest.owner_id, number=latest.number, **_terms_of(latest),
                 created_at=utcnow(), updated_at=utcnow(),
                 lines=[OfferLine(**_line_of(line)) for line in latest.lines])
    session.add(copy)
    session.flush()
    return copy


def send(session: Session, settings: Settings, storage: Storage, offer: Offer, today: dt.date | None = None) -> Offer:
    """Number (first version only), freeze, render and store the PDF, supersede older versions; record it.

    The year's counter row stays locked until the caller commits, so concurrent sends wait for each
    other and no number is lost or given twice.
    """
    session.flush()  # edits not yet written would be lost by the refresh below
    session.refresh(offer, with_for_update=True)
    if offer.state != "draft":
        raise WrongState(_("only a draft can be sent; this version is %(state)s", state=offer.state))
    if not offer.lines:
        raise WrongState(_("an offer needs at least one line before it is sent"))
    today = today or utcnow().date()
    offer.number = offer.number or numbering.next_number(session, today.year)
    offer.sent_at = offer.updated_at = utcnow()
    offer.valid_until = today + dt.timedelta(days=offer.valid_days)
    document = pdf.render(offer, settings)
    stored = storage.put(f"offers/{offer.series_id}/{offer.number}-v{offer.version}.pdf", io.BytesIO(document),
                         "application/pdf")
    offer.pdf_key, offer.pdf_sha256, offer.pdf_size = stored.key, stored.sha256, stored.size
    session.execute(update(Offer).where(Offer.series_id == offer.series_id, Offer.id != offer.id,
                                        Offer.state == "sent").values(state="superseded"))
    offer.state = "sent"
    _record(session, offer, "offer.sent")
    return offer


def accept(session: Session, offer: Offer, acceptance: Acceptance, today: dt.date | None = None) -> Offer:
    """The client accepts the latest sent version they were shown, before it expires, once."""
    _decidable(session, offer, today)
    if not acceptance.name.strip():
        raise ValueError("the client's full name is required")
    if acceptance.pdf_sha256 != offer.pdf_sha256:
        raise WrongState(_("the offer changed since it was shown; read the current version first"))
    offer.state, offer.decided_at = "accepted", utcnow()
    offer.accepted_name = acceptance.name.strip()[:255]
    offer.accepted_ip, offer.accepted_user_agent = acceptance.ip[:64], acceptance.user_agent[:512]
    _record(session, offer, "offer.accepted", pdf_sha256=offer.pdf_sha256)
    return offer


def decline(session: Session, offer: Offer, reason: str = "", today: dt.date | None = None) -> Offer:
    """The client declines the latest sent version, with an optional reason."""
    _decidable(session, offer, today)
    offer.state, offer.decided_at, offer.decline_reason = "declined", utcnow(), reason.strip()
    _record(session, offer, "offer.declined", reason=offer.decline_reason)
    return offer


def ask_for_changes(session: Session, offer: Offer, text: str, today: dt.date | None = None) -> None:
    """The client asks staff to change a sent offer: on the timeline, and as the client's message on the thread.

    Staff hear of it once, as of any message the client writes.
    """
    from statex.conversation import thread

    _decidable(session, offer, today)
    _record(session, offer, "offer.changes_requested", text=text.strip())
    body = _("Please change offer %(number)s:", number=offer.number) + "\n\n" + text.strip()
    submission = offer.submission
    thread.post_message(session, submission, submission.owner, body, source="offer", source_id=f"changes:{offer.id}")


def expire_due(session: Session, today: dt.date | None = None) -> int:
    """Mark sent versions past their validity as expired; returns how many."""
    today = today or utcnow().date()
    result = session.execute(update(Offer).where(Offer.state == "sent", Offer.valid_until < today)
                             .values(state="expired", updated_at=utcnow()))
    return result.rowcount or 0


def _decidable(session: Session, offer: Offer, today: dt.date | None) -> None:
    """Lock the version and refuse it unless it is the sent, unexpired latest one."""
    session.flush()
    session.refresh(offer, with_for_update=True)
    if offer.shown_state(today) == "expired":
        offer.state = "expired"
        raise WrongState(_("this offer has expired"))
    if offer.state != "sent":
        raise WrongState(_("this version is %(state)s, not open for a decision", state=offer.state))


def _record(session: Session, offer: Offer, kind: str, **data) -> None:
    if offer.submission is not None:
        events.record(session, offer.submission, kind, offer=str(offer.id), number=offer.number or "",
                      version=offer.version, **data)


def _terms_of(offer: Offer) -> dict:
    names = ("language", "currency", "vat_rate", "valid_days", "cover_text", "payment_terms", "client_name",
             "subtotal", "vat", "total")
    return {name: getattr(offer, name) for name in names}


def _line_of(line: OfferLine) -> dict:
    names = ("position", "slug", "title", "description", "timeline", "quantity", "unit_price", "discount", "total")
    return {name: getattr(line, name) for name in names}


def attachments_for(session: Session, settings: Settings, delivery) -> tuple:
    """The PDF the client accepted, for the email confirming it: the exact version whose sha256 we recorded."""
    event = events.told_by(session, delivery.key) if delivery.event == "offer.accepted" else None
    offer = session.get(Offer, (event.data or {}).get("offer")) if event is not None else None
    if offer is None or not offer.pdf_key:
        return ()
    data = b"".join(storage_for(settings).open(offer.pdf_key))
    return ((f"offer-{offer.number}-v{offer.version}.pdf", "application/pdf", data),)

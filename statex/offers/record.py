"""Offers in a person's own data: what their export holds, and what erasing their account keeps."""

from __future__ import annotations

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from statex.models import Offer, Submission, User
from statex.offers.access import owned
from statex.offers.money import as_text
from statex.storage import Storage

ANONYMISED = "(anonymised)"


def exported(session: Session, user: User) -> list[tuple[dict, str | None, str | None]]:
    """Each offer version sent to `user`: its data, its PDF's storage key and the PDF's path in the export."""
    rows = []
    for offer in session.scalars(owned(user).order_by(Offer.sent_at, Offer.version)):
        path = f"offers/{offer.number}-v{offer.version}.pdf" if offer.pdf_key else None
        rows.append((_data(offer, path), offer.pdf_key, path))
    return rows


def _data(offer: Offer, path: str | None) -> dict:
    moment = lambda value: value.isoformat() if value else None  # noqa: E731
    return {"number": offer.number, "version": offer.version, "state": offer.shown_state(),
            "submission_id": str(offer.submission_id), "currency": offer.currency,
            "lines": [{"title": line.title, "description": line.description, "quantity": as_text(line.quantity),
                       "unit_price": as_text(line.unit_price), "discount": as_text(line.discount),
                       "total": as_text(line.total)} for line in offer.lines],
            "subtotal": as_text(offer.subtotal), "vat_rate": as_text(offer.vat_rate), "vat": as_text(offer.vat),
            "total": as_text(offer.total), "sent_at": moment(offer.sent_at), "valid_until": moment(offer.valid_until),
            "decided_at": moment(offer.decided_at), "decline_reason": offer.decline_reason,
            "acceptance": ({"name": offer.accepted_name, "at": moment(offer.decided_at), "ip": offer.accepted_ip,
                            "user_agent": offer.accepted_user_agent, "pdf_sha256": offer.pdf_sha256}
                           if offer.state == "accepted" else None),
            "pdf": path, "pdf_sha256": offer.pdf_sha256}


def erase(session: Session, storage: Storage, user: User) -> None:
    """Delete the user's offers and their PDFs, except accepted ones: those accounting law keeps, anonymised.

    An accepted offer keeps its number, lines, amounts, dates and PDF (the accounting record); the name typed,
    the address and browser it came from, and the link to the person are removed.
    """
    mine = select(Submission.id).where(Submission.owner_id == user.id)
    series = select(Offer.series_id).where((Offer.owner_id == user.id) | Offer.submission_id.in_(mine))
    doomed = list(session.scalars(select(Offer).where(Offer.series_id.in_(series), Offer.state != "accepted")))
    for offer in doomed:
        if offer.pdf_key:
            storage.delete(offer.pdf_key)
    session.execute(delete(Offer).where(Offer.id.in_([offer.id for offer in doomed])))
    session.execute(update(Offer).where(Offer.series_id.in_(series), Offer.state == "accepted").values(
        owner_id=None, submission_id=None, accepted_name=ANONYMISED, accepted_ip=None, accepted_user_agent=None,
        client_name=ANONYMISED, decline_reason=None))

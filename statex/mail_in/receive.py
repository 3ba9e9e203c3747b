"""Land an inbound reply in its request's thread, or refuse it with an SMTP answer saying why.

The answer is the SMTP reply the sending server gets: 250 once the message is committed, 5xx
(a bounce with its reason) for mail we will never take, 451 while the database or the storage is
away, so that the sender keeps the mail and tries again; nothing refused is stored.
"""

from __future__ import annotations

import logging
import unicodedata
from dataclasses import dataclass

from statex.i18n import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from statex import uploads
from statex.config import Settings
from statex.conversation.thread import NotAllowed, post_message
from statex.mail_in import addresses
from statex.mail_in.reading import Inbound, read_mail
from statex.models import Destination, Submission, User
from statex.storage import Storage

log = logging.getLogger(__name__)
# An SMTP reply line holds at most 512 octets with its code and line break (RFC 5321, 4.5.3.1.5).
REASON_CHARS = 400
QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "‘": "'", "’": "'", "…": "...", "–": "-", "—": "-"})


@dataclass(frozen=True)
class Answer:
    """An SMTP reply: the code, the enhanced status code, and the reason a person reads in the bounce."""

    code: int
    status: str
    reason: str

    def __str__(self) -> str:
        return f"{self.code} {self.status} {ascii_text(self.reason)[:REASON_CHARS]}"


class Refused(Exception):
    """Mail we will not take, for the reason its answer gives."""

    def __init__(self, answer: Answer):
        super().__init__(str(answer))
        self.answer = answer


def check_recipient(settings: Settings, address: str) -> Answer | None:
    """Why we refuse mail to `address` at RCPT already (not one of our reply addresses), else None."""
    try:
        addresses.parse(settings, address)
    except addresses.BadAddress as error:
        return Answer(550, "5.1.1", str(error))
    return None


def receive(settings: Settings, sessions: sessionmaker, storage: Storage, recipient: str, raw: bytes) -> Answer:
    """Post the reply in `raw`, sent to `recipient`, on its request's thread; the SMTP answer."""
    try:
        reply_to = addresses.parse(settings, recipient)
        mail = _read(raw)
        if mail.automatic:
            # Taken and dropped: a bounce would only meet another automatic mail.
            log.info("dropped an automatic mail (%s) to %s", mail.message_id, recipient)
            return Answer(250, "2.0.0", _("Automatic replies are not added to the request."))
        with sessions() as session:
            message_id = _post(settings, session, storage, reply_to, mail)
            session.commit()
    except Refused as refusal:
        log.info("refused a reply to %s: %s", recipient, refusal.answer)
        return refusal.answer
    except addresses.BadAddress as error:
        return Answer(550, "5.1.1", str(error))
    except Exception:  # noqa: BLE001  (database or storage away, or our bug: the sender keeps the mail)
        log.exception("could not take a reply to %s now; the sender will retry", recipient)
        return Answer(451, "4.3.0", _("We cannot take your reply just now; your mail server will try again."))
    log.info("reply %s to %s landed as message %s", mail.message_id, recipient, message_id)
    return Answer(250, "2.0.0", _("Your reply was added to your request."))


def _read(raw: bytes) -> Inbound:
    """The mail read, or refused for good when it cannot be (a retry would read the same bytes)."""
    try:
        return read_mail(raw)
    except Exception:  # noqa: BLE001  (whatever the email package or a charset raises)
        log.exception("an inbound mail could not be read")
        raise Refused(Answer(550, "5.6.0", _("We could not read this mail; write to us from the portal."))) \
            from None


def _post(settings: Settings, session: Session, storage: Storage, reply_to: addresses.ReplyTo,
          mail: Inbound) -> str:
    """Check the reply against its request and the rules for files, then post it; the message's id."""
    submission = session.get(Submission, reply_to.submission_id)
    if submission is None or not reply_to.signature_matches(settings.secret_key, submission.owner_id):
        raise Refused(Answer(550, "5.1.1", _("This is not a reply address we gave out.")))
    client = submission.owner
    if not client.is_active or not submission.is_open:
        raise Refused(Answer(550, "5.7.1", _("This request is closed to replies; write to us from the portal.")))
    if not _is_client(session, client, mail.senders):
        raise Refused(Answer(550, "5.7.1", _(
            "Only the client of this request may reply to it, from the address we wrote to; "
            "%(sender)s is not theirs.", sender=", ".join(mail.senders) or _("a mail without a sender"))))
    files = _checked_files(settings, mail)
    if not mail.text and not files:
        raise Refused(Answer(550, "5.6.0", _("Your reply has no text and no files above the quoted mail.")))
    try:
        message = post_message(session, submission, client, mail.text, files=files, source="email",
                               source_id=mail.message_id, storage=storage)
    except NotAllowed as error:
        raise Refused(Answer(550, "5.7.1", str(error))) from None
    return str(message.id)


def _is_client(session: Session, client: User, senders: list[str]) -> bool:
    """Whether the mail is from the client: their account's address or an email destination they verified."""
    if len(senders) != 1:
        return False
    if senders[0] == client.email.lower():
        return True
    verified = session.scalars(select(Destination.address).where(
        Destination.user_id == client.id, Destination.channel == "email", Destination.verified_at.is_not(None)))
    return senders[0] in {address.lower() for address in verified}


def _checked_files(settings: Settings, mail: Inbound) -> list[uploads.Accepted]:
    """The mail's files under the rules for a request's files; a reply over them is refused whole."""
    limits = uploads.Limits.from_settings(settings)
    if len(mail.text) > limits.max_text_chars:
        raise Refused(Answer(552, "5.3.4", uploads.too_long(len(mail.text), limits.max_text_chars)))
    checked = uploads.check_files(mail.files, limits)
    if checked.errors:
        reasons = " ".join(reason for field in checked.errors.values() for reason in field)
        raise Refused(Answer(552, "5.3.4", reasons))
    return checked.files


def ascii_text(text: str) -> str:
    """`text` as an SMTP reply carries it (ASCII): typographic quotes plain, accents dropped."""
    plain = unicodedata.normalize("NFKD", text.translate(QUOTES))
    return " ".join(plain.encode("ascii", "ignore").decode().split())

"""MAIL_IN_IMAP_URL: replies taken from a mailbox instead of by SMTP, with the same handling.

Each round reads the unseen mails. One that landed is marked seen; one refused is marked seen and
flagged (nobody can be answered over IMAP: the flag and the log tell staff); one that could not be
taken now (451) stays unseen for the next round, as a sending server would try again.
"""

from __future__ import annotations

import logging
import threading
from email.message import Message
from email.utils import getaddresses
from urllib.parse import unquote, urlsplit

from statex.i18n import gettext as _
from imap_tools import AND, MailBox, MailBoxUnencrypted, MailMessageFlags
from sqlalchemy.orm import sessionmaker

from statex.config import Settings
from statex.mail_in import addresses
from statex.mail_in.receive import Answer, receive
from statex.storage import Storage

log = logging.getLogger(__name__)
# Where servers keep the address a mail was delivered to, most exact first.
RECIPIENT_HEADERS = ("Delivered-To", "X-Original-To", "Envelope-To", "To", "Cc")


def mailbox_of(url: str):
    """A logged-in imap_tools mailbox for imaps:// (TLS) or imap:// (plain, e.g. on loopback)."""
    parts = urlsplit(url)
    box = MailBox if parts.scheme == "imaps" else MailBoxUnencrypted
    folder = unquote(parts.path.lstrip("/")) or "INBOX"
    port = parts.port or (993 if parts.scheme == "imaps" else 143)
    return box(parts.hostname, port).login(unquote(parts.username or ""), unquote(parts.password or ""), folder)


def poll_once(settings: Settings, sessions: sessionmaker, storage: Storage) -> list[Answer]:
    """Handle every unseen mail of the mailbox once; the answer each got."""
    answers = []
    with mailbox_of(settings.mail_in_imap_url) as box:
        for mail in box.fetch(AND(seen=False), mark_seen=False, bulk=False):
            answer = _handle(settings, sessions, storage, mail.obj)
            if answer.code < 400:
                box.flag(mail.uid, MailMessageFlags.SEEN, True)
            elif answer.code >= 500:
                log.warning("refused mail %s from the mailbox: %s", mail.uid, answer)
                box.flag(mail.uid, (MailMessageFlags.SEEN, MailMessageFlags.FLAGGED), True)
            answers.append(answer)
    return answers


def _handle(settings: Settings, sessions: sessionmaker, storage: Storage, mail: Message) -> Answer:
    """What `statex mail-in` would have answered this mail over SMTP."""
    recipient = reply_recipient(settings, mail)
    if recipient is None:
        return Answer(550, "5.1.1", _("Not sent to a reply address of ours."))
    try:
        raw = mail.as_bytes()
    except Exception:  # noqa: BLE001  (a mail the email package cannot write back: it will not get better)
        log.exception("a mail of the mailbox could not be read")
        return Answer(550, "5.6.0", _("We could not read this mail; write to us from the portal."))
    return receive(settings, sessions, storage, recipient, raw)


def reply_recipient(settings: Settings, mail: Message) -> str | None:
    """The first of the mail's recipients that is a reply address of ours."""
    for header in RECIPIENT_HEADERS:
        for _name, address in getaddresses([str(value) for value in mail.get_all(header) or []]):
            try:
                addresses.parse(settings, address)
            except addresses.BadAddress:
                continue
            return address
    return None


def poll(settings: Settings, sessions: sessionmaker, storage: Storage, interval: float,
         stop: threading.Event) -> None:
    """Poll every `interval` seconds until `stop` is set; a round that fails is logged and tried again."""
    log.info("mail-in polling %s every %gs", urlsplit(settings.mail_in_imap_url).hostname, interval)
    while not stop.is_set():
        try:
            poll_once(settings, sessions, storage)
        except Exception:  # noqa: BLE001  (the mailbox or the network away: the next round tries again)
            log.exception("polling the mailbox failed; trying again in %gs", interval)
        stop.wait(interval)
    log.info("mail-in stopping")

"""Read an inbound mail: who sent it, its Message-ID, the reply without its quoted history, its files."""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from email.utils import getaddresses

import html2text
from mailparser_reply import EmailReplyParser

from statex.uploads import LANGUAGES, Upload

# Headers by which mail programs and servers mark what no person wrote (RFC 3834, and common practice).
AUTOMATIC_PRECEDENCE = {"bulk", "junk", "list", "auto_reply"}
# The languages whose "On ... wrote:" lines and signatures the parser knows and our clients write in.
REPLY_LANGUAGES = [language for language in LANGUAGES if language in ("en", "cs", "de", "fr")]


@dataclass
class Inbound:
    """The parts of a mail a thread needs."""

    message_id: str
    senders: list[str]
    text: str
    files: list[Upload] = field(default_factory=list)
    # An out-of-office answer or another automatic mail: never a message in a thread.
    automatic: bool = False


def read_mail(raw: bytes) -> Inbound:
    """The sender, the Message-ID (or a digest of the mail when it has none), the reply and its files."""
    mail = message_from_bytes(raw, policy=policy.default)
    message_id = str(mail.get("Message-ID") or "").strip().strip("<>")
    if not message_id:
        # Without one, a second delivery of the same bytes is still the same mail.
        message_id = "sha256:" + hashlib.sha256(raw).hexdigest()
    senders = [address.lower() for _name, address in getaddresses([str(v) for v in mail.get_all("From") or []])
               if address]
    return Inbound(message_id=message_id[:255], senders=senders, text=reply_of(_body(mail)),
                   files=_files(mail), automatic=is_automatic(mail))


def is_automatic(mail: EmailMessage) -> bool:
    """Whether a program sent the mail on its own: an auto-reply, a vacation notice, a list's mail."""
    submitted = str(mail.get("Auto-Submitted") or "no").strip().lower()
    precedence = str(mail.get("Precedence") or "").strip().lower()
    return submitted != "no" or precedence in AUTOMATIC_PRECEDENCE or bool(mail.get("X-Autoreply"))


def reply_of(text: str) -> str:
    """What the sender wrote: the quoted history and the signature cut off (by mail-parser-reply)."""
    text = text.replace("\r\n", "\n").strip()
    if not text:
        return ""
    replies = EmailReplyParser(languages=REPLY_LANGUAGES).read(text).replies
    if not replies:
        return text
    # Someone who writes only a signature (or only quotes) has still written that much.
    return (replies[0].body or replies[0].content or text).strip()


def _body(mail: EmailMessage) -> str:
    part = mail.get_body(preferencelist=("plain", "html"))
    if part is None:
        return ""
    content = part.get_content()
    if part.get_content_subtype() == "html":
        converter = html2text.HTML2Text(bodywidth=0)
        converter.ignore_images = True
        return converter.handle(content)
    return content


def _files(mail: EmailMessage) -> list[Upload]:
    """Each attached file; pictures a signature shows inline (cid: references) are not files sent."""
    files = []
    for part in mail.iter_attachments():
        if part.get_content_disposition() != "attachment" and part.get("Content-ID"):
            continue
        if part.get_content_maintype() in ("multipart", "message"):
            continue
        data = part.get_payload(decode=True) or b""
        files.append(Upload("files", part.get_filename() or "attachment", io.BytesIO(data)))
    return files

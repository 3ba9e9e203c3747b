"""Transports: SMTP for email, apprise for every other service, the outbox in development.

Each raises TransientError (worth retrying later) or PermanentError (retrying cannot help).
"""

from __future__ import annotations

import logging
import smtplib
import ssl
from email.message import EmailMessage
from email.utils import formatdate, make_msgid, parseaddr
from functools import lru_cache
from urllib.parse import parse_qs, unquote, urlsplit

import apprise

from statex.config import Settings
from statex.messages import channels, egress

TIMEOUT = 30


class TransientError(RuntimeError):
    """The peer is down or busy: the same message may go through later."""


class PermanentError(RuntimeError):
    """The peer refused this message for good, or our configuration is wrong."""


@lru_cache(maxsize=1)
def asset() -> apprise.AppriseAsset:
    """Apprise's settings for our sends: redirects off, so a 3xx answer is not followed anywhere."""
    return apprise.AppriseAsset(http_redirects=False)


def live(settings: Settings) -> bool:
    """Messages leave the machine once a transport is configured; until then the outbox keeps them."""
    return bool(settings.smtp_url or settings.notify_urls)


def email_message(settings: Settings, to: str, subject: str, text: str, html: str,
                  reply_to: str | None = None, attachments: tuple = ()) -> EmailMessage:
    """A multipart/alternative email: the text part first, the HTML part preferred by readers.

    `attachments` are (file name, content type, bytes), e.g. the PDF of an offer the client accepted.
    """
    message = EmailMessage()
    message["From"] = settings.mail_from
    message["To"] = to
    if reply_to:  # answering lands in the request's thread (statex.mail_in)
        message["Reply-To"] = reply_to
    message["Subject"] = subject
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain=parseaddr(settings.mail_from)[1].rpartition("@")[2] or None)
    message["Auto-Submitted"] = "auto-generated"
    message["List-Unsubscribe"] = f"<{settings.portal_url}/account/notifications>"
    message.set_content(text)
    if html:
        message.add_alternative(html, subtype="html")
    for name, content_type, data in attachments:
        maintype, _, subtype = content_type.partition("/")
        message.add_attachment(data, maintype=maintype, subtype=subtype, filename=name)
    return message


def send_email(settings: Settings, message: EmailMessage) -> None:
    """Hand `message` to the SMTP server of SMTP_URL (smtp:// with ?starttls=true, or smtps://)."""
    url = urlsplit(settings.smtp_url)
    options = {k: v[-1].lower() for k, v in parse_qs(url.query).items()}
    secure = url.scheme == "smtps"
    port = url.port or (465 if secure else 587 if options.get("starttls") == "true" else 25)
    try:
        client_class = smtplib.SMTP_SSL if secure else smtplib.SMTP
        with client_class(url.hostname or "localhost", port, timeout=TIMEOUT) as client:
            if options.get("starttls") in ("true", "yes", "1"):
                client.starttls(context=ssl.create_default_context())
            if url.username:
                client.login(unquote(url.username), unquote(url.password or ""))
            client.send_message(message)
    except smtplib.SMTPResponseException as error:
        detail = f"SMTP {error.smtp_code}: {_text(error.smtp_error)}"
        raise (PermanentError if 500 <= error.smtp_code < 600 else TransientError)(detail) from None
    except smtplib.SMTPRecipientsRefused as error:
        raise PermanentError(f"SMTP refused the recipient: {_refusals(error.recipients)}") from None
    except (OSError, smtplib.SMTPException) as error:
        raise TransientError(f"SMTP server {url.hostname}:{port} unreachable: {error}") from None


def send_apprise(url: str, title: str, body: str, *, private_hosts: bool) -> None:
    """Send through the apprise plugin for `url`, with apprise's own warnings as the error.

    Redirects are never followed, and every connection goes through `egress.guarded`: with
    `private_hosts` False only to public addresses, each one checked as it is opened.
    """
    plugin = apprise.Apprise.instantiate(url, asset=asset())
    if plugin is None:
        raise PermanentError("The apprise URL is not valid any more.")
    plugin.redirects = False  # whatever a URL's own ?redirect= said
    if not private_hosts and channels.service_of(plugin) not in channels.SERVICES | channels.SELF_HOSTED:
        # Not over HTTP(S) through the relay, or not a service we know: never from a client's URL.
        raise PermanentError(f"We do not send to {channels.service_of(plugin)}://.")
    with apprise.LogCapture(level=logging.WARNING) as logs, egress.guarded(private_hosts) as relay:
        # The plugin's own notify() sends in this thread: apprise's shared thread pools would not
        # survive the fork of an RQ work horse.
        try:
            ok = plugin.notify(body=body, title=title, body_format=apprise.NotifyFormat.TEXT)
        except OSError as error:
            raise TransientError(str(error)) from None
    if relay.refused:
        raise PermanentError(f"Refused to connect to {', '.join(sorted(set(relay.refused)))}: a private, "
                             "local or reserved address.")
    if not ok:
        lines = [line.split(" - ", 2)[-1] for line in logs.getvalue().splitlines() if line.strip()]
        raise TransientError(" ".join(lines)[:2000] or "The service did not accept the message.")


def _text(value) -> str:
    return value.decode(errors="replace") if isinstance(value, bytes) else str(value)


def _refusals(recipients: dict) -> str:
    return "; ".join(f"{who}: {code} {_text(reason)}" for who, (code, reason) in recipients.items())

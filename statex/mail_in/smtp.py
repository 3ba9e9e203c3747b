"""The SMTP listener of `statex mail-in` (aiosmtpd): replies to our Reply-To addresses, and nothing else."""

from __future__ import annotations

import asyncio
import logging
import signal
from functools import partial

from aiosmtpd.smtp import SMTP, Envelope, Session as SMTPSession
from statex.i18n import gettext as _

from statex import uploads
from statex.config import Settings
from statex.db import session_factory
from statex.mail_in.receive import Answer, check_recipient, receive
from statex.storage import storage_for

log = logging.getLogger(__name__)
# Base64 makes files a third larger in a mail, and its headers and text come on top.
ENCODING_ROOM = 4 / 3
HEADER_ROOM = 256 * 1024


class ReplyHandler:
    """aiosmtpd's handler: one reply address per mail, each mail posted in a thread of the executor."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self.sessions = session_factory(settings.database_url)
        self.storage = storage_for(settings)

    async def handle_RCPT(self, server: SMTP, session: SMTPSession, envelope: Envelope, address: str,
                          rcpt_options: list[str]) -> str:
        refusal = check_recipient(self.settings, address)
        if refusal is not None:
            return str(refusal)
        if envelope.rcpt_tos:
            # A reply names one request; the sender delivers to the next address in a new transaction.
            return str(Answer(452, "4.5.3", _("One reply address per mail, please.")))
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 OK"

    async def handle_DATA(self, server: SMTP, session: SMTPSession, envelope: Envelope) -> str:
        raw = envelope.original_content or envelope.content
        loop = asyncio.get_running_loop()
        # The database and the storage block: in a thread, the listener goes on answering others meanwhile.
        answer = await loop.run_in_executor(None, partial(receive, self.settings, self.sessions, self.storage,
                                                          envelope.rcpt_tos[0], raw))
        return str(answer)


def data_size_limit(settings: Settings) -> int:
    """The largest mail we read (announced with SIZE): the most files a request takes, as a mail carries them."""
    limits = uploads.Limits.from_settings(settings)
    return int(limits.max_total_bytes * ENCODING_ROOM) + limits.max_text_chars * 4 + HEADER_ROOM


def make_server(settings: Settings) -> partial:
    """A factory of SMTP protocol instances, one per connection, all sharing one handler."""
    handler = ReplyHandler(settings)
    return partial(SMTP, handler, hostname=settings.mail_in_domain, ident="Statex mail-in",
                   data_size_limit=data_size_limit(settings), decode_data=False)


async def serve(settings: Settings, host: str, port: int) -> None:
    """Listen on host:port until SIGTERM or SIGINT; replies being posted then are finished first."""
    loop = asyncio.get_running_loop()
    server = await loop.create_server(make_server(settings), host=host, port=port)
    stop = asyncio.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    log.info("mail-in listening on %s:%d for replies to reply+...@%s", host, port, settings.mail_in_domain)
    await stop.wait()
    log.info("mail-in stopping")
    server.close()
    await server.wait_closed()

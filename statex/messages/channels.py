"""The channels a person can be reached on, and what a valid address is on each."""

from __future__ import annotations

import re
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

import apprise
from apprise.utils.http import is_public_ip_address
from email_validator import EmailNotValidError, validate_email

from statex.config import Settings
from statex.i18n import gettext as _, lazy_gettext as _l
from statex.messages.compose import Message, fit

CHANNELS = {"email": _l("Email"), "telegram": "Telegram", "apprise": _l("Another service (apprise URL)")}
CHAT_ID = re.compile(r"-?\d{4,20}")
# Email goes through our own SMTP transport, not through a user's apprise URL.
REFUSED_SCHEMES = {"mailto", "mailtos", "email", "emails"}
# Channels that are not apprise plugins: the limit of what we store and show.
DEFAULT_LIMIT = 4000
TELEGRAM_LIMIT = 4096
# The apprise services we send to (by the scheme apprise gives each), and nothing else: services
# whose address the plugin fixes (the URL carries ids and tokens only) ...
SERVICES = {"slack", "discord", "msteams", "gchat", "tgram", "pover", "pbul", "wxteams", "line", "zulip"}
# ... and those on a server the user names, whose host is resolved and must be public in production.
SELF_HOSTED = {"json", "jsons", "xml", "xmls", "form", "forms", "ntfy", "ntfys", "gotify", "gotifys",
               "apprise", "apprises", "mmost", "mmosts", "rocket", "rockets", "matrix", "matrixs",
               "workflow", "workflows"}


class InvalidAddress(ValueError):
    """An address that cannot be used on its channel; the message says what would be accepted."""


@dataclass(frozen=True)
class Address:
    channel: str
    address: str
    label: str


def parse(channel: str, value: str, private_hosts: bool = True) -> Address:
    """A checked, normalised address on `channel`, or InvalidAddress saying what is expected.

    With `private_hosts` False (production), webhook URLs must point at public addresses, so a
    client cannot make our workers call services inside our network.
    """
    value = (value or "").strip()
    if channel not in CHANNELS:
        raise InvalidAddress(_("Choose email, Telegram or another service."))
    if not value:
        raise InvalidAddress(_("Enter where we should send your messages."))
    if channel == "apprise":
        return _apprise(value, private_hosts)
    return {"email": _email, "telegram": _telegram}[channel](value)


def _email(value: str) -> Address:
    try:
        email = validate_email(value, check_deliverability=False).normalized
    except EmailNotValidError as error:
        raise InvalidAddress(_("Enter an email address like name@example.com (%(error)s).", error=error)) from None
    return Address("email", email.lower(), email.lower())


def _telegram(value: str) -> Address:
    if value.startswith("@") or not CHAT_ID.fullmatch(value):
        raise InvalidAddress(_("Telegram needs your numeric chat id (for example 123456789), not a "
                               "@username: message @userinfobot on Telegram to learn yours, and start a "
                               "chat with our bot so that it may write to you."))
    return Address("telegram", value, f"Telegram chat {value}")  # a stored label, shown as it is


def _apprise(value: str, private_hosts: bool) -> Address:
    scheme = urlsplit(value).scheme.lower()
    if not scheme or "://" not in value:
        raise InvalidAddress(_("Enter an apprise URL such as ntfy://ntfy.sh/your-topic or "
                               "discord://webhook_id/webhook_token."))
    if scheme in REFUSED_SCHEMES:
        raise InvalidAddress(_("For email choose the Email channel and enter just the address."))
    plugin = apprise.Apprise.instantiate(value)
    if plugin is None:
        raise InvalidAddress(_("%(scheme)s:// is not a service we can send to, or the URL is incomplete: "
                               "see the apprise documentation for the URL of your service "
                               "(for example ntfy://, slack://, discord://, json://).", scheme=scheme))
    service = service_of(plugin)
    if service not in SERVICES | SELF_HOSTED:
        raise InvalidAddress(_("We do not send to %(service)s://: choose Slack, Discord, Microsoft Teams, Google "
                               "Chat, Telegram, Pushover, ntfy, Matrix, Mattermost, Gotify, Rocket.Chat or a "
                               "JSON webhook.", service=service))
    if not private_hosts and service in SELF_HOSTED and plugin.host and not public(plugin.host):
        raise InvalidAddress(_("This URL points at a private or local address: use the public address "
                               "of your service."))
    return Address("apprise", value, plugin.url(privacy=True).split("?")[0][:255])


def service_of(plugin) -> str:
    """The scheme apprise itself writes for a plugin (a pasted https://hooks.slack.com/... is slack)."""
    return plugin.url(privacy=True).split("://", 1)[0].lower()


def public(host: str) -> bool:
    """Whether `host` resolves, and only to public addresses (apprise's test: no mapped or NAT64 forms either)."""
    try:
        infos = socket.getaddrinfo(host, None)
    except (OSError, UnicodeError):
        return False
    return bool(infos) and all(is_public_ip_address(info[4][0].split("%")[0]) for info in infos)


def apprise_url(settings: Settings, channel: str, address: str) -> str:
    """The apprise URL that reaches `address` on a chat channel."""
    if channel == "telegram":
        if not settings.telegram_bot_token:
            raise InvalidAddress(_("Telegram is not set up on this server (TELEGRAM_BOT_TOKEN is empty)."))
        return f"tgram://{settings.telegram_bot_token}/{address}"
    return address


def limit_of(channel: str, address: str = "") -> int:
    """How many characters a message body may have on `channel` at `address`."""
    if channel == "telegram":
        return TELEGRAM_LIMIT
    if not address:  # the staff's outbox and bell: no apprise plugin to ask (and none to log an error)
        return DEFAULT_LIMIT
    plugin = apprise.Apprise.instantiate(address)
    if plugin is None:
        return DEFAULT_LIMIT
    return plugin.body_maxlen


def shaped(message: Message, channel: str, address: str = "") -> Message:
    """The message as `channel` carries it: email whole; chat services the short text, cut to fit."""
    if channel == "email":
        return message
    room = limit_of(channel, address) - len(message.subject) - 2
    return Message(message.subject, fit(message.short, room), "", message.short)

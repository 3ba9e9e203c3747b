"""The services a client can add by name, with the fields each needs; each becomes a channel and an address."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import quote, urlsplit

from statex.i18n import gettext as _, lazy_gettext as _l


class IncompleteService(ValueError):
    """A service's fields do not make an address; the message says which one (`field`) to change."""

    def __init__(self, message: str, field: str = ""):
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class Field:
    name: str
    label: str  # label and hint lazy: read in the language of the page that shows them
    hint: str
    default: str = ""


@dataclass(frozen=True)
class Service:
    key: str
    name: str
    channel: str
    fields: tuple[Field, ...]
    build: Callable[[dict[str, str]], str]


def _part(value: str) -> str:
    return quote(value.strip(), safe="")


def _server(value: str, secure: str, plain: str) -> str:
    """`secure://host[:port]` for an https:// (or bare) server address, `plain://` for http://."""
    value = value.strip().rstrip("/")
    url = urlsplit(value if "://" in value else f"https://{value}")
    if url.scheme not in ("http", "https") or not url.hostname:
        raise IncompleteService(_("Enter the server's address, like https://ntfy.example.com."), "server")
    return f"{secure if url.scheme == 'https' else plain}://{url.netloc}{url.path}"


def _ntfy(values: dict[str, str]) -> str:
    return f"{_server(values['server'], 'ntfys', 'ntfy')}/{_part(values['topic'])}"


def _matrix(values: dict[str, str]) -> str:
    server = _server(values["server"], "matrixs", "matrix")
    scheme, _sep, host = server.partition("://")
    return f"{scheme}://{_part(values['token'])}@{host}/{_part(values['room'])}"


def _mattermost(values: dict[str, str]) -> str:
    key = values["key"].strip().rstrip("/").rsplit("/hooks/", 1)[-1]
    return f"{_server(values['server'], 'mmosts', 'mmost')}/{_part(key)}"


WEBHOOK = _l("Webhook URL")
SERVICES: dict[str, Service] = {service.key: service for service in (
    Service("email", _l("Email"), "email", (Field("address", _l("Email address"), _l("Another address of yours, e.g. a shared inbox.")),),
            lambda v: v["address"]),
    Service("telegram", "Telegram", "telegram", (Field(
        "address", _l("Telegram chat id"),
        _l("A number such as 123456789: message @userinfobot on Telegram to learn yours, then start a chat with our bot.")),),
        lambda v: v["address"]),
    Service("slack", "Slack", "apprise", (Field(
        "address", WEBHOOK, _l("In Slack: Apps, Incoming Webhooks, Add to Slack, pick a channel; copy the URL that "
        "starts with https://hooks.slack.com/services/.")),), lambda v: v["address"]),
    Service("discord", "Discord", "apprise", (Field(
        "address", WEBHOOK, _l("In Discord: the channel's settings, Integrations, Webhooks, New Webhook, Copy Webhook "
        "URL (https://discord.com/api/webhooks/...).")),), lambda v: v["address"]),
    Service("teams", "Microsoft Teams", "apprise", (Field(
        "address", _l("Workflow URL"), _l("In Teams: the channel's ..., Workflows, \"Post to a channel when a webhook "
        "request is received\"; copy the URL it gives you.")),), lambda v: v["address"]),
    Service("gchat", "Google Chat", "apprise", (Field(
        "address", WEBHOOK, _l("In Google Chat: the space's name, Apps & integrations, Webhooks, Add; copy the URL "
        "(https://chat.googleapis.com/v1/spaces/...).")),), lambda v: v["address"]),
    Service("ntfy", "ntfy", "apprise", (
        Field("server", _l("Server"), _l("ntfy.sh, or the address of your own ntfy server."), "https://ntfy.sh"),
        Field("topic", _l("Topic"), _l("The topic you subscribed to in the ntfy app; choose one hard to guess."))), _ntfy),
    Service("pushover", "Pushover", "apprise", (
        Field("user", _l("User key"), _l("On pushover.net, at the top of your dashboard.")),
        Field("token", _l("Application token"), _l("On pushover.net: Your Applications, Create an Application."))),
        lambda v: f"pover://{_part(v['user'])}@{_part(v['token'])}"),
    Service("matrix", "Matrix", "apprise", (
        Field("server", _l("Homeserver"), _l("The server of your account, e.g. https://matrix.org."), "https://matrix.org"),
        Field("token", _l("Access token"), _l("In Element: Settings, Help & About, Access Token.")),
        Field("room", _l("Room"), _l("The room's address, e.g. #our-room:matrix.org; invite the account first."))), _matrix),
    Service("mattermost", "Mattermost", "apprise", (
        Field("server", _l("Server"), _l("The address of your Mattermost, e.g. https://chat.example.com.")),
        Field("key", _l("Webhook key"), _l("Integrations, Incoming Webhooks, Add; the part after /hooks/ of its URL."))),
        _mattermost),
    Service("apprise", _l("Other (advanced)"), "apprise", (Field(
        "address", _l("Apprise URL"), _l("Any service apprise knows that we send to, as its URL: e.g. "
        "gotifys://gotify.example.com/token or jsons://example.com/hook.")),), lambda v: v["address"]),
)}
DEFAULT = "email"


def address_of(service: Service, values: dict[str, str]) -> str:
    """The address `values` (one per field of `service`) make; IncompleteService when a field is empty."""
    for field in service.fields:
        if not (values.get(field.name) or "").strip():
            label = str(field.label)
            name = label if label.split()[0] in ("Telegram", "Matrix") else label[0].lower() + label[1:]
            raise IncompleteService(_("Enter the %(field)s.", field=name), field.name)
    return service.build({name: (value or "").strip() for name, value in values.items()})

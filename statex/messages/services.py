"""The services a client can add by name, with the fields each needs; each becomes a channel and an address."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import quote, urlsplit


class IncompleteService(ValueError):
    """A service's fields do not make an address; the message says which one (`field`) to change."""

    def __init__(self, message: str, field: str = ""):
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class Field:
    name: str
    label: str
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
        raise IncompleteService("Enter the server's address, like https://ntfy.example.com.", "server")
    return f"{secure if url.scheme == 'https' else plain}://{url.netloc}{url.path}"


def _ntfy(values: dict[str, str]) -> str:
    return f"{_server(values['server'], 'ntfys', 'ntfy')}/{_part(values['topic'])}"


def _matrix(values: dict[str, str]) -> str:
    server = _server(values["server"], "matrixs", "matrix")
    scheme, _, host = server.partition("://")
    return f"{scheme}://{_part(values['token'])}@{host}/{_part(values['room'])}"


def _mattermost(values: dict[str, str]) -> str:
    key = values["key"].strip().rstrip("/").rsplit("/hooks/", 1)[-1]
    return f"{_server(values['server'], 'mmosts', 'mmost')}/{_part(key)}"


WEBHOOK = "Webhook URL"
SERVICES: dict[str, Service] = {service.key: service for service in (
    Service("email", "Email", "email",
            (Field("address", "Email address", "Another address of yours, e.g. a shared inbox."),),
            lambda v: v["address"]),
    Service("telegram", "Telegram", "telegram", (Field(
        "address", "Telegram chat id",
        "A number such as 123456789: message @userinfobot on Telegram to learn yours, "
        "then start a chat with our bot."),),
        lambda v: v["address"]),
    Service("slack", "Slack", "apprise", (Field(
        "address", WEBHOOK, "In Slack: Apps, Incoming Webhooks, Add to Slack, pick a channel; copy the URL that "
        "starts with https://hooks.slack.com/services/."),), lambda v: v["address"]),
    Service("discord", "Discord", "apprise", (Field(
        "address", WEBHOOK, "In Discord: the channel's settings, Integrations, Webhooks, New Webhook, Copy Webhook "
        "URL (https://discord.com/api/webhooks/...)."),), lambda v: v["address"]),
    Service("teams", "Microsoft Teams", "apprise", (Field(
        "address", "Workflow URL", "In Teams: the channel's ..., Workflows, \"Post to a channel when a webhook "
        "request is received\"; copy the URL it gives you."),), lambda v: v["address"]),
    Service("gchat", "Google Chat", "apprise", (Field(
        "address", WEBHOOK, "In Google Chat: the space's name, Apps & integrations, Webhooks, Add; copy the URL "
        "(https://chat.googleapis.com/v1/spaces/...)."),), lambda v: v["address"]),
    Service("ntfy", "ntfy", "apprise", (
        Field("server", "Server", "ntfy.sh, or the address of your own ntfy server.", "https://ntfy.sh"),
        Field("topic", "Topic", "The topic you subscribed to in the ntfy app; choose one hard to guess.")), _ntfy),
    Service("pushover", "Pushover", "apprise", (
        Field("user", "User key", "On pushover.net, at the top of your dashboard."),
        Field("token", "Application token", "On pushover.net: Your Applications, Create an Application.")),
        lambda v: f"pover://{_part(v['user'])}@{_part(v['token'])}"),
    Service("matrix", "Matrix", "apprise", (
        Field("server", "Homeserver", "The server of your account, e.g. https://matrix.org.", "https://matrix.org"),
        Field("token", "Access token", "In Element: Settings, Help & About, Access Token."),
        Field("room", "Room", "The room's address, e.g. #our-room:matrix.org; invite the account first.")), _matrix),
    Service("mattermost", "Mattermost", "apprise", (
        Field("server", "Server", "The address of your Mattermost, e.g. https://chat.example.com."),
        Field("key", "Webhook key", "Integrations, Incoming Webhooks, Add; the part after /hooks/ of its URL.")),
        _mattermost),
    Service("apprise", "Other (advanced)", "apprise", (Field(
        "address", "Apprise URL", "Any service apprise knows that we send to, as its URL: e.g. "
        "gotifys://gotify.example.com/token or jsons://example.com/hook."),), lambda v: v["address"]),
)}
DEFAULT = "email"


def address_of(service: Service, values: dict[str, str]) -> str:
    """The address `values` (one per field of `service`) make; IncompleteService when a field is empty."""
    for field in service.fields:
        if not (values.get(field.name) or "").strip():
            proper = field.label.split()[0] in ("Telegram", "Matrix")  # names keep their capital
            name = field.label if proper else field.label[0].lower() + field.label[1:]
            raise IncompleteService(f"Enter the {name}.", field.name)
    return service.build({name: (value or "").strip() for name, value in values.items()})

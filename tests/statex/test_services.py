"""The services a client adds by name: the fields each needs make the address apprise and our checks read."""

from __future__ import annotations

import pytest

from statex.messages import channels, services


@pytest.mark.parametrize("key, values, address", [
    ("ntfy", {"server": "https://ntfy.sh", "topic": "our news"}, "ntfys://ntfy.sh/our%20news"),
    ("ntfy", {"server": "http://10.0.0.5:8080/", "topic": "t"}, "ntfy://10.0.0.5:8080/t"),
    ("ntfy", {"server": "ntfy.example.com", "topic": "t"}, "ntfys://ntfy.example.com/t"),
    ("pushover", {"user": "u123", "token": "a456"}, "pover://u123@a456"),
    ("matrix", {"server": "https://matrix.org", "token": "syt_abc", "room": "#news:matrix.org"},
     "matrixs://syt_abc@matrix.org/%23news%3Amatrix.org"),
    ("mattermost", {"server": "https://chat.example.com", "key": "https://chat.example.com/hooks/abc123"},
     "mmosts://chat.example.com/abc123"),
    ("slack", {"address": " https://hooks.slack.com/services/T1/B2/c3 "}, "https://hooks.slack.com/services/T1/B2/c3"),
])
def test_fields_make_the_address(key, values, address):
    assert services.address_of(services.SERVICES[key], values) == address


def test_an_empty_field_is_named():
    with pytest.raises(services.IncompleteService, match="Enter the application token") as error:
        services.address_of(services.SERVICES["pushover"], {"user": "u123", "token": " "})
    assert error.value.field == "token"


def test_every_named_service_is_one_we_send_to():
    """Each apprise-backed service of the form builds an address the allowlist accepts."""
    examples = {"slack": {"address": "https://hooks.slack.com/services/T1JJ3T3L2/A1BRTD4JD/TIiajkdnlazkcOXrIdevi7FQ"},
                "discord": {"address": "https://discord.com/api/webhooks/123/abc"},
                "gchat": {"address": "https://chat.googleapis.com/v1/spaces/AAA/messages?key=k&token=t"},
                "teams": {"address": "https://prod-00.westeurope.logic.azure.com:443/workflows/abc/triggers/manual/"
                                     "paths/invoke?api-version=2016-06-01&sp=x&sv=1.0&sig=y"},
                "ntfy": {"server": "https://127.0.0.1", "topic": "t"},
                "pushover": {"user": "u123", "token": "a456"},
                "matrix": {"server": "https://127.0.0.1", "token": "syt_abc", "room": "#news:matrix.org"},
                "mattermost": {"server": "https://127.0.0.1", "key": "abc123"}}
    for key, values in examples.items():
        service = services.SERVICES[key]
        parsed = channels.parse(service.channel, services.address_of(service, values))
        assert parsed.channel == "apprise", key

"""Where apprise may connect: real apprise calls toward real listeners on loopback, which must hear nothing."""

from __future__ import annotations

import dataclasses

import pytest

from statex import accounts
from statex.db import session_scope
from statex.messages import channels, transports
from statex.messages.compose import Message
from statex.messages.deliver import attempt, claim
from statex.models import Delivery, Destination
from statex.models.base import utcnow
from tests.fakes import RedirectPeer, UdpPeer, WebhookPeer


@pytest.fixture
def webhook():
    peer = WebhookPeer().start()
    yield peer
    peer.stop()


@pytest.fixture
def production(settings):
    """The settings of production, where a client's destination may reach only public addresses."""
    return dataclasses.replace(settings, env="production", smtp_url="smtp://127.0.0.1:1/")


def _deliver(settings, run_settings, address: str) -> Delivery:
    """A verified destination at `address` (stored before any check, as older rows were) and one attempt at it."""
    with session_scope(settings.database_url) as session:
        user = accounts.create_user(session, f"u{utcnow().timestamp()}@example.com", "x" * 12)
        destination = Destination(user_id=user.id, channel="apprise", address=address, label=address[:255],
                                  verified_at=utcnow())
        session.add(destination)
        session.flush()
        delivery = claim(session, f"test:{destination.id}", user, "submission.completed", "apprise",
                         destination.label, Message("Your results", "Read them", "", "Read them"),
                         destination_id=destination.id)
        attempt(session, run_settings, delivery)
        session.flush()
        session.expunge(delivery)
        return delivery


@pytest.mark.parametrize("url", ["kodi://127.0.0.1:{port}", "xbmc://127.0.0.1:{port}", "hassio://127.0.0.1:{port}/token",
                                 "nctalk://ann:pw@127.0.0.1:{port}/room", "bark://127.0.0.1:{port}/device",
                                 "synology://127.0.0.1:{port}/token", "signal://127.0.0.1:{port}/+15551234567/+15557654321",
                                 "json://127.0.0.1:{port}/hook"])
def test_a_client_destination_on_loopback_hears_nothing_in_production(settings, production, webhook, url):
    address = url.format(port=webhook.port)
    delivery = _deliver(settings, production, address)
    assert webhook.requests == []
    assert delivery.status == "failed", delivery.last_error


def test_a_syslog_destination_gets_no_datagram_in_production(settings, production):
    listener = UdpPeer()
    try:
        delivery = _deliver(settings, production, f"rsyslog://127.0.0.1:{listener.port}")
        assert listener.received() == []
        assert delivery.status == "failed"
    finally:
        listener.stop()


def test_every_connection_is_checked_as_it_is_opened(webhook):
    """A name that resolves to loopback (as a rebound DNS answer would) is refused by the relay itself."""
    with pytest.raises(transports.PermanentError, match="Refused to connect to localhost"):
        transports.send_apprise(f"json://localhost:{webhook.port}/hook", "Hello", "Body", private_hosts=False)
    assert webhook.requests == []


def test_a_redirect_is_not_followed(settings, webhook):
    """json://<server>/redir answers 302 to an internal address: that address hears nothing."""
    redirecting = RedirectPeer(f"http://127.0.0.1:{webhook.port}/latest/meta-data/").start()
    try:
        live = dataclasses.replace(settings, smtp_url="smtp://127.0.0.1:1/")  # development, sending for real
        delivery = _deliver(settings, live, redirecting.url("json", "redir"))
        assert [r["path"] for r in redirecting.requests] == ["/redir"]
        assert webhook.requests == []
        assert delivery.status == "retrying"
    finally:
        redirecting.stop()


def test_a_redirect_asked_for_in_the_url_is_not_followed_either(webhook):
    redirecting = RedirectPeer(f"http://127.0.0.1:{webhook.port}/internal").start()
    try:
        with pytest.raises(transports.TransientError):
            transports.send_apprise(redirecting.url("json", "redir") + "?redirect=yes", "Hi", "Body",
                                    private_hosts=True)
        assert webhook.requests == []
    finally:
        redirecting.stop()


def test_development_still_reaches_a_webhook_on_loopback_through_the_relay(webhook):
    transports.send_apprise(webhook.url("json", "hook"), "Hello", "Body", private_hosts=True)
    assert [r["json"]["message"] for r in webhook.requests] == ["Body"]


@pytest.mark.parametrize("url", [
    "kodi://127.0.0.1:18999", "hassio://127.0.0.1/token", "rsyslog://127.0.0.1:5140", "signal://127.0.0.1:8080/+1555",
    "json://[::ffff:127.0.0.1]/x", "json://169.254.169.254/latest", "gotify://10.0.0.1/token",
    "jsons://[::1]/hook", "ntfy://100.64.0.1/topic", "json://0.0.0.0:8080/x", "mmosts://localhost/key",
])
def test_only_known_services_at_public_addresses_are_accepted(url):
    with pytest.raises(channels.InvalidAddress):
        channels.parse("apprise", url, private_hosts=False)


def test_known_services_are_accepted_as_people_paste_them():
    slack = channels.parse("apprise", "https://hooks.slack.com/services/T1JJ3T3L2/A1BRTD4JD/TIiajkdnlazkcOXrIdevi7FQ",
                           private_hosts=False)
    assert slack.label.startswith("slack://")
    assert channels.parse("apprise", "discord://123/abc", private_hosts=False).label.startswith("discord://")


@pytest.fixture
def ca(tmp_path, monkeypatch):
    """A test certificate authority that requests (and so apprise) trusts for this test."""
    import trustme

    authority = trustme.CA()
    bundle = tmp_path / "ca.pem"
    authority.cert_pem.write_to_path(str(bundle))
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(bundle))
    return authority


def test_https_runs_end_to_end_through_the_relay_and_checks_the_name(ca):
    """The relay only tunnels: TLS is between apprise and the service, verified against the service's name."""
    from tests.fakes import TlsWebhookPeer

    right, wrong = TlsWebhookPeer(ca, ("localhost",)).start(), TlsWebhookPeer(ca, ("other.example",)).start()
    try:
        transports.send_apprise(f"jsons://localhost:{right.port}/hook", "Hello", "Over TLS", private_hosts=True)
        assert [r["json"]["message"] for r in right.requests] == ["Over TLS"]
        with pytest.raises(transports.TransientError):
            transports.send_apprise(f"jsons://localhost:{wrong.port}/hook", "Hello", "Body", private_hosts=True)
        assert wrong.requests == []
    finally:
        right.stop()
        wrong.stop()

"""Composing messages: languages, channel limits, and which addresses a channel accepts."""

from __future__ import annotations

import pytest

from statex.messages import channels
from statex.messages.compose import compose, fit
from statex.models import AnalysisResult, Submission, User

LINK = "https://statex.example/portal/submissions/0b5d1c3e-2f7a-4d7e-9a53-6f2d5c1e8a90"


def context(summary="Invoices are retyped by hand; reading them automatically saves two people's month."):
    user = User(email="eva@example.com", name="Eva")
    submission = Submission(description="Read our invoices automatically\nMore detail.", status="completed")
    return dict(user=user, submission=submission, result=AnalysisResult(data={"summary": summary}),
                data={}, owner=user, link=LINK)


@pytest.mark.parametrize("event", ["submission.created", "submission.completed", "submission.failed",
                                   "review.rejected"])
@pytest.mark.parametrize("lang, greeting", [("en", "Hello Eva"), ("cs", "Dobrý den, Eva")])
def test_every_client_event_has_subject_text_html_and_short_text_in_both_languages(event, lang, greeting):
    message = compose(event, lang, **context())
    assert message.subject and "\n" not in message.subject
    assert message.text.startswith(greeting) and LINK in message.text
    assert f'href="{LINK}"' in message.html and f'<html lang="{lang}">' in message.html
    assert message.short.rstrip().endswith(LINK)


def test_every_event_speaks_the_catalogues_languages_staff_messages_too():
    message = compose("staff.submission.failed", "cs", **context())
    assert message.subject.startswith("Poptávka selhala") and '<html lang="cs">' in message.html


def test_a_language_we_lack_falls_back_to_english():
    assert compose("submission.created", "de", **context()).subject.startswith("We received your request")


def test_html_escapes_what_the_client_wrote():
    ctx = context(summary='<script>alert("x")</script>')
    message = compose("submission.completed", "en", **ctx)
    assert "<script>" not in message.html and "&lt;script&gt;" in message.html


def test_a_long_message_is_cut_to_telegrams_limit_keeping_the_link():
    message = compose("submission.completed", "en", **context(summary="word " * 3000))
    shaped = channels.shaped(message, "telegram", "123456789")
    assert len(shaped.subject) + 2 + len(shaped.text) <= 4096
    assert shaped.text.endswith(LINK) and "…" in shaped.text
    assert shaped.html == "", "chat services get text"


def test_discord_limit_comes_from_its_apprise_plugin():
    message = compose("submission.completed", "en", **context(summary="word " * 3000))
    shaped = channels.shaped(message, "apprise", "discord://4174216298/JHMHI8qBe7bk2ZwO5U711o3dV_js")
    assert len(shaped.subject) + 2 + len(shaped.text) <= 2000 and shaped.text.endswith(LINK)


def test_email_keeps_the_whole_message():
    message = compose("submission.completed", "en", **context(summary="word " * 3000))
    assert channels.shaped(message, "email") == message


def test_fit_leaves_short_text_alone_and_cuts_at_a_word():
    assert fit("short text", 100) == "short text"
    cut = fit("alpha beta gamma delta epsilon\nhttps://x.example/a", 40)
    assert cut == "alpha beta gamma…\n\nhttps://x.example/a" and len(cut) <= 40


def test_valid_addresses_are_normalised():
    for channel, value, expected in [
        ("email", " Eva@Example.com ", "eva@example.com"),
        ("telegram", "123456789", "123456789"),
        ("telegram", "-1001234567890", "-1001234567890"),
        ("apprise", "ntfy://ntfy.sh/statex-eva", "ntfy://ntfy.sh/statex-eva"),
        ("apprise", "json://hooks.example/statex", "json://hooks.example/statex"),
    ]:
        assert channels.parse(channel, value).address == expected, value


def test_labels_hide_secrets_of_apprise_urls():
    label = channels.parse("apprise", "discord://4174216298/JHMHI8qBe7bk2ZwO5U711o3dV_js").label
    assert "JHMHI8qBe7bk2ZwO5U711o3dV_js" not in label and label.startswith("discord://")


@pytest.mark.parametrize("channel, value, message", [
    ("email", "eva@", "Enter an email address like name@example.com"),
    ("telegram", "@eva", "numeric chat id"),
    ("telegram", "eva", "numeric chat id"),
    ("apprise", "nosuchscheme://x/y", "nosuchscheme:// is not a service we can send to"),
    ("apprise", "tgram://", "is not a service we can send to, or the URL is incomplete"),
    ("apprise", "mailto://a:b@example.com", "choose the Email channel"),
    ("sms", "+420123456789", "Choose email, Telegram or another service."),
])
def test_invalid_addresses_say_what_is_expected(channel, value, message):
    with pytest.raises(channels.InvalidAddress, match=message):
        channels.parse(channel, value)


def test_in_production_webhooks_must_point_at_public_addresses():
    for url in ["json://127.0.0.1:6379/", "ntfy://localhost/topic", "jsons://10.0.0.5/hook",
                "json://[::1]:8080/x", "json://169.254.169.254/latest"]:
        with pytest.raises(channels.InvalidAddress, match="private or local address"):
            channels.parse("apprise", url, private_hosts=False)
        assert channels.parse("apprise", url).address == url, "development and tests may use loopback"


def test_known_services_are_not_resolved_as_hosts():
    url = "discord://4174216298/JHMHI8qBe7bk2ZwO5U711o3dV_js"
    assert channels.parse("apprise", url, private_hosts=False).address == url

"""Reading a reply: what the sender wrote, without the quoted mail and signature, in our languages and in HTML."""

from email.message import EmailMessage

from statex.mail_in.reading import read_mail


def _mail(text: str | None = None, html: str | None = None, message_id: str | None = "<r@example.com>") -> bytes:
    mail = EmailMessage()
    mail["From"] = "Eva Nováková <Eva@Example.com>"
    mail["To"] = "reply+abc@replies.statex.test"
    mail["Subject"] = "Re: Náš tým vám napsal"
    if message_id:
        mail["Message-ID"] = message_id
    if text is not None:
        mail.set_content(text)
        if html is not None:
            mail.add_alternative(html, subtype="html")
    else:
        mail.set_content(html, subtype="html")
    return mail.as_bytes()


def test_a_czech_reply_loses_its_quoted_mail_and_signature():
    inbound = read_mail(_mail("Posílám fakturu za listopad.\n\nS pozdravem,\nEva\n\n"
                              "Dne 1. 12. 2026 v 10:00 Statex napsal(a):\n> Pošlete nám prosím jednu fakturu.\n"))
    assert inbound.text == "Posílám fakturu za listopad."
    assert inbound.senders == ["eva@example.com"] and inbound.message_id == "r@example.com"


def test_a_reply_sent_as_html_only_is_read_as_text():
    inbound = read_mail(_mail(html="<p>Here is the <b>invoice</b>.</p><blockquote>On Tue, 1 Dec 2026 at 10:00, "
                                   "Statex wrote:<br>Please send one</blockquote>"))
    assert inbound.text.startswith("Here is the **invoice**.")
    assert "Please send one" not in inbound.text


def test_the_text_part_is_preferred_and_a_mail_without_message_id_is_named_by_its_bytes():
    raw = _mail("Plain words.", html="<p>Rich words.</p>", message_id=None)
    inbound = read_mail(raw)
    assert inbound.text == "Plain words."
    assert inbound.message_id.startswith("sha256:") and read_mail(raw).message_id == inbound.message_id

"""Our vocabularies, each defined once: events, file types, languages, contact channels, how well a service fits.

Pages (through portal/words.py's template filters), notifications (who hears of an event, the bell's
unread rule), the upload rules and the API read these tables; nothing shown to a client spells an
event name or a MIME type.
"""

from __future__ import annotations

from dataclasses import dataclass

from statex.i18n import gettext as _, lazy_gettext as _l


@dataclass(frozen=True)
class Event:
    """What a timeline or the bell says for one event, and who hears of it.

    `topic` is the client's notification topic (statex.messages.preferences.TOPICS) when the owner
    is told; `staff` the message template and staff page (below PORTAL_URL) when staff are.
    """

    label: str  # lazy: read in the language of whoever is shown it
    attention: bool = False
    topic: str | None = None
    staff: tuple[str, str] | None = None


EVENTS = {
    "submission.created": Event(_l("Received"), topic="received"),
    "submission.updated": Event(_l("You added information")),
    "submission.cancelled": Event(_l("Cancelled")),
    "processing.started": Event(_l("We started reading it")),
    "processing.retried": Event(_l("Trying again after a hitch")),
    "extraction.completed": Event(_l("A file was read")),
    "extraction.failed": Event(_l("A file could not be read")),
    "analysis.started": Event(_l("Analysis started")),
    "analysis.completed": Event(_l("Analysis finished")),
    "review.requested": Event(_l("Waiting for our team's review"),
                              staff=("staff.review.requested", "/staff/review/{id}")),
    "review.edited": Event(_l("Our team edited the result")),
    "review.approved": Event(_l("Our team approved the result")),
    "review.rejected": Event(_l("Sent back: we need more from you"), attention=True, topic="more_info"),
    "submission.completed": Event(_l("Results ready"), attention=True, topic="results"),
    "submission.failed": Event(_l("Could not be completed"), attention=True, topic="results",
                               staff=("staff.submission.failed", "/staff/submissions/{id}")),
    "message.from_staff": Event(_l("Our team wrote to you"), attention=True, topic="messages"),
    "message.from_client": Event(_l("You wrote to us"), staff=("staff.message.received", "/staff/submissions/{id}")),
    # An offer and the confirmation of its acceptance are results of the request; staff hear of each decision.
    "offer.sent": Event(_l("Offer sent to you"), attention=True, topic="results"),
    "offer.accepted": Event(_l("You accepted the offer"), topic="results",
                            staff=("staff.offer.accepted", "/staff/submissions/{id}")),
    "offer.declined": Event(_l("You declined the offer"), staff=("staff.offer.declined", "/staff/submissions/{id}")),
    "offer.changes_requested": Event(_l("You asked for changes to the offer")),  # staff hear of its message
    # Messages to staff; each asks them to act.
    "staff.review.requested": Event(_l("A result waits for review"), attention=True),
    "staff.submission.failed": Event(_l("A request failed"), attention=True),
    "delivery.failed": Event(_l("A message could not be delivered"), attention=True),
    "staff.offer.accepted": Event(_l("An offer was accepted"), attention=True),
    "staff.offer.declined": Event(_l("An offer was declined"), attention=True),
    "staff.message.received": Event(_l("A client wrote"), attention=True),
    "staff.reply.due": Event(_l("A first reply is almost due"), attention=True),
}
# Submission events the owner hears about, by topic; those staff hear about, by template and page.
EVENT_TOPICS = {kind: event.topic for kind, event in EVENTS.items() if event.topic}
STAFF_EVENTS = {kind: event.staff for kind, event in EVENTS.items() if event.staff}
# Recording one of these schedules its notification job.
NOTIFYING = frozenset(EVENT_TOPICS) | frozenset(STAFF_EVENTS)


# A request's status (models.submissions.STATUSES) as its badge says it.
STATUSES = {
    "received": _l("Received"),
    "processing": _l("Being read"),
    "in_review": _l("Checked by our team"),
    "needs_info": _l("Waiting for you"),
    "completed": _l("Results ready"),
    "failed": _l("Could not be completed"),
    "cancelled": _l("Cancelled"),
}


def status_label(status: str) -> str:
    """The words on a request's status badge."""
    label = STATUSES.get(status)  # translated once: `or` on a lazy string would translate it for its truth too
    return str(label) if label is not None else status.replace("_", " ").capitalize()


def event_label(kind: str) -> str:
    """The words for an event; an event this table lacks reads as its last part, in words."""
    event = EVENTS.get(kind)
    return str(event.label) if event else kind.rsplit(".", 1)[-1].replace("_", " ").capitalize()


def needs_attention(kind: str) -> bool:
    """Whether the event's notification is unread when it arrives; confirmations arrive read."""
    event = EVENTS.get(kind)
    return event.attention if event else True


DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
# A document's stored content type → what a person calls such a file; statex.uploads takes exactly
# these documents (and audio, named below by its subtype).
FILE_TYPES = {
    "application/pdf": _l("PDF document"),
    DOCX: _l("Word document"),
    "text/plain": _l("Text file"),
    "text/markdown": _l("Text file (Markdown)"),
    "image/png": _l("Image (PNG)"),
    "image/jpeg": _l("Image (JPEG)"),
    "image/webp": _l("Image (WebP)"),
}


def file_type(content_type: str, voice: bool = False) -> str:
    """A file's type in words: "Word document", "Voice recording", "Audio (MP3)"..."""
    if voice:
        return _("Voice recording")
    if content_type in FILE_TYPES:
        return str(FILE_TYPES[content_type])
    major, _slash, minor = content_type.partition("/")
    if major == "audio":
        return _("Audio (%(format)s)", format=minor.upper()) if minor else _("Audio")
    return _("File")


@dataclass(frozen=True)
class Language:
    """A language a request may be in: its names, the tools' names for it, where its phone numbers are from."""

    english: str
    native: str
    tesseract: str  # traineddata
    yake: str  # stop-word list
    phone_region: str  # a number written without its country code; English requests come from Czechia too


# ISO 639-1 code → the language; requests, OCR, speech, language detection and the analysis know exactly these.
LANGUAGES = {
    "en": Language("English", "English", "eng", "en", "CZ"),
    "cs": Language("Czech", "Čeština", "ces", "cz", "CZ"),
    "de": Language("German", "Deutsch", "deu", "de", "DE"),
    "fr": Language("French", "Français", "fra", "fr", "FR"),
}


# Each request language named in the reader's language.
LANGUAGE_NAMES = {"en": _l("English"), "cs": _l("Czech"), "de": _l("German"), "fr": _l("French")}


def language_name(code: str | None) -> str:
    """A language code in words, in the reader's language; a code we have no name for, as it is."""
    return str(LANGUAGE_NAMES.get((code or "").lower(), code or ""))


CONTACT_CHANNELS = {"email": _l("Email"), "telegram": "Telegram", "whatsapp": "WhatsApp", "phone": _l("Phone")}


def contact_channel(channel: str | None) -> str:
    """How the client asked to be answered, in words."""
    return str(CONTACT_CHANNELS.get(channel or "", channel or ""))


# A recommended service's share of the fit (0–1), read best first: the words of the first band it reaches.
FIT_BANDS = ((0.5, _l("Strong fit")), (0.25, _l("Good fit")), (0.0, _l("Partial fit")))


def fit_label(score: float) -> str:
    """How well a service fits, in words."""
    return str(next(words for lowest, words in FIT_BANDS if score >= lowest))


# A user's role (models.users.ROLES) in words.
ROLES = {"client": _l("Client"), "staff": _l("Staff member"), "admin": _l("Administrator")}


def role_label(role: str) -> str:
    """A role in words."""
    return str(ROLES.get(role, role))

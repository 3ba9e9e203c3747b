"""Our vocabularies, each defined once: events, file types, languages, contact channels, how well a service fits.

Pages (through portal/words.py's template filters), notifications (who hears of an event, the bell's
unread rule), the upload rules and the API read these tables; nothing shown to a client spells an
event name or a MIME type.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Event:
    """What a timeline or the bell says for one event, and who hears of it.

    `topic` is the client's notification topic (statex.messages.preferences.TOPICS) when the owner
    is told; `staff` the message template and staff page (below PORTAL_URL) when staff are.
    """

    label: str
    attention: bool = False
    topic: str | None = None
    staff: tuple[str, str] | None = None


EVENTS = {
    "submission.created": Event("Received", topic="received"),
    "submission.updated": Event("You added information"),
    "submission.cancelled": Event("Cancelled"),
    "processing.started": Event("We started reading it"),
    "processing.retried": Event("Trying again after a hitch"),
    "extraction.completed": Event("A file was read"),
    "extraction.failed": Event("A file could not be read"),
    "analysis.started": Event("Analysis started"),
    "analysis.completed": Event("Analysis finished"),
    "review.requested": Event("Waiting for our team's review",
                              staff=("staff.review.requested", "/staff/review/{id}")),
    "review.edited": Event("Our team edited the result"),
    "review.approved": Event("Our team approved the result"),
    "review.rejected": Event("Sent back: we need more from you", attention=True, topic="more_info"),
    "submission.completed": Event("Results ready", attention=True, topic="results"),
    "submission.failed": Event("Could not be completed", attention=True, topic="results",
                               staff=("staff.submission.failed", "/staff/submissions/{id}")),
    # An offer and the confirmation of its acceptance are results of the request; staff hear of each decision.
    "offer.sent": Event("Offer sent to you", attention=True, topic="results"),
    "offer.accepted": Event("You accepted the offer", topic="results",
                            staff=("staff.offer.accepted", "/staff/submissions/{id}")),
    "offer.declined": Event("You declined the offer", staff=("staff.offer.declined", "/staff/submissions/{id}")),
    "offer.changes_requested": Event("You asked for changes to the offer",
                                     staff=("staff.offer.changes_requested", "/staff/submissions/{id}")),
    # Messages to staff; each asks them to act.
    "staff.review.requested": Event("A result waits for review", attention=True),
    "staff.submission.failed": Event("A request failed", attention=True),
    "delivery.failed": Event("A message could not be delivered", attention=True),
    "staff.offer.accepted": Event("An offer was accepted", attention=True),
    "staff.offer.declined": Event("An offer was declined", attention=True),
    "staff.offer.changes_requested": Event("A client asks for changes to an offer", attention=True),
}
# Submission events the owner hears about, by topic; those staff hear about, by template and page.
EVENT_TOPICS = {kind: event.topic for kind, event in EVENTS.items() if event.topic}
STAFF_EVENTS = {kind: event.staff for kind, event in EVENTS.items() if event.staff}
# Recording one of these schedules its notification job.
NOTIFYING = frozenset(EVENT_TOPICS) | frozenset(STAFF_EVENTS)


# A request's status (models.submissions.STATUSES) as its badge says it.
STATUSES = {
    "received": "Received",
    "processing": "Being read",
    "in_review": "Checked by our team",
    "needs_info": "Waiting for you",
    "completed": "Results ready",
    "failed": "Could not be completed",
    "cancelled": "Cancelled",
}


def status_label(status: str) -> str:
    """The words on a request's status badge."""
    return STATUSES.get(status) or status.replace("_", " ").capitalize()


def event_label(kind: str) -> str:
    """The words for an event; an event this table lacks reads as its last part, in words."""
    event = EVENTS.get(kind)
    return event.label if event else kind.rsplit(".", 1)[-1].replace("_", " ").capitalize()


def needs_attention(kind: str) -> bool:
    """Whether the event's notification is unread when it arrives; confirmations arrive read."""
    event = EVENTS.get(kind)
    return event.attention if event else True


DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
# A document's stored content type → what a person calls such a file; statex.uploads takes exactly
# these documents (and audio, named below by its subtype).
FILE_TYPES = {
    "application/pdf": "PDF document",
    DOCX: "Word document",
    "text/plain": "Text file",
    "text/markdown": "Text file (Markdown)",
    "image/png": "Image (PNG)",
    "image/jpeg": "Image (JPEG)",
    "image/webp": "Image (WebP)",
}


def file_type(content_type: str, voice: bool = False) -> str:
    """A file's type in words: "Word document", "Voice recording", "Audio (MP3)"..."""
    if voice:
        return "Voice recording"
    if content_type in FILE_TYPES:
        return FILE_TYPES[content_type]
    major, _, minor = content_type.partition("/")
    if major == "audio":
        return f"Audio ({minor.upper()})" if minor else "Audio"
    return "File"


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


def language_name(code: str | None) -> str:
    """A language code in words (English for now); a code we have no name for, as it is."""
    language = LANGUAGES.get((code or "").lower())
    return language.english if language else code or ""


CONTACT_CHANNELS = {"email": "Email", "telegram": "Telegram", "whatsapp": "WhatsApp", "phone": "Phone"}


def contact_channel(channel: str | None) -> str:
    """How the client asked to be answered, in words."""
    return CONTACT_CHANNELS.get(channel or "", channel or "")


# A recommended service's share of the fit (0–1), read best first: the words of the first band it reaches.
FIT_BANDS = ((0.5, "Strong fit"), (0.25, "Good fit"), (0.0, "Partial fit"))


def fit_label(score: float) -> str:
    """How well a service fits, in words."""
    return next(words for lowest, words in FIT_BANDS if score >= lowest)

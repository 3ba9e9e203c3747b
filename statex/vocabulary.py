"""The words people read for our internal names: events, file types, languages, how well a service fits.

Pages (through portal/words.py's template filters) and notifications (the bell's unread rule) read
these tables; nothing shown to a client spells an event name or a MIME type.
"""

from __future__ import annotations

from dataclasses import dataclass

from statex import uploads


@dataclass(frozen=True)
class Event:
    """What a timeline or the bell says for one event, and whether it asks for the reader's attention."""

    label: str
    attention: bool = False


EVENTS = {
    "submission.created": Event("Received"),
    "submission.updated": Event("You added information"),
    "submission.cancelled": Event("Cancelled"),
    "processing.started": Event("We started reading it"),
    "processing.retried": Event("Trying again after a hitch"),
    "extraction.completed": Event("A file was read"),
    "extraction.failed": Event("A file could not be read"),
    "analysis.started": Event("Analysis started"),
    "analysis.completed": Event("Analysis finished"),
    "review.requested": Event("Waiting for our team's review"),
    "review.edited": Event("Our team edited the result"),
    "review.approved": Event("Our team approved the result"),
    "review.rejected": Event("Sent back: we need more from you", attention=True),
    "submission.completed": Event("Results ready", attention=True),
    "submission.failed": Event("Could not be completed", attention=True),
    "message.from_staff": Event("Our team wrote to you", attention=True),
    "message.from_client": Event("You wrote to us"),
    # Messages to staff; each asks them to act.
    "staff.review.requested": Event("A result waits for review", attention=True),
    "staff.submission.failed": Event("A request failed", attention=True),
    "delivery.failed": Event("A message could not be delivered", attention=True),
    "staff.message.received": Event("A client wrote", attention=True),
    "staff.reply.due": Event("A first reply is almost due", attention=True),
}


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


# Stored content type → what a person calls such a file (uploads.DOCUMENT_TYPES and AUDIO_TYPES).
FILE_TYPES = {
    "application/pdf": "PDF document",
    uploads.DOCX: "Word document",
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


LANGUAGE_NAMES = {"en": "English", "cs": "Czech", "de": "German", "fr": "French"}


def language_name(code: str | None) -> str:
    """A language code in words (English for now); a code we have no name for, as it is."""
    return LANGUAGE_NAMES.get((code or "").lower(), code or "")


def contact_channel(channel: str | None) -> str:
    """How the client asked to be answered, in words."""
    return uploads.CONTACT_CHANNELS.get(channel or "", channel or "")


# A recommended service's share of the fit (0–1), read best first: the words of the first band it reaches.
FIT_BANDS = ((0.5, "Strong fit"), (0.25, "Good fit"), (0.0, "Partial fit"))


def fit_label(score: float) -> str:
    """How well a service fits, in words."""
    return next(words for lowest, words in FIT_BANDS if score >= lowest)

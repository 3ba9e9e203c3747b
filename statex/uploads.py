"""The one list of rules for what a client may send: fields, files, types and limits."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field, fields
from typing import Any, BinaryIO, Mapping

import magic
from email_validator import EmailNotValidError, validate_email

from statex import audio, categories
from statex.config import Settings
from statex.i18n import gettext as _, lazy_gettext as _l, ngettext, number
from statex.models.submissions import TITLE_MAX
from statex.vocabulary import CONTACT_CHANNELS, FILE_TYPES, LANGUAGES

MB = 1024 * 1024
SNIFF_BYTES = 64 * 1024
# What a request body holds besides the files' bytes: each file part's boundary and headers (with its
# name), the text fields and the form's own (CSRF token, idempotency key), and the text at its widest:
# JSON spells one character (an emoji) as \ud83d\ude00, 12 bytes.
PART_OVERHEAD = 1024
FORM_OVERHEAD = 64 * 1024
TEXT_BYTES_PER_CHAR = 12
# Bytes a text file may hold: printable ASCII, tabs and line breaks, and any 8-bit (UTF-8, legacy).
TEXT_BYTES = b"\t\n\x0c\r" + bytes(range(0x20, 0x7f)) + bytes(range(0x80, 0x100))

CATEGORIES = categories.choices()  # key → English words; statex/categories.py holds every language
CONTACT_MAX = 255

# Sniffed type → the type we store and serve; anything missing here is refused. A document is
# stored as sniffed, and the documents we take are those statex.vocabulary has words for.
DOCUMENT_TYPES = {content_type: content_type for content_type in FILE_TYPES}
AUDIO_TYPES = {
    "audio/webm": "audio/webm",
    "video/webm": "audio/webm",  # libmagic cannot tell an audio-only WebM from a video
    "audio/ogg": "audio/ogg",
    "application/ogg": "audio/ogg",
    "audio/mpeg": "audio/mpeg",
    "audio/x-wav": "audio/wav",
    "audio/wav": "audio/wav",
    "audio/x-m4a": "audio/mp4",
    "audio/mp4": "audio/mp4",
    "video/mp4": "audio/mp4",
}
ACCEPTED_DESCRIPTION = _l("PDF, DOCX, plain text or Markdown, PNG, JPEG or WebP images, and audio "
                          "(WebM/Opus, Ogg, MP3, WAV, M4A)")
# What the file inputs offer to pick; the server still decides by content.
ACCEPT_ATTRIBUTE = ".pdf,.docx,.txt,.md,.png,.jpg,.jpeg,.webp,.webm,.ogg,.opus,.mp3,.wav,.m4a," \
                   + ",".join(sorted({*DOCUMENT_TYPES, "audio/*"}))


# Settings holds the one default of each limit (UPLOAD_MAX_*); Limits() is those defaults.
_DEFAULT = {item.name: item.default for item in fields(Settings) if item.name.startswith("upload_max_")}


@dataclass(frozen=True)
class Limits:
    """How much one submission may carry."""

    max_files: int = _DEFAULT["upload_max_files"]
    max_file_bytes: int = _DEFAULT["upload_max_file_mb"] * MB
    max_total_bytes: int = _DEFAULT["upload_max_total_mb"] * MB
    max_audio_seconds: int = _DEFAULT["upload_max_audio_seconds"]
    max_text_chars: int = _DEFAULT["upload_max_text_chars"]

    @classmethod
    def from_settings(cls, settings: Settings) -> "Limits":
        return cls(max_files=settings.upload_max_files,
                   max_file_bytes=settings.upload_max_file_mb * MB,
                   max_total_bytes=settings.upload_max_total_mb * MB,
                   max_audio_seconds=settings.upload_max_audio_seconds,
                   max_text_chars=settings.upload_max_text_chars)

    @property
    def max_body_bytes(self) -> int:
        """The largest request body a submission within these limits can need (the web server's limit)."""
        return (self.max_total_bytes + self.max_files * PART_OVERHEAD + FORM_OVERHEAD
                + self.max_text_chars * TEXT_BYTES_PER_CHAR)


def too_large(limits: Limits, size: int | None) -> str:
    """Why a request body of `size` bytes is refused before it is read, and what would be taken."""
    sent = _("The request is %(size)s", size=_mb(size)) if size else _("The request is too large")
    return _("%(sent)s; we take at most %(body)s at once: up to %(files)d files of %(each)s each, %(total)s "
             "together. Send fewer or smaller files, or add the rest to your request afterwards.",
             sent=sent, body=_mb(limits.max_body_bytes), files=limits.max_files,
             each=_mb(limits.max_file_bytes), total=_mb(limits.max_total_bytes))


@dataclass
class Draft:
    """The text fields of a submission once they passed the rules."""

    description: str = ""
    title: str | None = None
    language: str | None = None
    category: str | None = None
    contact_channel: str | None = None
    contact: str | None = None


@dataclass
class Upload:
    """A file as it arrived: the form field it came in, the name the client gave, a seekable stream."""

    field: str
    filename: str
    stream: BinaryIO


@dataclass
class Accepted:
    """A file that passed every rule, ready to be stored."""

    kind: str
    name: str
    content_type: str
    size: int
    stream: BinaryIO
    seconds: float | None = None


Errors = dict[str, list[str]]


@dataclass
class Checked:
    files: list[Accepted] = field(default_factory=list)
    errors: Errors = field(default_factory=dict)


def check_fields(data: Mapping[str, Any], limits: Limits, has_voice: bool = False,
                 require_content: bool = True) -> tuple[Draft, Errors]:
    """Validate the text fields (description, title, language, category, contact); name each bad field."""
    errors: Errors = {}
    values = {}
    for name in ("description", "title", "language", "category", "contact_channel", "contact"):
        value = data.get(name)
        if value is not None and not isinstance(value, str):
            errors[name] = [_("%(field)s must be a string.", field=name)]
            value = None
        values[name] = (value or "").strip()
    # A browser sends a textarea's line breaks as CRLF but counts each as one character: so do we.
    description = values["description"].replace("\r\n", "\n")
    if len(description) > limits.max_text_chars:
        errors["description"] = [too_long(len(description), limits.max_text_chars)]
    elif require_content and not description and not has_voice and "description" not in errors:
        errors["description"] = [_("Describe what you need. Or record a voice message instead.")]
    if len(values["title"]) > TITLE_MAX:
        errors["title"] = [_("Keep the title to %(max)d characters or fewer (it has %(length)s).",
                             max=TITLE_MAX, length=number(len(values["title"])))]
    _check_choice(errors, "language", values["language"], LANGUAGES)
    _check_choice(errors, "category", values["category"], CATEGORIES)
    _check_choice(errors, "contact_channel", values["contact_channel"], CONTACT_CHANNELS)
    contact = _check_contact(errors, values["contact_channel"], values["contact"])
    draft = Draft(description=description, title=" ".join(values["title"].split()) or None,
                  language=values["language"] or None,
                  category=values["category"] or None,
                  contact_channel=values["contact_channel"] or None, contact=contact)
    return draft, errors


def too_long(length: int, limit: int) -> str:
    """What to tell a client whose text is over the limit: by how much, and what to do instead."""
    return _("Your text has %(length)s characters, %(over)s over the limit of %(limit)s. "
             "Shorten it, or attach the long part as a file (text, Word or PDF).",
             length=number(length), over=number(length - limit), limit=number(limit))


def _check_choice(errors: Errors, name: str, value: str, choices) -> None:
    if value and value not in choices and name not in errors:
        errors[name] = [_("%(field)s must be one of %(choices)s.", field=name.replace("_", " ").capitalize(),
                          choices=", ".join(choices))]


def _check_contact(errors: Errors, channel: str, contact: str) -> str | None:
    """The handle for the chosen channel: an email, a Telegram username or a phone number."""
    if not contact:
        if channel in ("telegram", "whatsapp", "phone"):
            errors.setdefault("contact", [_("Tell us your %(channel)s contact.", channel=CONTACT_CHANNELS[channel])])
        return None
    if len(contact) > CONTACT_MAX:
        errors.setdefault("contact", [_("Keep the contact under %(limit)d characters.", limit=CONTACT_MAX)])
        return None
    if channel == "email" or (not channel and "@" in contact and not contact.startswith("@")):
        try:
            return validate_email(contact, check_deliverability=False).normalized
        except EmailNotValidError as error:
            errors.setdefault("contact", [_("Enter a valid email address: %(error)s", error=error)])
            return None
    if channel == "telegram" and re.fullmatch(r"@?[A-Za-z][A-Za-z0-9_]{4,31}", contact):
        return "@" + contact.lstrip("@")
    phone = re.sub(r"[\s().-]", "", contact)
    if re.fullmatch(r"\+?[0-9]{6,15}", phone):
        return phone
    expected = _("Enter a Telegram username like @statex or a phone number.") if channel == "telegram" \
        else _("Enter a phone number with its country code, like +420 601 123 456.")
    errors.setdefault("contact", [expected])
    return None


def clean_name(filename: str | None) -> str:
    """A name safe to show and to offer for download: no folders, no control characters."""
    name = unicodedata.normalize("NFC", filename or "")
    name = re.split(r"[\\/]", name)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    name = re.sub(r"\s+", " ", name).strip().lstrip(".").strip()
    if len(name) > 200:
        stem, dot, ext = name.rpartition(".")
        name = (stem[: 190] + dot + ext[:9]) if dot and len(ext) < 10 else name[:200]
    return name or "file"


def check_files(uploads: list[Upload], limits: Limits) -> Checked:
    """Decide by content what each file is, and apply every limit; each refusal names the file."""
    checked = Checked()
    uploads = [u for u in uploads if u.filename or _size(u.stream)]
    if len(uploads) > limits.max_files:
        _add(checked.errors, "files", ngettext("Send at most %(num)d file; you sent %(sent)d.",
                                               "Send at most %(num)d files; you sent %(sent)d.",
                                               limits.max_files, sent=len(uploads)))
        return checked
    voices = [u for u in uploads if u.field == "voice"]
    if len(voices) > 1:
        _add(checked.errors, "voice", _("Send one voice recording."))
    total = 0
    audio_seconds = 0.0
    for upload in uploads:
        accepted = _check_one(upload, limits, checked.errors, audio_left=limits.max_audio_seconds - audio_seconds)
        if accepted is None:
            continue
        total += accepted.size
        audio_seconds += accepted.seconds or 0
        checked.files.append(accepted)
    if total > limits.max_total_bytes:
        _add(checked.errors, "files", _("All files together come to %(total)s; the limit is %(limit)s per request.",
                                        total=_mb(total), limit=_mb(limits.max_total_bytes)))
    if audio_seconds > limits.max_audio_seconds:
        _add(checked.errors, "voice" if voices else "files",
             _("The audio lasts longer than the %(limit)s we take per request.",
               limit=_minutes(limits.max_audio_seconds)))
    return checked


def _check_one(upload: Upload, limits: Limits, errors: Errors, audio_left: float) -> Accepted | None:
    name = clean_name(upload.filename)
    size = _size(upload.stream)
    if size == 0:
        return _add(errors, upload.field, _("“%(name)s” is empty.", name=name))
    if size > limits.max_file_bytes:
        return _add(errors, upload.field, _("“%(name)s” is %(size)s; files may be up to %(limit)s.", name=name,
                                            size=_mb(size), limit=_mb(limits.max_file_bytes)))
    sniffed = sniff(upload.stream)
    if sniffed.startswith("text/") and not _plain_text(upload.stream):
        sniffed = "binary data"
    content_type = AUDIO_TYPES.get(sniffed) or DOCUMENT_TYPES.get(sniffed)
    if content_type is None:
        return _add(errors, upload.field, _("“%(name)s” looks like %(type)s, which we do not accept; send %(accepted)s.",
                                            name=name, type=sniffed, accepted=ACCEPTED_DESCRIPTION))
    seconds = None
    if content_type.startswith("audio/"):
        seconds = audio.duration(upload.stream, limit=max(audio_left, 0))  # decoded: past the limit, it stops
        if seconds is None:
            return _add(errors, upload.field, _("“%(name)s” is not a playable audio recording.", name=name))
    elif upload.field == "voice":
        return _add(errors, upload.field, _("“%(name)s” is not an audio recording.", name=name))
    kind = "voice" if upload.field == "voice" else "attachment"
    return Accepted(kind=kind, name=name, content_type=content_type, size=size,
                    stream=upload.stream, seconds=seconds)


def sniff(stream: BinaryIO) -> str:
    """The MIME type libmagic reads from the start of the stream; the stream is rewound."""
    stream.seek(0)
    head = stream.read(SNIFF_BYTES)
    stream.seek(0)
    return magic.from_buffer(head, mime=True)


def _plain_text(stream: BinaryIO) -> bool:
    """Text has no control characters but tabs and line breaks (libmagic is lenient here)."""
    head = stream.read(SNIFF_BYTES)
    stream.seek(0)
    return not head.translate(None, TEXT_BYTES)


def _size(stream: BinaryIO) -> int:
    stream.seek(0, 2)
    size = stream.tell()
    stream.seek(0)
    return size


def _add(errors: Errors, name: str, message: str) -> None:
    errors.setdefault(name, []).append(message)


def _mb(size: int) -> str:
    return f"{number(size / MB, 1)} MB"


def _minutes(seconds: float) -> str:
    whole = int(round(seconds))
    return f"{whole // 60}:{whole % 60:02d} min"

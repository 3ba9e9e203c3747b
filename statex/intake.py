"""One check of what a client sends: a new submission (form or API), or information added to one.

Each check returns a result holding what passed and, per field, what did not (the sourcehut
validation style): the page re-renders its form with the messages, the API answers 422 with them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping

from statex.models import Submission
from statex.uploads import Accepted, Draft, Errors, Limits, Upload, check_fields, check_files, too_long
from statex.i18n import gettext as _

# The text fields of a new submission, as the API names them.
FIELDS = ("description", "title", "language", "category", "contact_channel", "contact")


@dataclass
class Result:
    """What a check let through (the text fields, the files) and why anything else was refused."""

    draft: Draft = field(default_factory=Draft)
    files: list[Accepted] = field(default_factory=list)
    errors: Errors = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors


def check_new(data: Mapping[str, Any], uploads: list[Upload], limits: Limits, strict: bool = False) -> Result:
    """Check a new submission's files, then its fields (a voice recording stands for a description).

    `strict` (the API) also refuses fields it does not know, naming each.
    """
    checked = check_files(uploads, limits)
    has_voice = any(item.kind == "voice" for item in checked.files)
    draft, errors = check_fields(data, limits, has_voice=has_voice)
    if strict:
        unknown = {str(name or "") for name in data if name not in FIELDS}  # a malformed part has no name
        errors.update({name: [_("Unknown field; send only %(fields)s.", fields=", ".join(FIELDS))]
                       for name in unknown})
    return Result(draft=draft, files=checked.files, errors={**errors, **checked.errors})


def check_addition(submission: Submission, text: str | None, uploads: list[Upload], limits: Limits,
                   audio_seconds: float) -> Result:
    """Check text and files added to a submission against what its limits leave (`audio_seconds` it holds)."""
    checked = check_files(uploads, remaining(limits, submission, audio_seconds))
    # A browser sends a textarea's line breaks as CRLF but counts each as one character: so do we.
    text = (text or "").replace("\r\n", "\n").strip()
    errors = dict(checked.errors)
    room = text_room(limits, submission)
    if len(text) > room:
        errors["text"] = [too_long(len(text), room)]
    elif not text and not checked.files and not errors:
        errors["text"] = [_("Write something or attach a file to add.")]
    return Result(draft=Draft(description=text), files=checked.files, errors=errors)


def text_room(limits: Limits, submission: Submission) -> int:
    """How many characters the submission's description may still grow by."""
    return max(limits.max_text_chars - len(submission.description), 0)


def remaining(limits: Limits, submission: Submission, audio_seconds: float) -> Limits:
    """What is left of the per-submission limits once its current files and audio are counted."""
    used = sum(item.size for item in submission.files)
    return Limits(max_files=max(limits.max_files - len(submission.files), 0),
                  max_file_bytes=limits.max_file_bytes,
                  max_total_bytes=max(limits.max_total_bytes - used, 0),
                  max_audio_seconds=max(int(limits.max_audio_seconds - audio_seconds), 0),
                  max_text_chars=limits.max_text_chars)

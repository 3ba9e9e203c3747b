"""Schemathesis hooks (SCHEMATHESIS_HOOKS): real files for each media type the API's multipart body lists.

The document says which types a file may be; the server decides by content, so random bytes are
rightly refused. These strategies give schemathesis a real file of each type to send.
"""

from __future__ import annotations

import functools

import schemathesis
from schemathesis.core.parameters import ParameterLocation
from hypothesis import strategies as st

from tests import samples


@functools.cache
def _speech(kind: str) -> bytes:
    return samples.speech(kind, text="Please read our invoices.")


FILES = {
    "application/pdf": lambda: samples.pdf(),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": lambda: samples.docx(),
    "image/jpeg": lambda: samples.image("JPEG"),
    "image/png": lambda: samples.image("PNG"),
    "image/webp": lambda: samples.image("WEBP"),
    "text/markdown": lambda: b"# Orders\n\nWe want our orders read automatically.\n",
    "text/plain": lambda: b"We want our orders read automatically.\n",
    "audio/mp4": lambda: _speech("m4a"),
    "audio/mpeg": lambda: _speech("mp3"),
    "audio/ogg": lambda: _speech("ogg"),
    "audio/wav": lambda: samples.silence_wav(1.5),
    "audio/webm": lambda: _speech("webm"),
}
for media_type, make in FILES.items():
    schemathesis.openapi.media_type(media_type, st.builds(make))


@schemathesis.hook
def map_case(context, case):
    """One file drawn for the `files` array comes as a bare value, which is sent without a filename (as
    a text field); put it back in its array, where schemathesis gives each file part a filename.

    Only in a body meant to be valid: in a negative one, a bare `files` may be the very mistake made.
    """
    body = case.body
    if isinstance(body, dict) and isinstance(body.get("files"), bytes) and _positive_body(case):
        case.body = {**body, "files": [body["files"]]}
    return case


def _positive_body(case) -> bool:
    component = case.meta.components.get(ParameterLocation.BODY) if case.meta else None
    return component is not None and component.mode.is_positive


@schemathesis.hook
def filter_failure(context, failure, case, response) -> bool:
    """Keep every failure but one kind of false alarm: a "schema-violating" multipart request that, as
    sent, the document's own schema finds valid. Text parts and files cannot carry the type mutations
    schemathesis makes (an array of one string is sent as that string), so such a case is checked
    here against the schema and dropped only when it is valid."""
    if failure.code != "ST201" or case.media_type != "multipart/form-data" or not isinstance(case.body, dict):
        return True
    from jsonschema import Draft202012Validator

    from portal.api.openapi import document

    path = case.operation.path
    schema = document()["paths"][path]["post"]["requestBody"]["content"]["multipart/form-data"]["schema"]
    as_sent = {name: _as_sent(value) for name, value in case.body.items()}
    return not Draft202012Validator(schema).is_valid(as_sent)


def _as_sent(value):
    """A part as the server reads it: text as text, a file as a file (a string for the schema)."""
    if isinstance(value, list):
        return [_as_sent(item) for item in value]
    if isinstance(value, bytes):
        return "<file>"
    return value if isinstance(value, str) else str(value)

"""The OpenAPI 3.1 description of the API, served at /api/v1/openapi.json (public)."""

from __future__ import annotations

from flask import current_app

from portal.api import bp
from portal.api import openapi_messages as thread_doc
from statex.models.submissions import FILE_KINDS, STATUSES, TITLE_MAX
from statex.uploads import AUDIO_TYPES, CATEGORIES, CONTACT_CHANNELS, DOCUMENT_TYPES, LANGUAGES, Limits


def _nullable(schema: dict) -> dict:
    return {"anyOf": [schema, {"type": "null"}]}


def _enum_or_empty(values) -> dict:
    """A choice the server also accepts as empty or null, meaning 'not given'."""
    return {"anyOf": [{"type": "string", "enum": [*values, ""]}, {"type": "null"}]}


PROBLEM = {
    "type": "object",
    "required": ["type", "title", "status"],
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "errors": {"type": "object", "description": "Messages per field.",
                   "additionalProperties": {"type": "array", "items": {"type": "string"}}},
    },
}
FILE = {
    "type": "object",
    "required": ["id", "kind", "name", "content_type", "size", "sha256", "created_at", "download_url"],
    "properties": {
        "id": {"type": "string", "format": "uuid"},
        "kind": {"type": "string", "enum": list(FILE_KINDS)},
        "name": {"type": "string", "description": "The client's file name, cleaned for display."},
        "content_type": {"type": "string", "description": "Decided from the content, not the name."},
        "size": {"type": "integer", "minimum": 1},
        "sha256": {"type": "string", "pattern": "^[0-9a-f]{64}$"},
        "created_at": {"type": "string", "format": "date-time"},
        "download_url": {"type": "string"},
        "extraction": {
            "type": ["object", "null"],
            "description": "What was read from the file; null until its extraction is scheduled.",
            "required": ["status", "method", "text", "language", "machine_made", "confidence", "low_confidence",
                         "error", "details"],
            "properties": {
                "status": {"type": "string", "enum": ["pending", "running", "completed", "failed"]},
                "method": {"type": ["string", "null"], "description": "e.g. pypdf, tesseract, faster-whisper."},
                "text": {"type": "string"},
                "language": {"type": ["string", "null"]},
                "machine_made": {"type": "boolean", "description": "OCR or speech recognition made the text."},
                "confidence": {"type": ["number", "null"], "minimum": 0, "maximum": 1,
                               "description": "How sure OCR or speech recognition was of the text; "
                                              "null when the text is exact (a text layer, a document)."},
                "low_confidence": {"type": "boolean",
                                   "description": "The text was hard to read or understand: do not take it "
                                                  "as what the client said or wrote."},
                "error": {"type": ["string", "null"], "description": "Why the file could not be read."},
                "details": {"type": "array", "items": {"type": "object"},
                            "description": "Per page or per segment, where the tool gives it."},
            },
        },
    },
}
CONFLICT = {  # statex.analysis.schema.Conflict
    "type": "object", "required": ["field", "values", "latest"],
    "properties": {
        "field": {"type": "string", "enum": ["budget", "deadline"]},
        "values": {"type": "array", "minItems": 2, "items": {
            "type": "object", "required": ["text", "source"],
            "properties": {"text": {"type": "string", "description": "The phrase as written."},
                           "source": {"type": "string", "description": (
                               "Where: \"your description\", a file's name, \"your voice recording\", "
                               "\"what you added on 1 Dec 2026\" (in the request's language).")},
                           "given_at": _nullable({"type": "string", "format": "date-time"})}}},
        "latest": {"type": "integer", "minimum": 0, "description": "Index in values of the one stated last."},
        "note": {"type": "string", "description": "The disagreement in a sentence, in the request's language."},
    },
}
SUBMISSION = {
    "type": "object",
    "required": ["id", "status", "status_message", "title", "description", "language", "category", "contact_channel",
                 "contact", "created_at", "completed_at", "files", "result", *thread_doc.SUBMISSION_FIELDS],
    "properties": {
        "id": {"type": "string", "format": "uuid"},
        "status": {"type": "string", "enum": list(STATUSES)},
        "status_message": {"type": "string"},
        "title": {"type": "string", "description": "The client's title, else one made from the analysis, else "
                                                   "a provisional one from the description or the files."},
        "description": {"type": "string"},
        "language": _nullable({"type": "string", "enum": list(LANGUAGES)}),
        "category": _nullable({"type": "string", "enum": list(CATEGORIES)}),
        "contact_channel": _nullable({"type": "string", "enum": list(CONTACT_CHANNELS)}),
        "contact": _nullable({"type": "string"}),
        "created_at": {"type": "string", "format": "date-time"},
        "completed_at": _nullable({"type": "string", "format": "date-time"}),
        "files": {"type": "array", "items": {"$ref": "#/components/schemas/File"}},
        "result": _nullable({
            "type": "object", "required": ["summary", "language", "keywords"],
            "properties": {"summary": {"type": "string"}, "language": _nullable({"type": "string"}),
                           "keywords": {"type": "array"},
                           "recommended_services": {"type": "array", "items": {
                               "type": "object", "required": ["slug", "title", "url", "score"],
                               "properties": {"slug": {"type": "string"}, "title": {"type": "string"},
                                              "url": {"type": "string"},
                                              "score": {"type": "number", "minimum": 0, "maximum": 1}}}},
                           "no_service_fits": {"type": "boolean", "description": (
                               "True when the request asks for work none of our services covers.")},
                           "conflicts": {"type": "array", "description": (
                               "Facts the request's sources (description, added texts, files, voice recording) "
                               "state differently; facts.budget and facts.deadline hold the one stated last."),
                               "items": CONFLICT}},
        }),
        **thread_doc.SUBMISSION_FIELDS,
        "events": {"type": "array", "description": "Only when reading one submission.", "items": {
            "type": "object", "required": ["kind", "at", "data"],
            "properties": {"kind": {"type": "string"}, "at": {"type": "string", "format": "date-time"},
                           "data": {"type": "object"}},
        }},
    },
}
# What the server accepts as a contact, by channel (statex.uploads._check_contact, stated strictly).
PHONE = r"\+?[0-9]{6,15}"
TELEGRAM = r"@?[A-Za-z][A-Za-z0-9_]{4,31}"
EMAIL = r"[A-Za-z0-9_%+-]+(\.[A-Za-z0-9_%+-]+)*@([A-Za-z0-9]([A-Za-z0-9-]{0,20}[A-Za-z0-9])?\.)+(com|org|net|cz|de|fr)"
HANDLES = ("telegram", "whatsapp", "phone")


def _contact_when(channels, pattern: str, required: bool) -> dict:
    """If contact_channel is one of `channels`, the contact must match `pattern`."""
    contact = {"type": "string", "pattern": f"^(?:{pattern})$"}
    return {"if": {"required": ["contact_channel"], "properties": {"contact_channel": {"enum": list(channels)}}},
            "then": {"required": ["contact"], "properties": {"contact": contact}} if required else
            {"properties": {"contact": {"anyOf": [contact, {"type": "null"}, {"const": ""}]}}}}


FIELDS = {
    "description": {"type": "string", "maxLength": 20000,
                    "allOf": [{"pattern": r"\S"}, {"pattern": r"^[^\x00]*$"}],  # not blank; no NUL (400)
                    "description": "What the client needs; required unless a voice recording is sent."},
    "title": _nullable({"type": "string", "maxLength": TITLE_MAX, "pattern": r"^[^\x00]*$",
                        "description": "A short title of the client's choosing; empty or absent: one is made "
                                       "from the analysis."}),
    "language": _enum_or_empty(LANGUAGES),
    "category": _enum_or_empty(CATEGORIES),
    "contact_channel": _enum_or_empty(CONTACT_CHANNELS),
    "contact": _nullable({"type": "string", "maxLength": 255,
                          "description": "Email, Telegram username or phone number for the channel; "
                                         "empty means the account's email."}),
}
CONTACT_RULES = [
    _contact_when(["telegram"], f"{TELEGRAM}|{PHONE}", required=True),
    _contact_when(["whatsapp", "phone"], PHONE, required=True),
    _contact_when(["email"], EMAIL, required=False),
    {"if": {"not": {"required": ["contact_channel"],
                    "properties": {"contact_channel": {"enum": list(CONTACT_CHANNELS)}}}},
     "then": {"properties": {"contact": {"anyOf": [
         {"type": "null"}, {"const": ""}, {"type": "string", "pattern": f"^(?:{EMAIL}|{PHONE})$"}]}}}},
]
NEW_JSON = {
    "type": "object",
    "required": ["description"],
    "properties": FIELDS,
    "additionalProperties": False,
    "allOf": CONTACT_RULES,
}
FILE_PART = {"type": "string", "contentMediaType": "application/octet-stream"}
# The types a file may be, decided by its content (the part's own Content-Type is not trusted).
DOCUMENT_MEDIA_TYPES = sorted(set(DOCUMENT_TYPES.values()))
AUDIO_MEDIA_TYPES = sorted(set(AUDIO_TYPES.values()))


def _new_multipart(limits: Limits) -> dict:
    """The form: the same fields as JSON (text only, so no nulls), files, and a voice recording."""
    choices = {name: {"type": "string", "enum": [*values, ""]} for name, values in
               (("language", LANGUAGES), ("category", CATEGORIES), ("contact_channel", CONTACT_CHANNELS))}
    schema = {
        "type": "object",
        "additionalProperties": False,
        "properties": {
            "description": {"type": "string", "maxLength": limits.max_text_chars, "pattern": r"^[^\x00]*$",
                            "description": "What the client needs; required, and not blank, unless a voice "
                                           "recording is sent."},
            **choices,
            "contact": {"type": "string", "maxLength": 255},
            "files": {"type": "array", "maxItems": limits.max_files, "items": FILE_PART},
            "voice": FILE_PART,
        },
        "allOf": [
            *CONTACT_RULES,
            {"if": {"not": {"required": ["voice"]}},
             "then": {"required": ["description"], "properties": {"description": {"pattern": r"\S"}}},
             "else": {"properties": {"files": {"maxItems": limits.max_files - 1}}}},
        ],
    }
    encoding = {"files": {"contentType": ", ".join(DOCUMENT_MEDIA_TYPES + AUDIO_MEDIA_TYPES)},
                "voice": {"contentType": ", ".join(AUDIO_MEDIA_TYPES)}}
    return {"schema": schema, "encoding": encoding}


def _problem(description: str) -> dict:
    return {"description": description,
            "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}}


def _json(description: str, schema: dict, headers: dict | None = None) -> dict:
    response = {"description": description, "content": {"application/json": {"schema": schema}}}
    if headers:
        response["headers"] = headers
    return response


ONE = {"$ref": "#/components/schemas/Submission"}
ID_PARAMETER = {"name": "submission_id", "in": "path", "required": True, "schema": {"type": "string"}}
FILE_PARAMETER = {"name": "file_id", "in": "path", "required": True, "schema": {"type": "string"}}
COMMON = {"401": _problem("No valid API token.")}
LOCATION = {"Location": {"schema": {"type": "string"}, "description": "The submission's URL."}}


def document(version: str = "1", limits: Limits | None = None) -> dict:
    """The whole document; the paths list every route of the API and every answer it gives (within `limits`)."""
    return {
        "openapi": "3.1.0",
        "info": {"title": "Statex API", "version": version,
                 "description": "Submit requests with text, voice and files; follow them until the results."},
        "servers": [{"url": "/api/v1"}],
        "security": [{"bearer": []}],
        "paths": {
            "/submissions": {
                "post": {
                    "operationId": "createSubmission",
                    "summary": "Create a submission (JSON, or multipart with files and a voice recording).",
                    "parameters": [{"name": "Idempotency-Key", "in": "header", "required": False,
                                    "schema": {"type": "string", "pattern": "^[\\x21-\\x7e]{1,200}$"},
                                    "description": "Retrying with the same key returns the first submission."}],
                    "requestBody": {"required": True, "content": {
                        "application/json": {"schema": NEW_JSON},
                        "multipart/form-data": _new_multipart(limits or Limits()),
                    }},
                    "responses": {
                        "201": _json("Created.", ONE, LOCATION),
                        "200": _json("Already created with this Idempotency-Key.", ONE, LOCATION),
                        "400": _problem("The body is neither a JSON object nor multipart."),
                        "413": _problem("The request is larger than the server takes."),
                        "422": _problem("A field or file breaks a rule; `errors` names each."),
                        "429": _problem("Too many submissions; wait and retry."),
                        **COMMON,
                    },
                },
                "get": {
                    "operationId": "listSubmissions",
                    "summary": "The caller's submissions, newest first.",
                    "parameters": [
                        {"name": "status", "in": "query", "schema": {"type": "string", "enum": list(STATUSES)}},
                        {"name": "page", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 100_000}},
                        {"name": "per_page", "in": "query",
                         "schema": {"type": "integer", "minimum": 1, "maximum": 100}},
                    ],
                    "responses": {
                        "200": _json("One page.", {
                            "type": "object", "required": ["items", "page", "per_page", "total"],
                            "properties": {"items": {"type": "array", "items": ONE},
                                           "page": {"type": "integer"}, "per_page": {"type": "integer"},
                                           "total": {"type": "integer"}}}),
                        "400": _problem("A bad filter or page."),
                        **COMMON,
                    },
                },
            },
            "/submissions/{submission_id}": {"get": {
                "operationId": "getSubmission",
                "parameters": [ID_PARAMETER],
                "responses": {"200": _json("The submission with its events.", ONE),
                              "404": _problem("Not found (or not yours)."), **COMMON},
            }},
            "/submissions/{submission_id}/cancel": {"post": {
                "operationId": "cancelSubmission",
                "parameters": [ID_PARAMETER],
                "responses": {"200": _json("Cancelled.", ONE),
                              "404": _problem("Not found (or not yours)."),
                              "409": _problem("Already processed: it can no longer be cancelled."), **COMMON},
            }},
            "/submissions/{submission_id}/files/{file_id}": {"get": {
                "operationId": "downloadFile",
                "parameters": [ID_PARAMETER, FILE_PARAMETER],
                "responses": {
                    "200": {"description": "The file, as an attachment.",
                            "content": {"*/*": {"schema": {}}}},
                    "302": {"description": "Redirect to a short-lived storage link.",
                            "headers": {"Location": {"schema": {"type": "string"}}}},
                    "404": _problem("Not found (or not yours)."), **COMMON},
            }},
            **thread_doc.paths(limits or Limits(), DOCUMENT_MEDIA_TYPES + AUDIO_MEDIA_TYPES, _problem, _json, ID_PARAMETER, COMMON),
        },
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "schemas": {"Submission": SUBMISSION, "File": FILE, "Problem": PROBLEM, "Message": thread_doc.MESSAGE},
        },
    }


@bp.get("/openapi.json")
def openapi():
    return current_app.json.response(document(limits=Limits.from_settings(current_app.config["STATEX"])))

"""The OpenAPI description of a submission's thread (portal/api/messages.py), merged into portal/api/openapi.py."""

from __future__ import annotations

from statex.conversation.thread import MAX_BODY
from statex.models.conversation import AUTHOR_ROLES
from statex.uploads import Limits

MESSAGE = {
    "type": "object",
    "required": ["id", "author", "body", "files", "created_at", "read_at"],
    "properties": {
        "id": {"type": "string", "format": "uuid"},
        "author": {"type": "object", "required": ["name", "role"],
                   "properties": {"name": {"type": "string"}, "role": {"type": "string", "enum": list(AUTHOR_ROLES)}}},
        "body": {"type": "string", "description": "Markdown-lite: paragraphs, emphasis, links and lists."},
        "files": {"type": "array", "items": {"$ref": "#/components/schemas/File"}},
        "internal": {"type": "boolean", "description": "Only in staff's answers: a note the client never sees."},
        "created_at": {"type": "string", "format": "date-time"},
        "read_at": {"anyOf": [{"type": "string", "format": "date-time"}, {"type": "null"}],
                    "description": "When the other side first read it."},
    },
}
# Fields a submission gains with its thread (portal/api/submissions.py serialise).
SUBMISSION_FIELDS = {
    "assignee": {"anyOf": [{"type": "object", "required": ["name"], "properties": {"name": {"type": "string"}}},
                           {"type": "null"}], "description": "The staff member handling it."},
    "first_reply_due_at": {"anyOf": [{"type": "string", "format": "date-time"}, {"type": "null"}],
                           "description": "Two working days after it was received (Czech calendar)."},
    "first_replied_at": {"anyOf": [{"type": "string", "format": "date-time"}, {"type": "null"}]},
    "waiting_on": {"anyOf": [{"type": "string", "enum": ["us", "client"]}, {"type": "null"}],
                   "description": "Whose turn it is on the thread: \"us\" (Statex) or \"client\"."},
}
BODY = {"type": "string", "maxLength": MAX_BODY, "pattern": r"^[^\x00]*$"}
NEW_JSON = {
    "type": "object", "required": ["body"], "additionalProperties": False,
    "properties": {"body": {**BODY, "allOf": [{"pattern": r"\S"}]},
                   "internal": {"type": "boolean", "description": "Staff only: a note the client never sees."}},
}


def _new_multipart(limits: Limits, document_types: list[str]) -> dict:
    """The form: text, files, and (staff) the note flag; text or files must be given."""
    schema = {
        "type": "object", "additionalProperties": False,
        "properties": {"body": BODY, "internal": {"type": "string", "enum": ["true", "false"]},
                       "files": {"type": "array", "maxItems": limits.max_files,
                                 "items": {"type": "string", "contentMediaType": "application/octet-stream"}}},
        "anyOf": [{"required": ["body"], "properties": {"body": {"pattern": r"\S"}}},
                  {"required": ["files"], "properties": {"files": {"minItems": 1}}}],
    }
    return {"schema": schema, "encoding": {"files": {"contentType": ", ".join(document_types)}}}


def paths(limits: Limits, document_types: list[str], problem, json, id_parameter: dict, common: dict) -> dict:
    """The thread's routes, with every answer they give."""
    one = {"$ref": "#/components/schemas/Message"}
    location = {"Location": {"schema": {"type": "string"}, "description": "The thread's URL."}}
    return {"/submissions/{submission_id}/messages": {
        "get": {
            "operationId": "listMessages",
            "summary": "The thread, oldest first (a client never sees staff's notes); reading marks the other "
                       "side's messages read.",
            "parameters": [id_parameter,
                           {"name": "page", "in": "query", "schema": {"type": "integer", "minimum": 1,
                                                                      "maximum": 100_000}},
                           {"name": "per_page", "in": "query", "schema": {"type": "integer", "minimum": 1,
                                                                          "maximum": 100}}],
            "responses": {
                "200": json("One page.", {"type": "object", "required": ["items", "page", "per_page", "total"],
                                          "properties": {"items": {"type": "array", "items": one},
                                                         "page": {"type": "integer"},
                                                         "per_page": {"type": "integer"},
                                                         "total": {"type": "integer"}}}),
                "400": problem("A bad page."), "404": problem("Not found (or not yours)."), **common},
        },
        "post": {
            "operationId": "postMessage",
            "summary": "Write on the thread (JSON, or multipart with files); staff may write an internal note.",
            "parameters": [id_parameter,
                           {"name": "Idempotency-Key", "in": "header", "required": False,
                            "schema": {"type": "string", "pattern": "^[\\x21-\\x7e]{1,200}$"},
                            "description": "Retrying with the same key returns the first message."}],
            "requestBody": {"required": True, "content": {"application/json": {"schema": NEW_JSON},
                                                          "multipart/form-data": _new_multipart(limits,
                                                                                                document_types)}},
            "responses": {
                "201": json("Posted.", one, location),
                "200": json("Already posted with this Idempotency-Key.", one, location),
                "400": problem("The body is neither a JSON object nor multipart."),
                "403": problem("A client asked for an internal note: only staff write them."),
                "404": problem("Not found (or not yours)."),
                "409": problem("The submission is cancelled."),
                "413": problem("The request is larger than the server takes."),
                "422": problem("A field or file breaks a rule; `errors` names each."),
                "429": problem("Too many messages; wait and retry."),
                **common},
        },
    }}

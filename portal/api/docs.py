"""The API's front door, public: its index at /api/v1/ and its documentation, rendered from the OpenAPI document.

A blueprint of its own, beside the token-guarded `api` one: these pages are for people who have
no token yet, and they are not operations of the API (the OpenAPI document lists those).
"""

from __future__ import annotations

import json

from flask import Blueprint, current_app, render_template, url_for

from portal.api.openapi import document

bp = Blueprint("api_docs", __name__, url_prefix="/api/v1")
METHODS = ("get", "post", "put", "patch", "delete")
# Schema keywords the pages say in words; anything else shows in the schema's JSON below it.
CONSTRAINTS = {"format": "format {}", "pattern": "matching {}", "minimum": "at least {}", "maximum": "at most {}",
               "minLength": "at least {} characters", "maxLength": "at most {} characters",
               "contentMediaType": "{} content", "minItems": "at least {} items", "maxItems": "at most {} items"}


@bp.get("/")
def index():
    """What the API offers and where to read about it, as links."""
    links = {
        "openapi": {"href": url_for("api.openapi", _external=True), "type": "application/vnd.oai.openapi+json"},
        "docs": {"href": url_for(".docs", _external=True), "type": "text/html"},
        "submissions": {"href": url_for("api.create_submission", _external=True), "type": "application/json"},
        "tokens": {"href": url_for("account.index", _external=True, _anchor="tokens-heading"), "type": "text/html"},
    }
    info = document()["info"]
    return current_app.json.response({
        "title": info["title"], "version": info["version"], "description": info["description"],
        "authentication": "Send 'Authorization: Bearer <token>'; create a token on your account page (links.tokens).",
        "links": links,
    })


@bp.get("/docs")
def docs():
    """Every path, method, parameter, body and response of the OpenAPI document, as one page."""
    spec = document()
    operations = [(path, method, item[method]) for path, item in spec["paths"].items()
                  for method in METHODS if method in item]
    return render_template("api/docs.html", spec=spec, operations=operations,
                           schemas=spec["components"]["schemas"], openapi_url=url_for("api.openapi"))


@bp.app_template_filter("schema_type")
def schema_type(schema: dict) -> str:
    """A schema's type in a few words: "string (format uuid)", "array of File", "one of: a, b"."""
    if "$ref" in schema:
        return schema["$ref"].rsplit("/", 1)[-1]
    if "anyOf" in schema or "oneOf" in schema:
        return " or ".join(schema_type(part) for part in schema.get("anyOf") or schema["oneOf"])
    if "const" in schema:
        return json.dumps(schema["const"])
    if "enum" in schema:
        return "one of: " + ", ".join(json.dumps(value) for value in schema["enum"])
    kinds = schema.get("type", "any")
    words = " or ".join(kinds) if isinstance(kinds, list) else kinds
    if "items" in schema:
        words += f" of {schema_type(schema['items'])}"
    limits = [text.format(schema[key]) for key, text in CONSTRAINTS.items() if key in schema]
    return f"{words} ({', '.join(limits)})" if limits else words


@bp.app_template_filter("schema_json")
def schema_json(schema: dict) -> str:
    return json.dumps(schema, indent=2, ensure_ascii=False)

"""The offers' part of the OpenAPI document (portal/api/offers.py): its schemas and paths."""

from __future__ import annotations

from statex.models.offers import CURRENCIES, STATES

# A NUL in any text of the body is refused before routing (400), so no text here may hold one.
TEXT = {"type": "string", "pattern": r"^[^\x00]*$"}
AMOUNT = {"type": "string", "pattern": r"^-?\d+\.\d{2}$", "description": "A decimal amount, two decimals."}
NUMBER_IN = {"anyOf": [TEXT, {"type": "integer"}],
             "description": "A decimal number as text (\"1500.50\", \"1 500,50\") or a whole number."}
LINE = {
    "type": "object", "required": ["title", "description", "quantity", "unit_price", "discount", "total"],
    "properties": {"title": {"type": "string"}, "description": {"type": "string"}, "timeline": {"type": "string"},
                   "quantity": AMOUNT, "unit_price": AMOUNT, "discount": {**AMOUNT, "description": "Percent off."},
                   "total": AMOUNT},
}
OFFER = {
    "type": "object",
    "required": ["id", "number", "version", "state", "currency", "lines", "subtotal", "vat_rate", "vat", "total",
                 "valid_until", "accepted_at", "declined_at", "accepted_name", "pdf_sha256"],
    "properties": {
        "id": {"type": "string", "format": "uuid"},
        "number": {"type": ["string", "null"], "description": "Per year, e.g. 2026-0001; null until first sent."},
        "version": {"type": "integer", "minimum": 1},
        "state": {"type": "string", "enum": list(STATES)},
        "submission_id": {"type": ["string", "null"]},
        "currency": {"type": "string", "enum": list(CURRENCIES)},
        "language": {"type": "string"}, "cover_text": {"type": "string"},
        "lines": {"type": "array", "items": LINE},
        "subtotal": AMOUNT, "vat_rate": {**AMOUNT, "description": "Percent."}, "vat": AMOUNT, "total": AMOUNT,
        "valid_days": {"type": "integer"},
        "valid_until": {"type": ["string", "null"], "format": "date"},
        "sent_at": {"type": ["string", "null"], "format": "date-time"},
        "accepted_at": {"type": ["string", "null"], "format": "date-time"},
        "declined_at": {"type": ["string", "null"], "format": "date-time"},
        "accepted_name": {"type": ["string", "null"]}, "decline_reason": {"type": ["string", "null"]},
        "pdf_sha256": {"type": ["string", "null"], "description": "Of the PDF as stored and served."},
        "pdf_url": {"type": ["string", "null"]},
    },
}
EDIT = {
    "type": "object", "additionalProperties": False,
    "properties": {
        "currency": {"type": "string", "enum": list(CURRENCIES)},
        "vat_rate": NUMBER_IN, "valid_days": {"type": "integer", "minimum": 1, "maximum": 365},
        "cover_text": TEXT,
        "lines": {"type": "array", "maxItems": 50, "items": {
            "type": "object", "required": ["title", "unit_price"], "additionalProperties": False,
            "properties": {"title": {**TEXT, "minLength": 1}, "description": TEXT,
                           "timeline": TEXT, "quantity": NUMBER_IN, "unit_price": NUMBER_IN,
                           "discount": NUMBER_IN}}},
    },
}


def paths(json, problem, common: dict) -> dict:
    """The offer routes, built with the document's own helpers for answers (`json`, `problem`)."""
    one = {"$ref": "#/components/schemas/Offer"}
    submission = {"name": "submission_id", "in": "path", "required": True, "schema": {"type": "string"}}
    offer = {"name": "offer_id", "in": "path", "required": True, "schema": {"type": "string"}}
    missing = problem("Not found (or not yours; a client never sees a draft).")
    staff = problem("Only staff tokens draft, edit and send offers.")
    wrong_state = problem("Wrong state: not a draft, expired, superseded or decided already.")
    invalid = problem("A field breaks a rule; `errors` names each.")
    unreadable = problem("The body holds a NUL character, or is not a JSON object.")
    return {
        "/submissions/{submission_id}/offers": {
            "post": {"operationId": "draftOffer", "summary": "Staff: draft an offer from the analysis.",
                     "parameters": [submission],
                     "responses": {"201": json("The draft.", one), "403": staff, "404": missing, **common}},
            "get": {"operationId": "listOffers", "summary": "The submission's offers you may see.",
                    "parameters": [submission],
                    "responses": {"200": json("Every version you may see.", {
                        "type": "object", "required": ["items"],
                        "properties": {"items": {"type": "array", "items": one}}}), "404": missing, **common}},
        },
        "/offers/{offer_id}": {
            "get": {"operationId": "getOffer", "parameters": [offer],
                    "responses": {"200": json("The offer version.", one), "404": missing, **common}},
            "patch": {"operationId": "editOffer", "summary": "Staff: edit a draft.", "parameters": [offer],
                      "requestBody": {"required": True, "content": {"application/json": {"schema": EDIT}}},
                      "responses": {"200": json("The edited draft.", one), "400": unreadable,
                                    "403": staff, "404": missing, "409": wrong_state, "422": invalid, **common}},
        },
        "/offers/{offer_id}/send": {"post": {
            "operationId": "sendOffer", "summary": "Staff: number, freeze, render and send a draft.",
            "parameters": [offer],
            "responses": {"200": json("Sent.", one), "403": staff, "404": missing, "409": wrong_state, **common}}},
        "/offers/{offer_id}/pdf": {"get": {
            "operationId": "downloadOfferPdf", "parameters": [offer],
            "responses": {"200": {"description": "The PDF as sent.", "content": {"application/pdf": {"schema": {}}}},
                          "302": {"description": "Redirect to a short-lived storage link.",
                                  "headers": {"Location": {"schema": {"type": "string"}}}},
                          "404": missing, **common}}},
        "/offers/{offer_id}/accept": {"post": {
            "operationId": "acceptOffer", "summary": "The client accepts the latest sent version.",
            "parameters": [offer],
            "requestBody": {"required": True, "content": {"application/json": {"schema": {
                "type": "object", "required": ["name"], "additionalProperties": False,
                "properties": {"name": {**TEXT, "minLength": 1, "description": "Your full name."},
                               "pdf_sha256": {**TEXT, "description": "Of the PDF you read."}}}}}},
            "responses": {"200": json("Accepted.", one), "400": unreadable, "404": missing, "409": wrong_state,
                          "422": invalid, **common}}},
        "/offers/{offer_id}/decline": {"post": {
            "operationId": "declineOffer", "summary": "The client declines the latest sent version.",
            "parameters": [offer],
            "requestBody": {"required": False, "content": {"application/json": {"schema": {
                "type": "object", "additionalProperties": False, "properties": {"reason": TEXT}}}}},
            "responses": {"200": json("Declined.", one), "400": unreadable, "404": missing, "409": wrong_state,
                          "422": invalid, **common}}},
    }

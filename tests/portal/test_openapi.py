"""The API against its own OpenAPI document: a property-based fuzzer finds no 500 and no broken response."""

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import positive_data_acceptance

from portal.api.openapi import document


@pytest.fixture
def token(make_user, make_token):
    email, _p, _i = make_user()
    return make_token(email)


def test_the_api_keeps_its_documented_promises(app, token):
    """Each operation, fuzzed from its schema; every response is checked against the document."""
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == 15  # 5 for submissions, 8 for offers, 2 for a request's messages
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=30, deadline=None, database=None, suppress_health_check=list(HealthCheck))
        def conforms(case):
            # JSON Schema cannot say what a file must contain: random bytes are rightly refused.
            excluded = [positive_data_acceptance] if case.media_type == "multipart/form-data" else []
            case.call_and_validate(headers={"Authorization": f"Bearer {token}"}, excluded_checks=excluded)

        conforms()


def test_the_document_is_public_and_openapi_3_1(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert response.get_json() == document()
    assert response.get_json()["openapi"] == "3.1.0"


def test_every_api_route_is_documented(app):
    routes = {(rule.rule.removeprefix("/api/v1").replace("<", "{").replace(">", "}"), method.lower())
              for rule in app.url_map.iter_rules()
              if rule.endpoint.startswith("api.") and rule.endpoint != "api.openapi"
              for method in rule.methods - {"HEAD", "OPTIONS"}}
    documented = {(path, method) for path, item in document()["paths"].items() for method in item}
    assert routes == documented


def test_the_document_states_the_limits_the_server_applies(monkeypatch, make_user, make_token):
    """UPLOAD_MAX_TEXT_CHARS and UPLOAD_MAX_FILES change the document and the answers alike."""
    from portal import create_app
    from statex.config import load_settings

    monkeypatch.setenv("UPLOAD_MAX_TEXT_CHARS", "500")
    monkeypatch.setenv("UPLOAD_MAX_FILES", "3")
    client = create_app(test_config={"TESTING": True}, settings=load_settings()).test_client()
    body = client.get("/api/v1/openapi.json").get_json()["paths"]["/submissions"]["post"]["requestBody"]["content"]
    assert body["application/json"]["schema"]["properties"]["description"]["maxLength"] == 500
    multipart = body["multipart/form-data"]["schema"]["properties"]
    assert multipart["description"]["maxLength"] == 500 and multipart["files"]["maxItems"] == 3
    headers = {"Authorization": f"Bearer {make_token(make_user()[0])}"}
    assert client.post("/api/v1/submissions", json={"description": "x" * 500}, headers=headers).status_code == 201
    refused = client.post("/api/v1/submissions", json={"description": "x" * 501}, headers=headers)
    assert refused.status_code == 422 and "over the limit of 500" in refused.get_json()["errors"]["description"][0]

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
    assert len(operations) == 7
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
              for rule in app.url_map.iter_rules() if rule.endpoint.startswith("api.") and rule.endpoint != "api.openapi"
              for method in rule.methods - {"HEAD", "OPTIONS"}}
    documented = {(path, method) for path, item in document()["paths"].items() for method in item}
    assert routes == documented

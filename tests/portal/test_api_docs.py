"""The API's index at /api/v1/ and its documentation page, rendered from the OpenAPI document."""

import html
import re

from portal.api.docs import METHODS
from portal.api.openapi import document


def test_the_api_index_links_to_its_description_and_its_documentation(client):
    response = client.get("/api/v1/")
    assert response.status_code == 200 and response.mimetype == "application/json"
    index = response.get_json()
    assert index["title"] == "Statex API" and index["version"] == "1"
    links = index["links"]
    assert links["openapi"]["href"].endswith("/api/v1/openapi.json")
    assert links["docs"]["href"].endswith("/api/v1/docs") and links["docs"]["type"] == "text/html"
    for link in links.values():
        path = re.sub(r"^https?://[^/]+", "", link["href"]).split("#")[0]
        assert client.get(path).status_code in (200, 302, 401), path  # each exists (the account page asks to sign in)


def test_the_documentation_shows_every_path_method_parameter_body_and_response(client):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200 and response.mimetype == "text/html"
    page = html.unescape(response.get_data(as_text=True))
    spec = document()
    for path, item in spec["paths"].items():
        for method in (m for m in METHODS if m in item):
            operation = item[method]
            section = page.split(f'id="{operation["operationId"]}"', 1)[1].split('class="card api-operation"')[0]
            assert f"{method.upper()} {path}" in section
            for parameter in operation.get("parameters", []):
                assert f"<code>{parameter['name']}</code>" in section, parameter["name"]
            for media_type in operation.get("requestBody", {}).get("content", {}):
                assert f"<code>{media_type}</code>" in section, media_type
            for status, answer in operation["responses"].items():
                assert f"<code>{status}</code> {answer['description']}" in section, (path, method, status)
    for name, schema in spec["components"]["schemas"].items():
        assert f'id="schema-{name}"' in page
        for field in schema.get("properties", {}):
            assert f"<code>{field}</code>" in page, field


def test_the_account_page_links_to_the_documentation(client, make_user, auth):
    email, password, _id = make_user()
    auth.login(email, password)
    page = client.get("/portal/account/").get_data(as_text=True)
    tokens = page.split('id="tokens-heading"', 1)[1]
    assert 'href="/api/v1/docs"' in tokens.split("</section>")[0]

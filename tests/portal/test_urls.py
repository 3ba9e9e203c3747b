"""The templates' URLs, built once and kept, are the URLs Flask builds for the request's root path."""

from __future__ import annotations

import re

from tests.conftest import Auth


def _stylesheets(page: str) -> list[str]:
    return re.findall(r'<link rel="stylesheet" href="([^"]+)"', page)


def test_a_kept_url_is_the_one_built_for_the_path_the_portal_is_mounted_at(client):
    at_root = _stylesheets(client.get("/portal/login").text)
    mounted = _stylesheets(client.get("/portal/login", environ_overrides={"SCRIPT_NAME": "/statex"}).text)
    again = _stylesheets(client.get("/portal/login").text)
    assert at_root and all(url.startswith("/portal/") for url in at_root)
    assert mounted == [f"/statex{url}" for url in at_root]
    assert again == at_root


def test_links_with_the_searched_words_name_those_words(client, make_user):
    email, password, _user_id = make_user(verified=True)
    Auth(client).login(email, password)
    for words in ("invoices", "contracts"):
        page = client.get("/portal/", query_string={"q": words}).text
        filters = re.findall(r'href="(/portal/\?[^"]*status=received[^"]*)"', page)
        assert filters and all(f"q={words}" in url for url in filters)

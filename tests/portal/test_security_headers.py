"""Security headers, cookie flags, CSRF on every portal POST, and pages free of inline code."""

import re
import uuid

import pytest

from portal import create_app
from statex.config import load_settings
from tests.helpers import csrf_in
from tests.portal.accounts_helpers import csrf, login

PAGES = ["/portal/login", "/portal/signup", "/portal/login/link", "/portal/password/forgot"]
SIGNED_IN_PAGES = ["/portal/", "/portal/account/", "/portal/staff/users", "/portal/staff/audit", "/portal/staff/outbox"]


@pytest.fixture
def admin_client(client, make_user):
    email, _, _ = make_user(role="admin")
    login(client, email)
    return client


@pytest.mark.parametrize("path", PAGES + ["/api/v1/submissions", "/portal/no-such-page"])
def test_every_answer_carries_the_security_headers(client, path):
    headers = client.get(path).headers
    csp = headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp and "object-src 'none'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert headers["X-Frame-Options"] == "DENY"
    assert "Strict-Transport-Security" not in headers, "HSTS only in production"


def test_signed_in_pages_are_not_cached(admin_client):
    for path in SIGNED_IN_PAGES:
        assert "no-store" in admin_client.get(path).headers.get("Cache-Control", ""), path


def test_pages_have_no_inline_scripts_or_styles(admin_client):
    for path in PAGES + SIGNED_IN_PAGES:
        html = admin_client.get(path).get_data(as_text=True)
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), path
        assert "<style" not in html and not re.search(r"\sstyle=", html), path
        assert not re.search(r"\son[a-z]+=", html), path


def test_the_session_cookie_is_httponly_and_samesite(client, make_user):
    email, _, _ = make_user()
    cookie = login(client, email).headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert cookie.startswith("session="), "the __Host- name is for production, over HTTPS"


def test_production_sends_hsts_and_a_secure_host_only_cookie(settings, make_user, database_url, redis_url):
    production = load_settings({"STATEX_ENV": "production", "SECRET_KEY": "p" * 40, "DATABASE_URL": database_url,
                                "REDIS_URL": redis_url, "S3_BUCKET": "statex-test", "SITE_URL": "https://statex.example",
                                "SMTP_URL": "smtp://127.0.0.1:1/", "METRICS_TOKEN": "m" * 40})
    client = create_app(settings=production).test_client()
    email, _, _ = make_user()
    response = client.get("/portal/login", base_url="https://statex.example")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")
    token = csrf_in(response.get_data(as_text=True))
    signed_in = client.post("/portal/login", base_url="https://statex.example",
                            headers={"Referer": "https://statex.example/portal/login"},
                            data={"email": email, "password": "correct horse battery staple", "csrf_token": token})
    cookie = signed_in.headers["Set-Cookie"]
    assert cookie.startswith("__Host-statex=") and "Secure" in cookie and "Path=/" in cookie
    assert "Domain" not in cookie


def _portal_posts(app):
    """Every POST route of the portal (the API is bearer-only and exempt), with made-up ids."""
    for rule in app.url_map.iter_rules():
        if "POST" in rule.methods and not rule.rule.startswith("/api/"):
            yield re.sub(r"<[^>]+>", lambda _m: str(uuid.uuid4()), rule.rule)


def test_every_portal_post_without_a_csrf_token_is_refused(app, admin_client):
    paths = list(_portal_posts(app))
    assert "/portal/account/tokens" in paths and "/portal/logout" in paths
    accepted = [(p, r.status_code) for p in paths if (r := admin_client.post(p, data={"name": "x"})).status_code != 400]
    assert accepted == []
    forged = admin_client.post("/portal/account/profile", data={"name": "x", "csrf_token": "forged"})
    assert forged.status_code == 400 and "CSRF" in forged.get_data(as_text=True)


def test_htmx_requests_send_the_token_in_a_header(app, admin_client):
    token = csrf(admin_client, "/portal/account/")
    response = admin_client.post("/portal/account/profile", data={"name": "Ann"},
                                 headers={"HX-Request": "true", "X-CSRFToken": token})
    assert response.status_code == 303
    script = admin_client.get("/portal/static/js/portal.js").get_data(as_text=True)
    assert "X-CSRFToken" in script and 'meta[name="csrf-token"]' in script


def test_state_never_changes_over_get(app, admin_client):
    """No route that changes something answers GET: every such URL has a POST-only rule."""
    for rule in app.url_map.iter_rules():
        if any(word in rule.rule for word in ("logout", "revoke", "delete", "signout", "/role", "/active", "cancel")):
            assert "GET" not in rule.methods, rule.rule


def test_a_nul_character_anywhere_is_a_named_400_not_a_500(admin_client, make_token, make_user):
    token = csrf(admin_client, "/portal/account/")
    response = admin_client.post("/portal/account/profile", data={"name": "a\x00b", "csrf_token": token})
    assert response.status_code == 400 and "“name” contains a NUL character" in response.get_data(as_text=True)
    assert admin_client.get("/portal/staff/audit", query_string={"who": "\x00"}).status_code == 400
    email, _, _ = make_user()
    api = admin_client.post("/api/v1/submissions", headers={"Authorization": f"Bearer {make_token(email)}"},
                            json={"description": "fine", "meta": [{"note": "bad\x00"}]})
    assert api.status_code == 400 and api.mimetype == "application/problem+json"
    assert api.get_json()["errors"] == {"meta[0].note": [api.get_json()["detail"]]}

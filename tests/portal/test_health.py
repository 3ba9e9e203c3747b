"""Liveness and readiness."""

from statex.config import load_settings


def test_healthz(client):
    assert client.get("/healthz").get_json() == {"status": "ok"}


def test_readyz_checks_every_dependency(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.get_json()["checked"] == ["database", "redis", "storage"]


def test_readyz_names_redis_when_it_is_down(monkeypatch):
    from portal import create_app

    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:1/0")
    response = create_app(settings=load_settings()).test_client().get("/readyz")
    assert response.status_code == 503
    assert list(response.get_json()["failed"]) == ["redis"]


def test_security_headers_on_every_page(client):
    response = client.get("/portal/login")
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    assert "unsafe-inline" not in response.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"]


def test_readyz_names_the_failing_dependency_and_nothing_of_its_address(monkeypatch):
    from portal import create_app

    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:1/0")
    response = create_app(settings=load_settings()).test_client().get("/readyz")
    assert response.status_code == 503
    assert response.get_json() == {"status": "unavailable", "failed": ["redis"]}
    text = response.get_data(as_text=True)
    assert "127.0.0.1" not in text and "Error" not in text and "refused" not in text

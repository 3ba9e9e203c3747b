"""The web process serves the built site at / with security headers, beside the portal."""

from portal import create_app
from statex.config import load_settings


def test_built_site_is_served_with_security_headers(tmp_path, monkeypatch):
    (tmp_path / "about").mkdir()
    (tmp_path / "index.html").write_text("<!doctype html><title>Home</title>")
    (tmp_path / "about" / "index.html").write_text("<!doctype html><title>About</title>")
    monkeypatch.setenv("SITE_OUTPUT_DIR", str(tmp_path))
    client = create_app(settings=load_settings()).test_client()

    home = client.get("/")
    assert home.status_code == 200 and b"Home" in home.data
    assert "frame-ancestors 'none'" in home.headers["Content-Security-Policy"]
    assert home.headers["X-Content-Type-Options"] == "nosniff"
    assert b"About" in client.get("/about/").data
    assert client.get("/portal/login").status_code == 200


def test_unknown_site_paths_get_the_sites_404_page_in_their_language(tmp_path, monkeypatch):
    (tmp_path / "cs").mkdir()
    (tmp_path / "404.html").write_text("<!doctype html><title>Not found</title>")
    (tmp_path / "cs" / "404.html").write_text("<!doctype html><title>Nenalezeno</title>")
    monkeypatch.setenv("SITE_OUTPUT_DIR", str(tmp_path))
    client = create_app(settings=load_settings()).test_client()

    english = client.get("/no/such/page")
    assert english.status_code == 404 and b"Not found" in english.data
    assert "frame-ancestors 'none'" in english.headers["Content-Security-Policy"]
    assert b"Nenalezeno" in client.get("/cs/nic-takoveho/").data
    assert b"Not found" in client.get("/../etc/passwd").data
    portal = client.get("/portal/no-such-page")
    assert portal.status_code == 404 and b"Not found" not in portal.data

"""The Statex portal: the Flask app serving the site, the client portal and the JSON API."""

from __future__ import annotations

from flask import Flask
from flask_htmx import HTMX
from flask_wtf.csrf import CSRFProtect
from werkzeug.middleware.proxy_fix import ProxyFix

from statex import accounts
from statex.config import Settings, load_settings

csrf = CSRFProtect()
htmx = HTMX()


def create_app(test_config: dict | None = None, settings: Settings | None = None) -> Flask:
    """Assemble the app: settings, extensions, blueprints, error pages, then the static site."""
    from statex.uploads import Limits

    settings = settings or load_settings()
    accounts.use_hashing(settings.password_hashing)
    app = Flask(__name__, static_url_path="/portal/static")
    app.config.from_mapping(
        SECRET_KEY=settings.secret_key,
        STATEX=settings,
        # A body larger than any submission may be is refused from its Content-Length, unread.
        MAX_CONTENT_LENGTH=Limits.from_settings(settings).max_body_bytes,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=settings.production,
        REMEMBER_COOKIE_SECURE=settings.production,
        WTF_CSRF_TIME_LIMIT=None,
    )
    if test_config:
        app.config.update(test_config)

    from portal import account, auth, conversation, db, errors, health, i18n, inbox, limits, offers
    from portal import security, staff
    from portal import submissions, telemetry, theme, urls, words
    from portal.api import bp as api_bp, docs as api_docs

    telemetry.init_app(app)
    db.init_app(app)
    csrf.init_app(app)
    htmx.init_app(app)
    auth.init_app(app)
    i18n.init_app(app)
    limits.init_app(app)
    security.init_app(app)
    errors.init_app(app)
    urls.init_app(app)
    csrf.exempt(api_bp)
    for blueprint in (health.bp, theme.bp, auth.bp, account.bp, submissions.bp, staff.bp, api_bp):
        app.register_blueprint(blueprint)
    app.register_blueprint(inbox.bp)
    app.register_blueprint(offers.bp)
    app.register_blueprint(words.bp)
    app.register_blueprint(conversation.bp)
    app.register_blueprint(api_docs.bp)

    from portal.site import serve_site

    serve_site(app, settings.site_dir)
    if settings.trusted_proxies:
        # The client's address (rate limits, the audit log) is the one the nearest trusted proxy saw.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=settings.trusted_proxies, x_proto=settings.trusted_proxies)
    return app

"""The site theme's shared stylesheets and icons, served to the portal so both look like one product."""

from flask import Blueprint, Response, current_app, json, send_from_directory, url_for

from statex.config import ROOT

IMAGES = ROOT / "themes" / "statex" / "static" / "images"
# The site's colours (tokens.css): the brand blue for the browser's bars, white behind the splash.
THEME_COLOR = "#2b4acb"
BACKGROUND_COLOR = "#ffffff"
ICONS = [("icon-192.png", "192x192", "any"), ("icon-512.png", "512x512", "any"),
         ("icon-maskable-512.png", "512x512", "maskable")]

bp = Blueprint("theme", __name__, static_folder=str(ROOT / "themes" / "statex" / "static"),
               static_url_path="/portal/theme")


@bp.app_context_processor
def theme_colors() -> dict[str, str]:
    """`theme_color` for every page's `<meta name="theme-color">`."""
    return {"theme_color": THEME_COLOR}


@bp.get("/favicon.ico")
def favicon() -> Response:
    """The icon browsers ask for at the root; the built site serves its own copy first."""
    return send_from_directory(IMAGES, "favicon.ico", mimetype="image/vnd.microsoft.icon",
                               max_age=current_app.get_send_file_max_age("favicon.ico"))


@bp.get("/portal/manifest.webmanifest")
def manifest() -> Response:
    """The web app manifest: the portal installs to a home screen and opens on the dashboard."""
    body = {
        "name": "Statex portal",
        "short_name": "Statex",
        "description": "Your requests to Statex, their results and our messages.",
        "id": url_for("submissions.dashboard"),
        "start_url": url_for("submissions.dashboard"),
        "scope": url_for("submissions.dashboard"),
        "display": "standalone",
        "theme_color": THEME_COLOR,
        "background_color": BACKGROUND_COLOR,
        "icons": [{"src": url_for("theme.static", filename=f"images/{name}"), "sizes": sizes,
                   "type": "image/png", "purpose": purpose} for name, sizes, purpose in ICONS],
    }
    return Response(json.dumps(body), mimetype="application/manifest+json")

"""The site theme's shared stylesheets and icons, served to the portal so both look like one product."""

from flask import Blueprint, Response, current_app, json, render_template, request, send_from_directory, url_for
from flask_babel import get_locale
from markupsafe import Markup

from statex.config import ROOT

IMAGES = ROOT / "themes" / "statex" / "static" / "images"
# The site's colours (tokens.css): the brand blue for the browser's bars, white behind the splash.
THEME_COLOR = "#2b4acb"
BACKGROUND_COLOR = "#ffffff"
ICONS = [("icon-192.png", "192x192", "any"), ("icon-512.png", "512x512", "any"),
         ("icon-maskable-512.png", "512x512", "maskable")]
# A bound on the parts kept (a part for each language and mount point): a proxy's prefix could vary without end.
CHROME_KEPT_AT_MOST = 64

bp = Blueprint("theme", __name__, static_folder=str(ROOT / "themes" / "statex" / "static"),
               static_url_path="/portal/theme")


@bp.app_context_processor
def theme_colors() -> dict[str, str]:
    """`theme_color` for every page's `<meta name="theme-color">`."""
    return {"theme_color": THEME_COLOR}


@bp.app_template_global()
def chrome(name: str) -> Markup:
    """A part of every page that shows nothing of who asks or what they asked (the stylesheets, icons and
    scripts in its head, the site's footer), only the page's language and where the portal is mounted:
    rendered once for each of those and kept by the app, instead of on every page. Rendered each time
    where templates reload (development with `TEMPLATES_AUTO_RELOAD`)."""
    kept = current_app.extensions.setdefault("statex.chrome", {})
    key = (name, str(get_locale()), request.script_root)
    part = kept.get(key)
    if part is None:
        part = Markup(render_template(name))
        if len(kept) < CHROME_KEPT_AT_MOST and not current_app.jinja_env.auto_reload:
            kept[key] = part
    return part


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

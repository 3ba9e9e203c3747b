"""The site theme's shared stylesheets, served to the portal so both look like one product."""

from flask import Blueprint

from statex.config import ROOT

bp = Blueprint("theme", __name__, static_folder=str(ROOT / "themes" / "statex" / "static"),
               static_url_path="/portal/theme")

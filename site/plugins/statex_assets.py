"""Theme assets: copies the theme's static files, bundles the CSS, fingerprints names in production."""

import hashlib
from pathlib import Path

from pelican import signals

# One stylesheet request per page; tokens.css and base.css stay separate in the theme for the portal.
BUNDLES = {"css/statex.css": ["css/tokens.css", "css/base.css", "css/site.css"]}
# Files browsers ask for at a fixed address, published there too (under their own name, never hashed).
ROOT_FILES = {"favicon.ico": "images/favicon.ico"}


class Assets:
    """The theme's static files as published: name in the theme -> bytes and output name."""

    def __init__(self, settings):
        self.static = Path(settings["THEME"]) / "static"
        self.fingerprint = settings.get("FINGERPRINT_ASSETS", False)
        self.siteurl = settings["SITEURL"]
        self._files = None
        self._urls = {}

    def files(self):
        """Return {name: bytes} for every published asset, read once."""
        if self._files is None:
            bundled = {part for parts in BUNDLES.values() for part in parts}
            files = {
                name: b"\n".join((self.static / part).read_bytes() for part in parts)
                for name, parts in BUNDLES.items()
            }
            for path in sorted(self.static.rglob("*")):
                name = path.relative_to(self.static).as_posix()
                if path.is_file() and name not in bundled:
                    files[name] = path.read_bytes()
            self._files = files
        return self._files

    def output_name(self, name):
        """Return where an asset is written, e.g. theme/css/statex.1a2b3c4d5e.css in production."""
        if not self.fingerprint:
            return f"theme/{name}"
        stem, _, ext = name.rpartition(".")
        digest = hashlib.sha256(self.files()[name]).hexdigest()[:10]
        return f"theme/{stem}.{digest}.{ext}"

    def url(self, name):
        """Return the URL templates use for an asset, hashed once per build, not once per page."""
        if name not in self._urls:
            self._urls[name] = f"{self.siteurl}/{self.output_name(name)}"
        return self._urls[name]

    def write(self, output_path):
        """Write every asset into the output folder."""
        for name, data in self.files().items():
            target = Path(output_path) / self.output_name(name)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        for root_name, name in ROOT_FILES.items():
            (Path(output_path) / root_name).write_bytes(self.files()[name])


def get_generators(pelican):
    """Give this run's templates a fresh `asset()` (the CSS may have changed since the last run)."""
    assets = Assets(pelican.settings)
    pelican.settings["JINJA_GLOBALS"] = {**pelican.settings["JINJA_GLOBALS"], "asset": assets.url}
    pelican.settings["STATEX_ASSETS"] = assets
    return []


def finalized(pelican):
    """Write the assets once everything else is written."""
    pelican.settings["STATEX_ASSETS"].write(pelican.output_path)


def register():
    """Connect to Pelican's signals."""
    signals.get_generators.connect(get_generators)
    signals.finalized.connect(finalized)

"""The templates' url_for: a relative URL is built once, then reused.

A page builds some twenty URLs (its stylesheets and scripts, the header's links, the filters of a
list), the same ones on every request. Flask builds each anew, from the app's URL map and the
request's root path; those are all it depends on for an endpoint named in full with plain arguments,
so that URL is kept, per app, by root path, endpoint and arguments. Anything else (an endpoint
relative to the blueprint, `_external` and the other options, an argument that cannot be a key) is
Flask's to build each time.
"""

from __future__ import annotations

from flask import Flask, has_request_context, request, url_for

# A bound on what is kept: a search box's words reach the filters' links, and are not worth keeping all.
KEPT_AT_MOST = 4096
# url_for's own options (Flask's url_for takes them before the endpoint's values).
OPTIONS = frozenset(("_anchor", "_method", "_scheme", "_external"))


def init_app(app: Flask) -> None:
    kept: dict[tuple, str] = {}

    def page_url_for(endpoint: str, **values) -> str:
        if endpoint.startswith(".") or not has_request_context() or not OPTIONS.isdisjoint(values):
            return url_for(endpoint, **values)
        key = (request.script_root, endpoint, *sorted(values.items()))
        try:
            url = kept.get(key)
        except TypeError:  # an argument that can be no key (a list of values)
            return url_for(endpoint, **values)
        if url is None:
            url = url_for(endpoint, **values)
            if len(kept) < KEPT_AT_MOST:
                kept[key] = url
        return url

    app.jinja_env.globals["url_for"] = page_url_for

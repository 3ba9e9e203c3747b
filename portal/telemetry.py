"""Request ids, request metrics, /metrics, and tracing for the web process."""

from __future__ import annotations

import hmac
import time

from flask import Blueprint, Flask, Response, current_app, g, request
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client import multiprocess

from statex.metrics import StateCollector
from statex.telemetry import init_tracing, new_request_id, request_id

bp = Blueprint("telemetry", __name__)

REQUESTS = Counter("statex_http_requests_total", "HTTP requests by route, method and status.",
                   ["route", "method", "status"])
LATENCY = Histogram("statex_http_request_duration_seconds", "Time to answer an HTTP request.",
                    ["route", "method"], buckets=(.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10))


@bp.get("/metrics")
def metrics():
    """Prometheus exposition, for the bearer of METRICS_TOKEN; gunicorn's workers are summed."""
    if not _is_prometheus():
        return Response("Send Authorization: Bearer <METRICS_TOKEN>.\n", 401, {"WWW-Authenticate": "Bearer"},
                        mimetype="text/plain")
    if current_app.config["STATEX"].metrics_dir:
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
    else:
        registry = CollectorRegistry()
        for collector in (REQUESTS, LATENCY):
            registry.register(collector)
    registry.register(StateCollector(current_app.config["STATEX"]))
    return Response(generate_latest(registry), mimetype=CONTENT_TYPE_LATEST)


def _is_prometheus() -> bool:
    """Whether the request carries the metrics token (compared in constant time)."""
    expected = current_app.config["STATEX"].metrics_token
    scheme, _, given = request.headers.get("Authorization", "").partition(" ")
    return bool(expected) and scheme.lower() == "bearer" and hmac.compare_digest(given.strip().encode(),
                                                                                 expected.encode())


def _start() -> None:
    g.started = time.perf_counter()
    g.request_id = new_request_id(request.headers.get("X-Request-ID"))
    g.request_id_token = request_id.set(g.request_id)


def _finish(response: Response) -> Response:
    route = request.url_rule.rule if request.url_rule else "unmatched"
    if "started" in g:
        LATENCY.labels(route, request.method).observe(time.perf_counter() - g.started)
    REQUESTS.labels(route, request.method, str(response.status_code)).inc()
    response.headers["X-Request-ID"] = g.get("request_id", "")
    return response


def _forget(_error=None) -> None:
    token = g.pop("request_id_token", None)
    if token is not None:
        request_id.reset(token)


def init_app(app: Flask) -> None:
    app.before_request(_start)
    app.after_request(_finish)
    app.teardown_request(_forget)
    app.register_blueprint(bp)
    if init_tracing("statex-web", app.config["STATEX"].otel_endpoint):
        from opentelemetry.instrumentation.flask import FlaskInstrumentor

        FlaskInstrumentor().instrument_app(app)


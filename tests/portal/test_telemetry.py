"""Metrics, request ids that follow the work into jobs, JSON logs and optional tracing."""

from __future__ import annotations

import io
import json
import logging
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from rq.job import Job
from sqlalchemy import select

from statex.models import QueuedJob
from statex.queue import connect
from statex.config import load_settings
from statex.telemetry import configure_logging, request_id


def test_metrics_count_requests_and_show_the_state(client, make_user, make_token, settings):
    email, _p, _i = make_user()
    headers = {"Authorization": f"Bearer {make_token(email)}"}
    client.post("/api/v1/submissions", json={"description": "A chatbot for our shop, please."}, headers=headers)
    text = client.get("/metrics", headers={"Authorization": f"Bearer {settings.metrics_token}"}).get_data(as_text=True)
    assert 'statex_http_requests_total{method="POST",route="/api/v1/submissions",status="201"}' in text
    assert "statex_http_request_duration_seconds_bucket" in text
    assert 'statex_submissions{status="received"} 1.0' in text
    assert 'statex_queue_jobs{queue="ai",state="queued"}' in text
    assert 'statex_offers{state="draft"} 0.0' in text and 'statex_offers{state="accepted"} 0.0' in text


def test_metrics_count_offers_by_state(client, make_user, settings):
    from tests.offers_helpers import drafted_offer

    email, _p, _i = make_user()
    drafted_offer(settings, email)
    text = client.get("/metrics", headers={"Authorization": f"Bearer {settings.metrics_token}"}).get_data(as_text=True)
    assert 'statex_offers{state="draft"} 1.0' in text


def test_metrics_answer_only_the_bearer_of_the_metrics_token(client, settings):
    assert client.get("/metrics").status_code == 401
    assert client.get("/metrics", headers={"Authorization": "Bearer not-the-token"}).status_code == 401
    assert client.get("/metrics", headers={"Authorization": f"Basic {settings.metrics_token}"}).status_code == 401
    refused = client.get("/metrics").get_data(as_text=True)
    assert "statex_" not in refused and "/portal/staff" not in refused
    allowed = client.get("/metrics", headers={"Authorization": f"Bearer {settings.metrics_token}"})
    assert allowed.status_code == 200 and "statex_http_requests_total" in allowed.get_data(as_text=True)


def test_request_id_is_echoed_and_travels_into_the_queued_job(client, make_user, make_token, settings, db):
    email, _p, _i = make_user()
    headers = {"Authorization": f"Bearer {make_token(email)}", "X-Request-ID": "req-abcdef123456"}
    response = client.post("/api/v1/submissions", json={"description": "Read our invoices."}, headers=headers)
    assert response.headers["X-Request-ID"] == "req-abcdef123456"
    job = db.scalar(select(QueuedJob))
    assert job.request_id == "req-abcdef123456"
    assert Job.fetch(str(job.id), connection=connect(settings.redis_url)).meta["request_id"] == "req-abcdef123456"


def test_malformed_request_id_is_replaced(client):
    response = client.get("/healthz", headers={"X-Request-ID": "<script>"})
    assert response.headers["X-Request-ID"] != "<script>" and len(response.headers["X-Request-ID"]) == 32


def test_json_logs_are_one_object_per_line_with_the_request_id():
    configure_logging("statex-test", "json")
    stream = io.StringIO()
    logging.getLogger().handlers[0].setStream(stream)
    token = request_id.set("req-1234567890")
    try:
        logging.getLogger("statex.test").warning("something happened")
    finally:
        request_id.reset(token)
    line = json.loads(stream.getvalue().strip().splitlines()[-1])
    assert line["message"] == "something happened" and line["request_id"] == "req-1234567890"
    assert line["level"] == "WARNING" and line["service"] == "statex-test"


class Collector(ThreadingHTTPServer):
    """An OTLP/HTTP receiver on loopback that keeps the paths it was sent to."""

    def __init__(self):
        super().__init__(("127.0.0.1", 0), CollectorHandler)
        self.paths: list[str] = []
        self.received = threading.Event()


class CollectorHandler(BaseHTTPRequestHandler):
    def do_POST(self):  # noqa: N802
        self.rfile.read(int(self.headers["Content-Length"]))
        self.server.paths.append(self.path)
        self.server.received.set()
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


def test_tracing_exports_spans_when_an_endpoint_is_set(monkeypatch):
    from opentelemetry import trace

    from portal import create_app

    collector = Collector()
    threading.Thread(target=collector.serve_forever, daemon=True).start()
    monkeypatch.setenv("OTEL_EXPORTER_OTLP_ENDPOINT", f"http://127.0.0.1:{collector.server_address[1]}")
    app = create_app(settings=load_settings())
    app.test_client().get("/healthz")
    trace.get_tracer_provider().force_flush()
    assert collector.received.wait(10)
    assert collector.paths == ["/v1/traces"]
    trace.get_tracer_provider().shutdown()
    collector.shutdown()

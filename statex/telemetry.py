"""Logs as one JSON object per line, a request id that follows the work, and optional tracing."""

from __future__ import annotations

import logging
import re
import sys
import uuid
from contextvars import ContextVar

from pythonjsonlogger.json import JsonFormatter

request_id: ContextVar[str] = ContextVar("request_id", default="")
_VALID_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


def new_request_id(offered: str | None = None) -> str:
    """Keep a well-formed id offered by a proxy (X-Request-ID); otherwise make one."""
    return offered if offered and _VALID_ID.match(offered) else uuid.uuid4().hex


class RequestIdFilter(logging.Filter):
    """Stamp every record with the request id of the work it belongs to."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id.get() or "-"
        return True


class OnlyThese(logging.Filter):
    """Below WARNING, pass only the records whose message template is one of `kept`: a library's chatter out."""

    def __init__(self, kept: set[str]):
        super().__init__()
        self.kept = frozenset(kept)

    def filter(self, record: logging.LogRecord) -> bool:
        return record.levelno >= logging.WARNING or record.msg in self.kept


def keep_only(logger: str, *templates: str) -> None:
    """Let `logger` say below WARNING only the lines with these message templates (its own, as it writes them)."""
    target = logging.getLogger(logger)
    target.filters[:] = [f for f in target.filters if not isinstance(f, OnlyThese)]
    target.addFilter(OnlyThese(set(templates)))


def configure_logging(service: str, log_format: str = "text", level: str = "INFO") -> None:
    """Log to stderr: JSON lines (Settings.log_format "json", the default in production) or plain text."""
    json_lines = log_format == "json"
    handler = logging.StreamHandler(sys.stderr)
    handler.addFilter(RequestIdFilter())
    if json_lines:
        handler.setFormatter(JsonFormatter(
            "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s",
            rename_fields={"asctime": "time", "levelname": "level", "name": "logger"},
            static_fields={"service": service}))
    else:
        handler.setFormatter(logging.Formatter(
            "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)


def init_tracing(service: str, endpoint: str | None) -> bool:
    """OpenTelemetry tracing to `endpoint` (Settings.otel_endpoint, OTLP over HTTP), when it is set; off otherwise."""
    if not endpoint:
        return False
    from opentelemetry import trace
    from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
    from opentelemetry.sdk.resources import Resource
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import BatchSpanProcessor

    if isinstance(trace.get_tracer_provider(), TracerProvider):
        return True
    provider = TracerProvider(resource=Resource.create({"service.name": service}))
    # As OTEL_EXPORTER_OTLP_ENDPOINT means it: the base, under which traces go to /v1/traces.
    provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter(endpoint=f"{endpoint}/v1/traces")))
    trace.set_tracer_provider(provider)
    return True

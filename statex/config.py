"""Configuration read from the environment, with the development defaults in one place."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ENVIRONMENTS = ("development", "test", "production")
ANALYSERS = ("local", "openai")
OCR_ENGINES = ("auto", "tesseract", "rapidocr")
LOG_FORMATS = ("json", "text")
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
# argon2.profiles by name: test runs hash hundreds of passwords, so there the cheapest parameters.
PASSWORD_HASHING = {"test": "CHEAPEST"}
STRONG_HASHING = "RFC_9106_LOW_MEMORY"
WHISPER_CACHE_DIR = ROOT / "var" / "models"  # the default; STATEX_VAR_DIR moves it along
# The seller on offers (content/pages/contact.md says the same); COMPANY_DETAILS overrides, lines split by "|".
COMPANY = ("Statex s.r.o.", "Karlovo náměstí 10, 120 00 Praha 2, Czech Republic",
           "Company ID 12345678", "hello@statex.example")


class ConfigError(RuntimeError):
    """The environment asks for something Statex cannot run with."""


@dataclass(frozen=True)
class Settings:
    """Everything a process needs to reach its database, queues, storage and peers."""

    env: str
    var_dir: Path
    database_url: str
    redis_url: str
    embedded_redis: bool
    storage_dir: Path
    s3_bucket: str | None
    s3_endpoint_url: str | None
    secret_key: str
    site_url: str
    portal_url: str
    site_dir: Path
    port: int
    smtp_url: str | None = None
    mail_from: str = "Statex <noreply@localhost>"
    notify_urls: tuple[str, ...] = ()
    telegram_bot_token: str | None = None
    metrics_token: str | None = None
    extra: dict = field(default_factory=dict)
    upload_max_files: int = 10
    upload_max_file_mb: int = 25
    upload_max_total_mb: int = 100
    upload_max_audio_seconds: int = 600
    upload_max_text_chars: int = 20_000
    analyser: str = "local"
    llm_base_url: str | None = None
    llm_model: str | None = None
    llm_api_key: str | None = None
    llm_timeout: float = 30.0
    content_dir: Path = ROOT / "content"
    cache_dir: Path | None = None
    ocr_engine: str = "auto"
    transcribe_url: str | None = None
    transcribe_model: str = "whisper-1"
    transcribe_api_key: str | None = None
    transcribe_timeout: float = 300.0
    whisper_model: str = "base"
    whisper_cache_dir: Path = WHISPER_CACHE_DIR
    job_retry_intervals: tuple[int, ...] = (5, 30, 120)
    worker_heartbeat: int = 30
    reconcile_interval: float = 60.0
    trusted_proxies: int = 0
    # Address space (MB) that reading one file may add to a worker; 0: no limit (EXTRACT_*MEMORY_MB).
    extract_memory_mb: int = 1024
    extract_audio_memory_mb: int = 0
    password_hashing: str = STRONG_HASHING
    log_format: str = "text"
    log_level: str = "INFO"
    otel_endpoint: str | None = None
    # Proxies whose X-Forwarded-* headers gunicorn trusts; the metrics files its workers share.
    forwarded_allow_ips: str = "127.0.0.1"
    metrics_dir: Path | None = None
    # Offers (OFFER_*): VAT in percent, days a sent offer stands, CZK per EUR for catalogue prices, the seller.
    offer_vat_rate: Decimal = Decimal("21")
    offer_valid_days: int = 30
    offer_czk_per_eur: Decimal = Decimal("25")
    company_details: tuple[str, ...] = COMPANY
    # The first-reply promise (statex.conversation.service_level): the company's calendar.
    service_timezone: str = "Europe/Prague"
    extra_holidays: tuple = ()
    first_reply_days: int = 2
    due_warning_hours: int = 4
    # Replies by email (statex.mail_in): where `statex mail-in` listens, the domain of the Reply-To
    # addresses, a mailbox to poll instead, and how long a Reply-To address works.
    mail_in_port: int = 2525
    mail_in_domain: str = "localhost"
    mail_in_imap_url: str | None = None
    mail_in_token_days: int = 90

    @property
    def production(self) -> bool:
        return self.env == "production"

    @property
    def uses_s3(self) -> bool:
        return bool(self.s3_bucket)


def load_settings(environ: dict | None = None) -> Settings:
    """Build settings from `environ` (default: os.environ); refuse embedded defaults in production."""
    env = dict(os.environ if environ is None else environ)
    mode = env.get("STATEX_ENV", "development")
    if mode not in ENVIRONMENTS:
        raise ConfigError(f"STATEX_ENV must be one of {', '.join(ENVIRONMENTS)}, not {mode!r}.")
    if mode == "production":
        _require_production_settings(env)

    var_dir = Path(env.get("STATEX_VAR_DIR", ROOT / "var")).resolve()
    redis_url = env.get("REDIS_URL") or f"unix://{var_dir / 'redis.sock'}"
    site_url = env.get("SITE_URL", f"http://127.0.0.1:{env.get('PORT', '8000')}").rstrip("/")
    return Settings(
        env=mode,
        var_dir=var_dir,
        database_url=env.get("DATABASE_URL") or f"sqlite:///{var_dir / 'statex.db'}",
        redis_url=redis_url,
        embedded_redis=not env.get("REDIS_URL"),
        storage_dir=Path(env.get("STORAGE_DIR", var_dir / "storage")),
        cache_dir=Path(env.get("CACHE_DIR") or var_dir / "cache").resolve(),
        s3_bucket=env.get("S3_BUCKET") or None,
        s3_endpoint_url=env.get("S3_ENDPOINT_URL") or None,
        secret_key=env.get("SECRET_KEY") or _development_secret(var_dir, "secret_key"),
        site_url=site_url,
        portal_url=env.get("PORTAL_URL", f"{site_url}/portal").rstrip("/"),
        site_dir=Path(env.get("SITE_OUTPUT_DIR", ROOT / "var" / "site")).resolve(),
        port=int(env.get("PORT", "8000")),
        smtp_url=env.get("SMTP_URL") or None,
        mail_from=env.get("MAIL_FROM") or "Statex <noreply@localhost>",
        notify_urls=tuple(env.get("NOTIFY_URLS", "").replace(",", " ").split()),
        telegram_bot_token=env.get("TELEGRAM_BOT_TOKEN") or None,
        metrics_token=env.get("METRICS_TOKEN") or _development_secret(var_dir, "metrics_token"),
        job_retry_intervals=_retry_intervals(env),
        worker_heartbeat=_positive_int(env, "WORKER_HEARTBEAT", 30),
        reconcile_interval=float(_positive_int(env, "RECONCILE_INTERVAL", 60)),
        trusted_proxies=_trusted_proxies(env),
        password_hashing=PASSWORD_HASHING.get(mode, STRONG_HASHING),
        forwarded_allow_ips=env.get("FORWARDED_ALLOW_IPS") or "127.0.0.1",
        metrics_dir=Path(env["PROMETHEUS_MULTIPROC_DIR"]) if env.get("PROMETHEUS_MULTIPROC_DIR") else None,
        **_telemetry_settings(env, mode),
        **_upload_limits(env),
        **_analysis_settings(env),
        **_extraction_settings(env),
        **_extraction_memory(env),
        **_speech_settings(env, var_dir),
        **_offer_settings(env),
        **_service_level(env),
        **_mail_in_settings(env),
    )


def _offer_settings(env: dict) -> dict:
    """OFFER_VAT_RATE (percent), OFFER_VALID_DAYS, OFFER_CZK_PER_EUR and COMPANY_DETAILS."""
    values: dict = {}
    for name, high in (("OFFER_VAT_RATE", Decimal("100")), ("OFFER_CZK_PER_EUR", Decimal("1000"))):
        if env.get(name):
            try:
                values[name.lower()] = Decimal(env[name])
            except InvalidOperation:
                raise ConfigError(f"{name} must be a number, e.g. 21, not {env[name]!r}.") from None
            if not Decimal("0") <= values[name.lower()] <= high:
                raise ConfigError(f"{name} must be from 0 to {high}.")
    days = env.get("OFFER_VALID_DAYS")
    if days:
        if not days.isdigit() or int(days) < 1:
            raise ConfigError(f"OFFER_VALID_DAYS must be a whole number of days, 1 or more, not {days!r}.")
        values["offer_valid_days"] = int(days)
    if env.get("COMPANY_DETAILS"):
        values["company_details"] = tuple(p.strip() for p in env["COMPANY_DETAILS"].split("|") if p.strip())
    return values


def _service_level(env: dict) -> dict:
    """SERVICE_TIMEZONE, EXTRA_HOLIDAYS (ISO dates, comma or space separated), FIRST_REPLY_DAYS, DUE_WARNING_HOURS."""
    from datetime import date
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    zone = env.get("SERVICE_TIMEZONE") or "Europe/Prague"
    try:
        ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise ConfigError(f"SERVICE_TIMEZONE must be a time zone such as Europe/Prague, not {zone!r}.") from error
    days = []
    for word in env.get("EXTRA_HOLIDAYS", "").replace(",", " ").split():
        try:
            days.append(date.fromisoformat(word))
        except ValueError as error:
            raise ConfigError(f"EXTRA_HOLIDAYS takes dates like 2026-12-31, not {word!r}.") from error
    return {"service_timezone": zone, "extra_holidays": tuple(sorted(days)),
            "first_reply_days": _positive_int(env, "FIRST_REPLY_DAYS", 2),
            "due_warning_hours": _positive_int(env, "DUE_WARNING_HOURS", 4)}


def _positive_int(env: dict, name: str, default: int) -> int:
    try:
        value = int(env.get(name) or default)
    except ValueError:
        raise ConfigError(f"{name} must be a whole number of seconds, not {env[name]!r}.") from None
    if value < 1:
        raise ConfigError(f"{name} must be 1 or more.")
    return value


def _trusted_proxies(env: dict) -> int:
    """How many proxies in front of the web process add to X-Forwarded-For (TRUSTED_PROXIES, 0 to 5)."""
    raw = env.get("TRUSTED_PROXIES") or "0"
    if not raw.isdigit() or int(raw) > 5:
        raise ConfigError(f"TRUSTED_PROXIES must be a whole number from 0 to 5 (the proxies in front of "
                          f"statex web, e.g. 1 behind nginx or the ingress), not {raw!r}.")
    return int(raw)


def _telemetry_settings(env: dict, mode: str) -> dict:
    """LOG_FORMAT (json by default in production), LOG_LEVEL and OTEL_EXPORTER_OTLP_ENDPOINT for tracing."""
    log_format = env.get("LOG_FORMAT") or ("json" if mode == "production" else "text")
    if log_format not in LOG_FORMATS:
        raise ConfigError(f"LOG_FORMAT must be one of {', '.join(LOG_FORMATS)}, not {log_format!r}.")
    level = (env.get("LOG_LEVEL") or "INFO").upper()
    if level not in LOG_LEVELS:
        raise ConfigError(f"LOG_LEVEL must be one of {', '.join(LOG_LEVELS)}, not {env['LOG_LEVEL']!r}.")
    return {"log_format": log_format, "log_level": level,
            "otel_endpoint": (env.get("OTEL_EXPORTER_OTLP_ENDPOINT") or "").rstrip("/") or None}


def _retry_intervals(env: dict) -> tuple[int, ...]:
    """Seconds between a failed job's retries (JOB_RETRY_INTERVALS, e.g. "5,30,120")."""
    raw = env.get("JOB_RETRY_INTERVALS") or "5,30,120"
    try:
        intervals = tuple(int(part) for part in raw.split(","))
    except ValueError:
        raise ConfigError(f"JOB_RETRY_INTERVALS must be whole seconds separated by commas, not {raw!r}.") from None
    if not intervals or min(intervals) < 0:
        raise ConfigError("JOB_RETRY_INTERVALS needs at least one interval, none negative.")
    return intervals


def _upload_limits(env: dict) -> dict:
    """Upload limits (UPLOAD_MAX_*): whole positive numbers, defaults as on Settings."""
    limits = {}
    for name in ("files", "file_mb", "total_mb", "audio_seconds", "text_chars"):
        variable = f"UPLOAD_MAX_{name.upper()}"
        if env.get(variable):
            try:
                limits[f"upload_max_{name}"] = int(env[variable])
            except ValueError:
                raise ConfigError(f"{variable} must be a whole number, not {env[variable]!r}.") from None
            if limits[f"upload_max_{name}"] < 1:
                raise ConfigError(f"{variable} must be 1 or more.")
    return limits


def _analysis_settings(env: dict) -> dict:
    """The analyser (ANALYSER, LLM_*: openai when LLM_BASE_URL is set) and the catalogue's CONTENT_DIR."""
    base_url = (env.get("LLM_BASE_URL") or "").rstrip("/") or None
    analyser = env.get("ANALYSER") or ("openai" if base_url else "local")
    if analyser not in ANALYSERS:
        raise ConfigError(f"ANALYSER must be one of {', '.join(ANALYSERS)}, not {analyser!r}.")
    if analyser == "openai" and not (base_url and env.get("LLM_MODEL")):
        raise ConfigError("ANALYSER=openai needs LLM_BASE_URL (e.g. https://api.openai.com/v1) and LLM_MODEL.")
    try:
        timeout = float(env.get("LLM_TIMEOUT") or 30)
    except ValueError:
        raise ConfigError(f"LLM_TIMEOUT must be a number of seconds, not {env['LLM_TIMEOUT']!r}.") from None
    if timeout <= 0:
        raise ConfigError("LLM_TIMEOUT must be more than 0 seconds.")
    return {"analyser": analyser, "llm_base_url": base_url, "llm_model": env.get("LLM_MODEL") or None,
            "llm_api_key": env.get("LLM_API_KEY") or None, "llm_timeout": timeout,
            "content_dir": Path(env.get("CONTENT_DIR") or ROOT / "content").resolve()}


def _extraction_settings(env: dict) -> dict:
    """How attachments are read: OCR_ENGINE, and TRANSCRIBE_* for a Whisper endpoint instead of faster-whisper."""
    engine = env.get("OCR_ENGINE") or "auto"
    if engine not in OCR_ENGINES:
        raise ConfigError(f"OCR_ENGINE must be one of {', '.join(OCR_ENGINES)}, not {engine!r}.")
    try:
        timeout = float(env.get("TRANSCRIBE_TIMEOUT") or 300)
    except ValueError:
        raise ConfigError(f"TRANSCRIBE_TIMEOUT must be a number of seconds, not {env['TRANSCRIBE_TIMEOUT']!r}.") \
            from None
    if timeout <= 0:
        raise ConfigError("TRANSCRIBE_TIMEOUT must be more than 0 seconds.")
    return {"ocr_engine": engine, "transcribe_url": (env.get("TRANSCRIBE_URL") or "").rstrip("/") or None,
            "transcribe_model": env.get("TRANSCRIBE_MODEL") or "whisper-1",
            "transcribe_api_key": env.get("TRANSCRIBE_API_KEY") or None, "transcribe_timeout": timeout}


def _extraction_memory(env: dict) -> dict:
    """EXTRACT_MEMORY_MB for documents and images, EXTRACT_AUDIO_MEMORY_MB for recordings (0: no limit)."""
    limits = {}
    for name in ("EXTRACT_MEMORY_MB", "EXTRACT_AUDIO_MEMORY_MB"):
        if env.get(name):
            try:
                limits[name.lower()] = int(env[name])
            except ValueError:
                raise ConfigError(f"{name} must be a whole number of MB, not {env[name]!r}.") from None
            if limits[name.lower()] < 0:
                raise ConfigError(f"{name} must be 0 (no limit) or more.")
    return limits


def _speech_settings(env: dict, var_dir: Path) -> dict:
    """The offline recogniser: WHISPER_MODEL (a size or a directory) and where models are kept."""
    return {"whisper_model": env.get("WHISPER_MODEL") or "base",
            "whisper_cache_dir": Path(env.get("WHISPER_CACHE_DIR") or var_dir / "models").resolve()}


def _mail_in_settings(env: dict) -> dict:
    """MAIL_IN_PORT, MAIL_IN_DOMAIN (default: MAIL_FROM's domain), MAIL_IN_IMAP_URL, MAIL_IN_TOKEN_DAYS."""
    from email.utils import parseaddr

    port, days = env.get("MAIL_IN_PORT") or "2525", env.get("MAIL_IN_TOKEN_DAYS") or "90"
    if not port.isdigit() or not 0 < int(port) < 65536:
        raise ConfigError(f"MAIL_IN_PORT must be a port number from 1 to 65535, not {port!r}.")
    if not days.isdigit() or int(days) < 1:
        raise ConfigError(f"MAIL_IN_TOKEN_DAYS must be a whole number of days, 1 or more, not {days!r}.")
    sender_domain = parseaddr(env.get("MAIL_FROM") or "noreply@localhost")[1].rpartition("@")[2]
    domain = (env.get("MAIL_IN_DOMAIN") or sender_domain or "localhost").strip().lower()
    imap_url = env.get("MAIL_IN_IMAP_URL") or None
    if imap_url and not imap_url.startswith(("imap://", "imaps://")):
        raise ConfigError("MAIL_IN_IMAP_URL must look like imaps://user:password@host/INBOX (or imap://).")
    return {"mail_in_port": int(port), "mail_in_domain": domain, "mail_in_imap_url": imap_url,
            "mail_in_token_days": int(days)}


def _require_production_settings(env: dict) -> None:
    """In production every embedded default is a mistake: name each missing variable."""
    missing = [name for name in ("SECRET_KEY", "DATABASE_URL", "REDIS_URL", "S3_BUCKET", "SITE_URL", "SMTP_URL",
                                 "METRICS_TOKEN")
               if not env.get(name)]
    if missing:
        raise ConfigError(
            "STATEX_ENV=production needs " + ", ".join(missing)
            + " to be set; embedded defaults (SQLite, embedded Redis, local files, the development "
            "outbox instead of email, generated secrets) are for development only."
        )
    if env["DATABASE_URL"].startswith("sqlite"):
        raise ConfigError("STATEX_ENV=production needs PostgreSQL: DATABASE_URL points at SQLite.")
    if len(env["SECRET_KEY"]) < 32:
        raise ConfigError("SECRET_KEY must be at least 32 characters long in production.")


def _development_secret(var_dir: Path, name: str) -> str:
    """A random key kept in var/<name>, so sessions (and Prometheus' token) survive a restart of `make up`."""
    path = var_dir / name
    if path.exists():
        return path.read_text().strip()
    var_dir.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    path.write_text(key)
    path.chmod(0o600)
    return key

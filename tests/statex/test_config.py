"""Settings: development defaults, and production refusing them."""

import pytest

from statex.config import ConfigError, load_settings


def test_development_defaults_are_embedded(tmp_path):
    settings = load_settings({"STATEX_VAR_DIR": str(tmp_path)})
    assert settings.database_url == f"sqlite:///{tmp_path}/statex.db"
    assert settings.redis_url == f"unix://{tmp_path}/redis.sock"
    assert settings.embedded_redis and not settings.uses_s3
    assert settings.secret_key == load_settings({"STATEX_VAR_DIR": str(tmp_path)}).secret_key


def test_production_names_every_missing_setting():
    with pytest.raises(ConfigError) as error:
        load_settings({"STATEX_ENV": "production"})
    for name in ("SECRET_KEY", "DATABASE_URL", "REDIS_URL", "S3_BUCKET", "SITE_URL", "SMTP_URL", "METRICS_TOKEN"):
        assert name in str(error.value)


PRODUCTION = {"STATEX_ENV": "production", "SECRET_KEY": "k" * 40, "DATABASE_URL": "postgresql+psycopg://h/db",
              "REDIS_URL": "redis://r", "S3_BUCKET": "b", "SITE_URL": "https://statex.example",
              "SMTP_URL": "smtp://mail.example:587/?starttls=true", "METRICS_TOKEN": "m" * 40}


def test_production_loads_with_every_setting_given():
    assert load_settings(PRODUCTION).metrics_token == "m" * 40


@pytest.mark.parametrize("name", ["SMTP_URL", "METRICS_TOKEN"])
def test_production_refuses_to_start_without_a_mail_transport_or_a_metrics_token(name):
    """Without SMTP_URL email would fall back to the outbox; without METRICS_TOKEN /metrics would be open."""
    with pytest.raises(ConfigError, match=name):
        load_settings({key: value for key, value in PRODUCTION.items() if key != name})


def test_development_makes_a_metrics_token_once_and_keeps_it(tmp_path):
    token = load_settings({"STATEX_VAR_DIR": str(tmp_path)}).metrics_token
    assert len(token) >= 32 and (tmp_path / "metrics_token").read_text() == token
    assert load_settings({"STATEX_VAR_DIR": str(tmp_path)}).metrics_token == token


def test_production_refuses_sqlite():
    env = dict(PRODUCTION, DATABASE_URL="sqlite:///x.db")
    with pytest.raises(ConfigError, match="PostgreSQL"):
        load_settings(env)


def test_unknown_environment_is_refused():
    with pytest.raises(ConfigError, match="STATEX_ENV"):
        load_settings({"STATEX_ENV": "staging"})


def test_trusted_proxies_default_to_none_and_refuse_what_is_not_a_small_count():
    assert load_settings({}).trusted_proxies == 0
    assert load_settings({"TRUSTED_PROXIES": "1"}).trusted_proxies == 1
    for wrong in ("-1", "one", "6"):
        with pytest.raises(ConfigError, match="TRUSTED_PROXIES"):
            load_settings({"TRUSTED_PROXIES": wrong})


def test_the_speech_model_and_its_cache_follow_the_var_dir_unless_named(tmp_path):
    settings = load_settings({"STATEX_VAR_DIR": str(tmp_path)})
    assert (settings.whisper_model, settings.whisper_cache_dir) == ("base", tmp_path / "models")
    named = load_settings({"STATEX_VAR_DIR": str(tmp_path), "WHISPER_MODEL": "small",
                           "WHISPER_CACHE_DIR": str(tmp_path / "cache")})
    assert (named.whisper_model, named.whisper_cache_dir) == ("small", tmp_path / "cache")


def test_logs_are_json_lines_in_production_and_text_elsewhere_unless_told(tmp_path):
    assert load_settings(PRODUCTION).log_format == "json"
    assert load_settings({"STATEX_VAR_DIR": str(tmp_path)}).log_format == "text"
    told = load_settings({"STATEX_VAR_DIR": str(tmp_path), "LOG_FORMAT": "json", "LOG_LEVEL": "warning"})
    assert (told.log_format, told.log_level) == ("json", "WARNING")
    for name, wrong in (("LOG_FORMAT", "xml"), ("LOG_LEVEL", "LOUD")):
        with pytest.raises(ConfigError, match=name):
            load_settings({"STATEX_VAR_DIR": str(tmp_path), name: wrong})


def test_tracing_proxies_and_metrics_folder_come_from_the_environment(tmp_path):
    quiet = load_settings({"STATEX_VAR_DIR": str(tmp_path)})
    assert (quiet.otel_endpoint, quiet.forwarded_allow_ips, quiet.metrics_dir) == (None, "127.0.0.1", None)
    given = load_settings({"STATEX_VAR_DIR": str(tmp_path), "OTEL_EXPORTER_OTLP_ENDPOINT": "http://otel:4318/",
                           "FORWARDED_ALLOW_IPS": "10.0.0.1", "PROMETHEUS_MULTIPROC_DIR": str(tmp_path / "m")})
    assert (given.otel_endpoint, given.forwarded_allow_ips, given.metrics_dir) == (
        "http://otel:4318", "10.0.0.1", tmp_path / "m")


def test_passwords_are_hashed_cheaply_only_in_tests(tmp_path):
    assert load_settings({"STATEX_VAR_DIR": str(tmp_path), "STATEX_ENV": "test"}).password_hashing == "CHEAPEST"
    assert load_settings({"STATEX_VAR_DIR": str(tmp_path)}).password_hashing == "RFC_9106_LOW_MEMORY"
    assert load_settings(PRODUCTION).password_hashing == "RFC_9106_LOW_MEMORY"


def test_offer_settings_default_to_czech_vat_and_thirty_days_and_refuse_what_is_not_a_number(tmp_path):
    from decimal import Decimal

    base = {"STATEX_VAR_DIR": str(tmp_path)}
    settings = load_settings(base)
    assert (settings.offer_vat_rate, settings.offer_valid_days) == (Decimal("21"), 30)
    chosen = load_settings({**base, "OFFER_VAT_RATE": "12.5", "OFFER_VALID_DAYS": "14",
                            "COMPANY_DETAILS": "Acme s.r.o. | Brno"})
    assert (chosen.offer_vat_rate, chosen.offer_valid_days, chosen.company_details) == (
        Decimal("12.5"), 14, ("Acme s.r.o.", "Brno"))
    for name, value in (("OFFER_VAT_RATE", "lots"), ("OFFER_VAT_RATE", "150"), ("OFFER_VALID_DAYS", "0"),
                        ("OFFER_CZK_PER_EUR", "x")):
        with pytest.raises(ConfigError, match=name):
            load_settings({**base, name: value})


def test_replies_by_email_default_to_the_senders_domain_and_refuse_what_cannot_work(tmp_path):
    base = {"STATEX_VAR_DIR": str(tmp_path)}
    defaults = load_settings({**base, "MAIL_FROM": "Statex <hello@Statex.cz>"})
    assert (defaults.mail_in_port, defaults.mail_in_domain, defaults.mail_in_token_days) == (2525, "statex.cz", 90)
    assert defaults.mail_in_imap_url is None
    named = load_settings({**base, "MAIL_IN_DOMAIN": "replies.statex.cz", "MAIL_IN_PORT": "2600",
                           "MAIL_IN_TOKEN_DAYS": "30", "MAIL_IN_IMAP_URL": "imaps://u:p@imap.example.com/INBOX"})
    assert (named.mail_in_domain, named.mail_in_port, named.mail_in_token_days) == ("replies.statex.cz", 2600, 30)
    for name, wrong in (("MAIL_IN_PORT", "70000"), ("MAIL_IN_PORT", "smtp"), ("MAIL_IN_TOKEN_DAYS", "0"),
                        ("MAIL_IN_IMAP_URL", "pop3://host")):
        with pytest.raises(ConfigError, match=name):
            load_settings({**base, name: wrong})

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
    for name in ("SECRET_KEY", "DATABASE_URL", "REDIS_URL", "S3_BUCKET", "SITE_URL"):
        assert name in str(error.value)


def test_production_refuses_sqlite():
    env = {"STATEX_ENV": "production", "SECRET_KEY": "k" * 40, "DATABASE_URL": "sqlite:///x.db",
           "REDIS_URL": "redis://r", "S3_BUCKET": "b", "SITE_URL": "https://statex.example"}
    with pytest.raises(ConfigError, match="PostgreSQL"):
        load_settings(env)


def test_unknown_environment_is_refused():
    with pytest.raises(ConfigError, match="STATEX_ENV"):
        load_settings({"STATEX_ENV": "staging"})


def test_the_speech_model_and_its_cache_follow_the_var_dir_unless_named(tmp_path):
    settings = load_settings({"STATEX_VAR_DIR": str(tmp_path)})
    assert (settings.whisper_model, settings.whisper_cache_dir) == ("base", tmp_path / "models")
    named = load_settings({"STATEX_VAR_DIR": str(tmp_path), "WHISPER_MODEL": "small",
                           "WHISPER_CACHE_DIR": str(tmp_path / "cache")})
    assert (named.whisper_model, named.whisper_cache_dir) == ("small", tmp_path / "cache")

"""Helpers every command shares."""

from __future__ import annotations

import click

from statex import accounts
from statex.config import ConfigError, Settings, load_settings
from statex.telemetry import configure_logging


def settings_or_exit() -> Settings:
    """Settings from the environment, or a clear message and a non-zero exit; logs and hashing then follow them."""
    try:
        settings = load_settings()
    except ConfigError as error:
        raise click.ClickException(str(error)) from error
    configure_logging("statex", settings.log_format, settings.log_level)
    accounts.use_hashing(settings.password_hashing)
    return settings

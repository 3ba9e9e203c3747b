"""Helpers every command shares."""

from __future__ import annotations

import click

from statex.config import ConfigError, Settings, load_settings


def settings_or_exit() -> Settings:
    """Settings from the environment, or a clear message and a non-zero exit."""
    try:
        return load_settings()
    except ConfigError as error:
        raise click.ClickException(str(error)) from error

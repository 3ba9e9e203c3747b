"""The docker-compose stack: valid against the Compose specification, wired together, configured right.

The schema is the compose-spec JSON schema shipped in the `docker-compose` 1.29.2 package on PyPI
(compose/config/compose_spec.json), vendored in tests/deploy/schemas/.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml
from jsonschema import Draft201909Validator

from statex.config import load_settings
from tests.deploy.conftest import DEPLOY, ROOT, parse_statex_args

SCHEMA = Path(__file__).with_name("schemas") / "compose_spec.json"
STATEX_SERVICES = ("migrate", "web", "worker-ai", "worker-notifications", "scheduler", "mail-in")


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((DEPLOY / "docker-compose.yml").read_text())


def test_the_compose_file_is_valid_against_the_compose_specification(compose):
    validator = Draft201909Validator(json.loads(SCHEMA.read_text()),
                                     format_checker=Draft201909Validator.FORMAT_CHECKER)
    errors = [f"{e.json_path}: {e.message}" for e in validator.iter_errors(compose)]
    assert errors == []


def test_the_schema_catches_a_misspelt_key(compose):
    """Guards the check above: the vendored schema really rejects what Compose would reject."""
    broken = {**compose, "services": {**compose["services"], "web": {**compose["services"]["web"], "comand": []}}}
    validator = Draft201909Validator(json.loads(SCHEMA.read_text()))
    assert any("comand" in error.message for error in validator.iter_errors(broken))


def test_the_stack_has_every_part_of_the_platform(compose):
    assert {"postgres", "redis", "minio", "bucket", "nginx", *STATEX_SERVICES} <= set(compose["services"])


def test_every_service_has_an_image_and_a_health_check_or_runs_once(compose):
    for name, service in compose["services"].items():
        assert "image" in service or "build" in service, name
        once = service.get("restart") == "no"
        health = service.get("healthcheck", {})
        if name == "scheduler":
            continue  # one retrying loop with nothing to probe; see the comment in the file
        assert once or ("test" in health and not health.get("disable")), f"{name} has no health check"


def test_depends_on_names_existing_services_with_conditions_that_fit_them(compose):
    services = compose["services"]
    for name, service in services.items():
        for target, rule in service.get("depends_on", {}).items():
            assert target in services, f"{name} depends on unknown {target}"
            condition = rule["condition"]
            if condition == "service_healthy":
                assert "test" in services[target].get("healthcheck", {}), f"{target} has no health check"
            if condition == "service_completed_successfully":
                assert services[target].get("restart") == "no", f"{target} must run once"
    for name in STATEX_SERVICES[1:]:
        assert services[name]["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    assert services["migrate"]["depends_on"]["postgres"]["condition"] == "service_healthy"
    assert services["nginx"]["depends_on"]["web"]["condition"] == "service_healthy"


def test_statex_services_share_one_image_built_from_the_dockerfile(compose):
    services = compose["services"]
    build = services["migrate"]["build"]
    assert (DEPLOY / build["context"] / build["dockerfile"]).resolve() == DEPLOY / "Dockerfile"
    for name in STATEX_SERVICES:
        assert services[name]["image"] == services["migrate"]["image"], name
        assert services[name]["read_only"] is True and "/tmp" in services[name]["tmpfs"], name
    for name in STATEX_SERVICES:
        parse_statex_args(services[name]["command"])
    assert services["worker-ai"]["command"] == ["worker", "ai"]
    assert services["worker-notifications"]["command"] == ["worker", "notifications"]
    assert services["migrate"]["command"] == ["db", "upgrade"]


def test_the_environment_passes_the_production_start_up_check(compose):
    environment = compose["services"]["web"]["environment"]
    resolved = {name: re.sub(r"\$\{\w+:-([^}]*)\}", r"\1", str(value)) for name, value in environment.items()}
    settings = load_settings(resolved)
    assert settings.production and settings.uses_s3
    assert settings.database_url.startswith("postgresql+psycopg://")
    assert settings.redis_url == "redis://redis:6379/0"


def test_environment_names_are_ones_statex_reads(compose):
    known = (ROOT / "README.md").read_text() + (ROOT / "statex" / "config.py").read_text()
    for name in STATEX_SERVICES:
        for variable in compose["services"][name]["environment"]:
            assert f"`{variable}`" in known or f'"{variable}"' in known, f"{variable} is not read by Statex"


def test_service_addresses_in_the_environment_are_services_of_the_stack(compose):
    environment = compose["services"]["web"]["environment"]
    hosts = {re.match(r"\w[\w+]*://(?:[^@/]*@)?([\w.-]+)", environment[name]).group(1)
             for name in ("DATABASE_URL", "REDIS_URL", "S3_ENDPOINT_URL", "SMTP_URL")}
    assert hosts <= set(compose["services"])


def test_the_worker_health_check_runs_the_probe_for_its_own_queue(compose):
    for queue in ("ai", "notifications"):
        test = compose["services"][f"worker-{queue}"]["healthcheck"]["test"]
        assert test == ["CMD", "python", "deploy/probes/worker_alive.py", queue]


def test_nginx_mounts_the_committed_config(compose):
    for volume in compose["services"]["nginx"]["volumes"]:
        source = volume.split(":")[0]
        assert (DEPLOY / source).is_file(), source

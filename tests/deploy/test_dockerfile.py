"""The production Dockerfile, read with a Dockerfile parser (no Docker engine runs here to build it)."""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
import sys

import pytest
from dockerfile_parse import DockerfileParser

from tests.conftest import free_port
from tests.deploy.conftest import DEPLOY, ROOT

BUILD_TOOLS = ("build-essential", "gcc", "g++", "make", "pkg-config")
TESSERACT = ("tesseract-ocr", "tesseract-ocr-eng", "tesseract-ocr-ces", "tesseract-ocr-deu", "tesseract-ocr-fra")


@pytest.fixture(scope="module")
def stages() -> list[list[dict]]:
    """The Dockerfile's instructions, one list per build stage (ARGs before the first FROM left out)."""
    parser = DockerfileParser(path=str(DEPLOY / "Dockerfile"))
    result: list[list[dict]] = []
    for instruction in parser.structure:
        if instruction["instruction"] == "FROM":
            result.append([])
        if result:
            result[-1].append(instruction)
    return result


def _values(stage: list[dict], name: str) -> list[str]:
    return [i["value"] for i in stage if i["instruction"] == name]


def _apt_packages(stage: list[dict]) -> set[str]:
    packages = set()
    for command in _values(stage, "RUN"):
        for part in re.findall(r"apt-get install ([^&]*)", command):
            packages |= {word for word in shlex.split(part.replace("\\", " ")) if not word.startswith("-")}
    return packages


def test_the_build_has_stages_and_the_runtime_is_slim_debian_python(stages):
    names = [_values(stage, "FROM")[0].split() for stage in stages]
    assert [n[-1] for n in names] == ["frontend", "builder", "runtime"]
    parser = DockerfileParser(path=str(DEPLOY / "Dockerfile"))
    assert re.fullmatch(r"python:3\.11-slim-\w+", parser.baseimage), parser.baseimage


def test_copies_between_stages_name_earlier_stages(stages):
    seen = []
    for stage in stages:
        for value in _values(stage, "COPY"):
            source = re.match(r"--from=(\S+)", value)
            if source:
                assert source.group(1) in seen, value
        seen.append(_values(stage, "FROM")[0].split()[-1])


def test_the_runtime_has_tesseract_with_its_languages_and_no_build_tools(stages):
    runtime = _apt_packages(stages[-1])
    assert set(TESSERACT) <= runtime
    assert "postgresql-client" in runtime, "`statex backup` needs pg_dump"
    assert not runtime & set(BUILD_TOOLS)
    assert set(BUILD_TOOLS) & _apt_packages(stages[1]), "the builder is where compilers belong"


def test_the_runtime_runs_as_a_non_root_user(stages):
    user = _values(stages[-1], "USER")[-1]
    uid = user.split(":")[0]
    assert uid.isdigit() and int(uid) != 0, "a numeric non-root uid lets Kubernetes check runAsNonRoot"
    assert any(f"--uid {uid}" in run for run in _values(stages[-1], "RUN"))


def test_entrypoint_is_statex_serving_the_web_by_default_with_a_healthcheck(stages):
    runtime = stages[-1]
    entrypoint = _values(runtime, "ENTRYPOINT")[-1]
    assert entrypoint.endswith('"statex"]')
    assert _values(runtime, "CMD")[-1] == '["web", "--host", "0.0.0.0"]'
    healthcheck = _values(runtime, "HEALTHCHECK")[-1]
    assert "/healthz" in healthcheck


def test_the_builder_builds_the_production_site_and_vendors_htmx_as_the_makefile_does(stages):
    builder = stages[1]
    assert any("statex site build --production" in run for run in _values(builder, "RUN"))
    makefile = (ROOT / "Makefile").read_text()
    vendor = re.search(r"cp (node_modules/\S+) \$@", makefile).group(1)
    assert any(vendor.removeprefix("node_modules/") in copy and "portal/static/vendor" in copy
               for copy in _values(builder, "COPY"))


def test_files_copied_from_the_context_exist_and_the_context_leaves_out_local_state(stages):
    for stage in stages:
        for value in _values(stage, "COPY"):
            if value.startswith("--from") or value.startswith(". "):
                continue
            for source in value.split()[:-1]:
                assert (ROOT / source).exists(), source
    ignored = (ROOT / ".dockerignore").read_text().split()
    for path in (".venv", "node_modules", "var", ".git", "portal/static/vendor"):
        assert path in ignored, path
    assert "deploy/k8s/overlays/*/secret.env" in ignored


def _healthcheck_command(stages) -> list[str]:
    healthcheck = _values(stages[-1], "HEALTHCHECK")[-1]
    return json.loads(healthcheck[healthcheck.index("CMD") + 3:].strip())


def test_the_healthcheck_command_passes_on_a_live_web_process_and_fails_without_one(stages, web_port):
    command = _healthcheck_command(stages)
    assert command[0] == "python"
    run = [sys.executable, *command[1:]]
    alive = subprocess.run(run, env=dict(os.environ, PORT=str(web_port)), capture_output=True, check=False)
    assert alive.returncode == 0, alive.stderr
    dead = subprocess.run(run, env=dict(os.environ, PORT=str(free_port())), capture_output=True, check=False)
    assert dead.returncode != 0

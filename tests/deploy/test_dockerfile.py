"""The production Dockerfile, read with a Dockerfile parser; `make image-check` runs the image it builds."""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
from dockerfile_parse import DockerfileParser

from tests.helpers import free_port
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


def test_the_runtime_has_the_libgl_that_opencv_under_the_bundled_ocr_engine_loads(stages):
    # rapidocr-onnxruntime needs opencv-python, whose cv2 module links libGL.so.1 (OCR_ENGINE=rapidocr).
    assert "libgl1" in _apt_packages(stages[-1])


def test_the_builder_leaves_the_virtualenv_alone_once_the_code_is_copied(stages):
    # Else every code change makes /opt/venv differ, and the runtime copies the whole of it again.
    builder = stages[1]
    code = next(n for n, i in enumerate(builder) if i["instruction"] == "COPY" and i["value"].startswith(". "))
    later = [i["value"] for i in builder[code:] if i["instruction"] == "RUN"]
    assert not [run for run in later if "pip install" in run], later


def test_the_runtime_runs_as_a_non_root_user(stages):
    user = _values(stages[-1], "USER")[-1]
    uid = user.split(":")[0]
    assert uid.isdigit() and int(uid) != 0, "a numeric non-root uid lets Kubernetes check runAsNonRoot"
    assert any(f"--uid {uid}" in run for run in _values(stages[-1], "RUN"))


def test_entrypoint_runs_statex_serving_the_web_by_default_with_a_healthcheck(stages):
    runtime = stages[-1]
    assert _entrypoint(stages)[:2] == ["tini", "--"]
    assert _values(runtime, "CMD")[-1] == '["web", "--host", "0.0.0.0"]'
    healthcheck = _values(runtime, "HEALTHCHECK")[-1]
    assert "/healthz" in healthcheck


def _entrypoint(stages) -> list[str]:
    return json.loads(_values(stages[-1], "ENTRYPOINT")[-1])


def _run_entrypoint(stages, *args: str, path: str, **env: str) -> subprocess.CompletedProcess:
    """The image's entrypoint after tini, its /app paths read from this checkout."""
    argv = [word.replace("/app/", f"{ROOT}/", 1) for word in _entrypoint(stages)[2:]]
    environment = {"PATH": path, "STATEX_ENV": "production", **env}
    return subprocess.run([*argv, *args], env=environment, capture_output=True, text=True, check=False)


def test_the_entrypoint_takes_a_statex_command_with_or_without_the_word_statex(stages):
    path = f"{Path(sys.executable).parent}:/usr/bin:/bin"
    for args in (["db", "--help"], ["statex", "db", "--help"]):
        result = _run_entrypoint(stages, *args, path=path)
        assert result.returncode == 0, result.stderr
        assert "upgrade" in result.stdout
    assert _run_entrypoint(stages, "sh", "-c", "echo a shell", path=path).stdout == "a shell\n"


def test_statex_up_from_the_image_runs_as_development_only_on_embedded_defaults(stages, tmp_path):
    # A `statex` that says which environment it was given, in place of the real one on PATH.
    (tmp_path / "statex").write_text('#!/bin/sh\necho "$STATEX_ENV $*"\n')
    (tmp_path / "statex").chmod(0o755)
    path = f"{tmp_path}:/usr/bin:/bin"
    assert _run_entrypoint(stages, "statex", "up", path=path).stdout == "development up\n"
    assert _run_entrypoint(stages, "up", "--port", "8001", path=path).stdout == "development up --port 8001\n"
    given = _run_entrypoint(stages, "up", path=path, DATABASE_URL="postgresql+psycopg://db/statex")
    assert given.stdout == "production up\n"
    assert _run_entrypoint(stages, "web", path=path).stdout == "production web\n"


def test_dependencies_are_installed_from_pyproject_alone_so_other_edits_keep_that_layer(stages):
    builder = stages[1]
    steps = [(i["instruction"], i["value"]) for i in builder]
    install = next(n for n, (kind, value) in enumerate(steps) if kind == "RUN" and "pip install -e" in value)
    copied = [value.split()[:-1] for kind, value in steps[:install] if kind == "COPY"]
    assert copied == [["pyproject.toml"]], copied
    assert "${EXTRAS:+[$EXTRAS]}" in steps[install][1], "the EXTRAS build argument picks extras"


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

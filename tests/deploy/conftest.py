"""Helpers for the deployment tests: where the files are, and the manifests kustomize renders."""

from __future__ import annotations

import shutil
import subprocess
import threading
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
K8S = DEPLOY / "k8s"
FINGERPRINTED = "/theme/css/statex.0123456789.css"


def render(kustomization: Path) -> list[dict]:
    """The documents `kubectl kustomize` renders for one kustomization folder."""
    kubectl = shutil.which("kubectl")
    if kubectl is None:
        pytest.skip("kubectl (with its built-in kustomize) is not installed")
    result = subprocess.run([kubectl, "kustomize", str(kustomization)], capture_output=True, text=True,
                            check=False)
    assert result.returncode == 0, result.stderr
    return [doc for doc in yaml.safe_load_all(result.stdout) if doc]


@pytest.fixture(scope="session")
def k8s_copy(tmp_path_factory) -> Path:
    """deploy/k8s copied aside, with the production secret.env made from its committed example."""
    copy = tmp_path_factory.mktemp("k8s") / "k8s"
    shutil.copytree(K8S, copy, ignore=shutil.ignore_patterns("secret.env"))
    overlay = copy / "overlays" / "production"
    shutil.copy(overlay / "secret.example.env", overlay / "secret.env")
    return copy


@pytest.fixture(scope="session")
def base_manifests(k8s_copy) -> list[dict]:
    return render(k8s_copy / "base")


@pytest.fixture(scope="session")
def production_manifests(k8s_copy) -> list[dict]:
    return render(k8s_copy / "overlays" / "production")


def by_kind(manifests: list[dict], kind: str) -> dict[str, dict]:
    """{name: document} of one kind."""
    return {doc["metadata"]["name"]: doc for doc in manifests if doc["kind"] == kind}


def pod_specs(manifests: list[dict]) -> dict[str, dict]:
    """{"Kind/name": pod spec} of every workload (Deployments, Jobs, CronJobs)."""
    specs = {}
    for doc in manifests:
        if doc["kind"] in ("Deployment", "Job"):
            specs[f"{doc['kind']}/{doc['metadata']['name']}"] = doc["spec"]["template"]["spec"]
        elif doc["kind"] == "CronJob":
            specs[f"CronJob/{doc['metadata']['name']}"] = doc["spec"]["jobTemplate"]["spec"]["template"]["spec"]
    return specs


def pod_labels(manifests: list[dict]) -> dict[str, dict]:
    """{"Kind/name": pod template labels} of every workload."""
    labels = {}
    for doc in manifests:
        if doc["kind"] in ("Deployment", "Job"):
            labels[f"{doc['kind']}/{doc['metadata']['name']}"] = doc["spec"]["template"]["metadata"]["labels"]
        elif doc["kind"] == "CronJob":
            template = doc["spec"]["jobTemplate"]["spec"]["template"]
            labels[f"CronJob/{doc['metadata']['name']}"] = template["metadata"]["labels"]
    return labels


def parse_statex_args(args: list[str]):
    """Parse `args` with the real `statex` command line (raises click.UsageError when it would fail)."""
    import click

    from cli import main

    command, rest, name = main, list(args), "statex"
    while isinstance(command, click.Group):
        name, rest = rest[0], rest[1:]
        command = command.get_command(click.Context(command), name)
        assert command is not None, f"statex has no command {name!r}"
    return command.make_context(name, rest)


@pytest.fixture
def web_port(tmp_path, monkeypatch) -> int:
    """Port of a real Statex web app on loopback, serving a small built site with a fingerprinted asset."""
    from werkzeug.serving import make_server

    from portal import create_app
    from statex.config import load_settings

    site = tmp_path / "site"
    (site / "theme" / "css").mkdir(parents=True)
    (site / "index.html").write_text("<!doctype html><title>Statex</title><h1>Statex</h1>")
    (site / FINGERPRINTED.lstrip("/")).write_text("body{margin:0}")
    (site / "theme" / "css" / "statex.css").write_text("body{margin:0}")
    monkeypatch.setenv("SITE_OUTPUT_DIR", str(site))
    server = make_server("127.0.0.1", 0, create_app(settings=load_settings()), threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server.server_port
    server.shutdown()

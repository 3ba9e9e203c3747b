"""The services image-check runs the image against, on loopback, and the containers it starts."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import boto3
import psycopg
import yaml
from moto.server import ThreadedMotoServer
from redis import Redis

from tests.fakes import SmtpPeer

ROOT = Path(__file__).resolve().parents[2]
K8S = ROOT / "deploy" / "k8s" / "base"
POSTGRES = "postgresql://postgres:postgres@127.0.0.1:5432"
S3_CREDENTIALS = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
                  "AWS_DEFAULT_REGION": "us-east-1"}
# As the pods run: read-only root, /tmp writable (an emptyDir), no capabilities, no privilege gain.
PASSED_THROUGH = ("WHISPER_MODEL", "OCR_ENGINE")
HARDENED = ["--read-only", "--tmpfs", "/tmp:rw,exec,size=2g", "--cap-drop", "ALL",
            "--security-opt", "no-new-privileges"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def docker(*args: str, check: bool = True, timeout: float = 600) -> subprocess.CompletedProcess:
    return subprocess.run(["docker", *args], capture_output=True, text=True, check=check, timeout=timeout)


def manifests() -> dict[str, dict]:
    """{Deployment name: pod spec} of the Kubernetes base."""
    specs = {}
    for name in ("web.yaml", "workers.yaml", "scheduler.yaml"):
        for doc in yaml.safe_load_all((K8S / name).read_text()):
            if doc and doc["kind"] == "Deployment":
                specs[doc["metadata"]["name"]] = doc["spec"]["template"]["spec"]
    return specs


@dataclass
class Container:
    """One `docker run -d` of the image; its name is unique to this run."""

    name: str
    started: float = 0.0
    ready_after: float | None = None

    def logs(self) -> str:
        result = docker("logs", self.name, check=False)
        return result.stdout + result.stderr

    def exec(self, *argv: str, timeout: float = 60) -> subprocess.CompletedProcess:
        return docker("exec", self.name, *argv, check=False, timeout=timeout)

    def state(self) -> dict:
        return json.loads(docker("inspect", "--format", "{{json .State}}", self.name).stdout)

    def stop(self, grace: int) -> tuple[float, int]:
        """`docker stop -t grace`: (seconds it took, exit code)."""
        start = time.monotonic()
        docker("stop", "-t", str(grace), self.name, timeout=grace + 60)
        return time.monotonic() - start, self.state()["ExitCode"]

    def remove(self) -> None:
        docker("rm", "-f", self.name, check=False)


@dataclass
class Stack:
    """PostgreSQL (a fresh database), Redis, S3 and SMTP on loopback, and the image's containers."""

    image: str
    tag: str
    web_port: int = field(default_factory=free_port)
    containers: dict[str, Container] = field(default_factory=dict)

    def __enter__(self) -> "Stack":
        self.database = f"statex_image_{self.tag}"
        with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{self.database}"')
        self.redis_port = free_port()
        self._redis_dir = tempfile.mkdtemp(prefix="statex-image-redis-")
        self._redis = subprocess.Popen(
            [shutil.which("redis-server") or "/usr/bin/redis-server", "--port", str(self.redis_port),
             "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", self._redis_dir],
            stdout=subprocess.DEVNULL)
        self.s3_port = free_port()
        self._moto = ThreadedMotoServer(ip_address="127.0.0.1", port=self.s3_port, verbose=False)
        self._moto.start()
        self.bucket = f"statex-{self.tag}"
        self.s3().create_bucket(Bucket=self.bucket)
        self.smtp = SmtpPeer().start()
        self._wait_for_redis()
        return self

    def __exit__(self, *_exc) -> None:
        for container in self.containers.values():
            container.remove()
        self.smtp.stop()
        self._moto.stop()
        self._redis.terminate()
        self._redis.wait(10)
        shutil.rmtree(self._redis_dir, ignore_errors=True)
        with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{self.database}" WITH (FORCE)')

    def _wait_for_redis(self) -> None:
        deadline = time.monotonic() + 10
        while True:
            try:
                self.redis().ping()
                return
            except Exception:  # noqa: BLE001  (not up yet)
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)

    def redis(self) -> Redis:
        return Redis(host="127.0.0.1", port=self.redis_port)

    def s3(self):
        return boto3.client("s3", endpoint_url=f"http://127.0.0.1:{self.s3_port}", **{
            name.lower(): value for name, value in S3_CREDENTIALS.items() if name != "AWS_DEFAULT_REGION"},
            region_name=S3_CREDENTIALS["AWS_DEFAULT_REGION"])

    def environment(self) -> dict[str, str]:
        """What the ConfigMap and Secret give the pods, pointing at this run's services."""
        site = f"http://127.0.0.1:{self.web_port}"
        return {"STATEX_ENV": "production",
                "DATABASE_URL": f"postgresql+psycopg://postgres:postgres@127.0.0.1:5432/{self.database}",
                "REDIS_URL": f"redis://127.0.0.1:{self.redis_port}/0",
                "S3_BUCKET": self.bucket, "S3_ENDPOINT_URL": f"http://127.0.0.1:{self.s3_port}",
                **S3_CREDENTIALS, "SECRET_KEY": "image-check-" + "k" * 40, "SITE_URL": site,
                "PORTAL_URL": f"{site}/portal", "PORT": str(self.web_port), "SMTP_URL": self.smtp.url,
                "MAIL_FROM": "Statex <noreply@statex.test>", "JOB_RETRY_INTERVALS": "1,2,4",
                "METRICS_TOKEN": "image-check-metrics-" + "m" * 24,
                # The speech model to use, when the caller picks one of those the image holds.
                **{name: os.environ[name] for name in PASSED_THROUGH if name in os.environ}}

    def run(self, role: str, *args: str, env: dict[str, str] | None = None, hardened: bool = True) -> Container:
        """Start the image detached as `role` with `args`, on the host's network."""
        container = Container(f"statex-check-{self.tag}-{role}")
        container.remove()
        options = [f"--env={name}={value}" for name, value in (env or self.environment()).items()]
        docker("run", "-d", "--name", container.name, "--hostname", container.name, "--network", "host",
               *(HARDENED if hardened else []), *options, self.image, *args)
        container.started = time.monotonic()
        self.containers[role] = container
        return container

    def run_once(self, *args: str, timeout: float = 300) -> subprocess.CompletedProcess:
        """`docker run --rm` of the image with this run's environment, to completion."""
        options = [f"--env={name}={value}" for name, value in self.environment().items()]
        return docker("run", "--rm", "--network", "host", *HARDENED, *options, self.image, *args,
                      check=False, timeout=timeout)


def http_status(url: str, timeout: float = 5) -> int | None:
    """The status of a GET, or None when nothing answers."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return None


def wait_until(predicate, timeout: float, interval: float = 0.2):
    """Call `predicate` until it returns something true; that value, or None after `timeout`."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    return None


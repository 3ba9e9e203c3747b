"""Benchmark a 1 GiB upload through the portal against boto3 putting the same file in the same storage.

Starts moto's S3 server on loopback and the real web process (`statex web`: gunicorn, one worker),
then uploads one file through the API (multipart, streamed from disk) and the same file with boto3
directly. Prints the web worker's peak memory increase (target: under 64 MB) and both throughputs
(target: the portal at least half of boto3's), measured in one run. Run:
    .venv/bin/python bench/upload.py [--size-mb 1024]
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import boto3  # noqa: E402
import psutil  # noqa: E402
from moto.server import ThreadedMotoServer  # noqa: E402

MB = 1024 * 1024
CHUNK = 4 * MB


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def make_file(path: Path, size: int) -> None:
    """A 'PDF' of the given size: a real PDF header (so the type rules accept it), then random bytes."""
    with path.open("wb") as out:
        out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
        left = size - out.tell()
        block = os.urandom(CHUNK)
        while left > 0:
            out.write(block[:left])
            left -= min(left, CHUNK)


def environment(var_dir: Path, endpoint: str, bucket: str) -> dict:
    return dict(os.environ, STATEX_ENV="development", STATEX_VAR_DIR=str(var_dir),
                DATABASE_URL=f"sqlite:///{var_dir / 'bench.db'}", S3_BUCKET=bucket, S3_ENDPOINT_URL=endpoint,
                AWS_ACCESS_KEY_ID="bench", AWS_SECRET_ACCESS_KEY="bench", AWS_DEFAULT_REGION="us-east-1",
                REDIS_URL=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/12"),
                SECRET_KEY="bench-" + "x" * 40, UPLOAD_MAX_FILE_MB="4096", UPLOAD_MAX_TOTAL_MB="4096",
                PYTHONUNBUFFERED="1")


def statex(env: dict, *args: str) -> str:
    return subprocess.run([sys.executable, "-m", "cli", *args], cwd=ROOT, env=env, check=True,
                          capture_output=True, text=True).stdout


def start_web(env: dict, port: int) -> tuple[subprocess.Popen, psutil.Process]:
    """`statex web` with one gunicorn worker; returns the master and the worker process."""
    log = open(Path(env["STATEX_VAR_DIR"]) / "web.log", "wb")  # noqa: SIM115  (kept open for the process)
    web = subprocess.Popen([sys.executable, "-m", "cli", "web", "--port", str(port), "--workers", "1"],
                           cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    for _ in range(300):
        try:
            http.client.HTTPConnection("127.0.0.1", port, timeout=1).request("GET", "/healthz")
            break
        except OSError:
            time.sleep(0.1)
    workers = psutil.Process(web.pid).children(recursive=True)
    return web, workers[0]


def upload(port: int, token: str, path: Path, name: str) -> tuple[int, float, float]:
    """POST the file as multipart, streamed from disk; the status, seconds to send and seconds in all."""
    boundary = uuid.uuid4().hex
    head = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"description\"\r\n\r\n"
            f"Benchmark upload\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"files\"; "
            f"filename=\"{name}\"\r\nContent-Type: application/pdf\r\n\r\n").encode()
    tail = f"\r\n--{boundary}--\r\n".encode()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
    started = time.perf_counter()
    connection.putrequest("POST", "/api/v1/submissions")
    connection.putheader("Authorization", f"Bearer {token}")
    connection.putheader("Content-Type", f"multipart/form-data; boundary={boundary}")
    connection.putheader("Content-Length", str(len(head) + path.stat().st_size + len(tail)))
    connection.endheaders()
    connection.send(head)
    with path.open("rb") as source:
        while chunk := source.read(CHUNK):
            connection.send(chunk)
    connection.send(tail)
    sent = time.perf_counter() - started
    response = connection.getresponse()
    response.read()
    return response.status, sent, time.perf_counter() - started


def peak_rss(process: psutil.Process) -> int:
    """The process's peak resident memory (VmHWM), in bytes."""
    for line in Path(f"/proc/{process.pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
    raise RuntimeError("no VmHWM in /proc status")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size-mb", type=int, default=1024)
    size = parser.parse_args().size_mb * MB

    with tempfile.TemporaryDirectory(prefix="statex-bench-") as tmp:
        tmp_path = Path(tmp)
        moto_port, web_port = free_port(), free_port()
        moto = ThreadedMotoServer(ip_address="127.0.0.1", port=moto_port, verbose=False)
        moto.start()
        endpoint, bucket = f"http://127.0.0.1:{moto_port}", "bench"
        env = environment(tmp_path / "var", endpoint, bucket)
        os.environ.update({k: env[k] for k in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_DEFAULT_REGION")})
        s3 = boto3.client("s3", endpoint_url=endpoint)
        s3.create_bucket(Bucket=bucket)
        statex(env, "db", "upgrade")
        statex(env, "users", "create", "--email", "bench@example.com", "--password", "bench-password-123456")
        token = statex(env, "tokens", "create", "--email", "bench@example.com").strip().splitlines()[-1]

        big = tmp_path / "big.pdf"
        make_file(big, size)
        small = tmp_path / "small.pdf"
        make_file(small, MB)
        web, worker = start_web(env, web_port)
        try:
            status, _sent, _ = upload(web_port, token, small, "warm-up.pdf")  # imports, connections, caches
            if status != 201:
                print((Path(env["STATEX_VAR_DIR"]) / "web.log").read_text()[-3000:])
                raise SystemExit(f"warm-up upload answered {status}")
            baseline = worker.memory_info().rss
            Path(f"/proc/{worker.pid}/clear_refs").write_text("5")  # reset the peak to now
            status, sent_seconds, portal_seconds = upload(web_port, token, big, "big.pdf")
            assert status == 201, f"the upload answered {status}"
            increase = peak_rss(worker) - baseline
        finally:
            web.terminate()
            web.wait(30)

        started = time.perf_counter()
        s3.upload_file(str(big), bucket, "direct/big.pdf")
        boto_seconds = time.perf_counter() - started
        moto.stop()

    portal_rate, boto_rate = size / MB / portal_seconds, size / MB / boto_seconds
    ratio = portal_rate / boto_rate
    memory_ok, rate_ok = increase < 64 * MB, ratio >= 0.5
    print(f"file:                    {size / MB:,.0f} MB")
    print(f"web worker peak memory:  +{increase / MB:,.1f} MB over its baseline of {baseline / MB:,.1f} MB "
          f"(target < 64 MB: {'ok' if memory_ok else 'MISSED'})")
    print(f"portal upload:           {portal_seconds:,.1f} s, {portal_rate:,.1f} MB/s "
          f"(request body sent in {sent_seconds:,.1f} s, then stored)")
    print(f"boto3 upload_file:       {boto_seconds:,.1f} s, {boto_rate:,.1f} MB/s")
    print(f"portal / boto3:          {ratio:.2f} (target >= 0.50: {'ok' if rate_ok else 'MISSED'})")
    print("RESULT " + json.dumps({"size_mb": size // MB, "memory_mb": round(increase / MB, 1), "ratio": round(ratio, 3),
                                  "portal_mb_s": round(portal_rate, 1), "boto3_mb_s": round(boto_rate, 1)}))
    return 0 if memory_ok and rate_ok else 1


if __name__ == "__main__":
    sys.exit(main())

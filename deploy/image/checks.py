"""The checks of `make image-check`, in the order they run; each takes the Stack and raises on failure."""

from __future__ import annotations

import hashlib
import json
import re
import socket
import threading
import time
import tomllib
import traceback
from dataclasses import dataclass, field

import requests
from rq.registry import StartedJobRegistry

from deploy.image.stack import ROOT, Stack, free_port, http_status, manifests, wait_until
from tests import samples

DESCRIPTION = ("We are a distribution company in Brno. We receive orders as PDF files and scans by email "
               "and retype them into our system. We want the orders read automatically and checked.")
CLIENT = "client@example.com"
COMPILERS = ("gcc", "cc", "c++", "g++", "clang", "make", "ld", "as", "cpp")
ROLES = {"web": "statex-web", "ai": "statex-worker-ai", "notifications": "statex-worker-notifications",
         "scheduler": "statex-scheduler"}


class Failed(Exception):
    """A check's finding."""


def expect(condition, message: str) -> None:
    if not condition:
        raise Failed(message)


@dataclass
class Report:
    """Runs checks, prints a line for each, and keeps the figures."""

    passed: int = 0
    failed: int = 0
    fatal: bool = False
    figures: dict = field(default_factory=dict)

    def run(self, check, stack: Stack) -> None:
        name = check.__doc__.strip().splitlines()[0]
        start = time.monotonic()
        try:
            detail = check(stack, self.figures) or ""
        except Exception as error:  # noqa: BLE001  (every failure is reported, then counted)
            self.failed += 1
            self.fatal = getattr(check, "fatal", False)
            reason = str(error) if isinstance(error, Failed) else traceback.format_exc()
            print(f"FAIL  {name} ({time.monotonic() - start:.1f}s)\n      {reason}", flush=True)
            return
        self.passed += 1
        print(f"ok    {name} ({time.monotonic() - start:.1f}s){'  ' + detail if detail else ''}", flush=True)

    def close(self) -> int:
        print(f"{self.passed} passed, {self.failed} failed")
        return 1 if self.failed else 0


def fatal(check):
    """Later checks need what this one starts: stop at its failure."""
    check.fatal = True
    return check


def _grace(role: str) -> int:
    return manifests()[ROLES[role]].get("terminationGracePeriodSeconds", 30)


def image_runs_as_non_root(stack: Stack, _figures) -> str:
    """the image's default user is numeric and not root"""
    user = stack_image_config(stack)["User"]
    expect(user and user.split(":")[0].isdigit() and user.split(":")[0] != "0", f"USER is {user!r}")
    return f"USER {user}"


def image_has_no_compilers(stack: Stack, _figures) -> str:
    """the image holds no compiler or build tool"""
    script = "; ".join(f"command -v {tool} || true" for tool in COMPILERS)
    found = stack.run_once("sh", "-c", script).stdout.split()
    packages = stack.run_once("sh", "-c", "dpkg-query -W -f '${Package}\\n'").stdout.split()
    build = [p for p in packages if re.fullmatch(r"(gcc|g\+\+|cpp|clang|make|binutils|build-essential)(-\d+)?", p)]
    expect(not found and not build, f"found {found + build}")
    return f"{len(packages)} Debian packages, none a compiler"


def image_has_no_test_dependencies(stack: Stack, _figures) -> str:
    """the image holds none of the test extra's packages"""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    name = re.compile(r"[A-Za-z0-9._-]+")
    runtime = {name.match(d).group().lower() for d in project["dependencies"]}
    test_only = sorted({name.match(d).group().lower() for d in project["optional-dependencies"]["test"]} - runtime)
    # A test package that a runtime package requires (requests, under apprise) is a runtime one.
    probe = ("import importlib.metadata as m, re, sys\n"
             "def name(r): return re.match(r'[A-Za-z0-9._-]+', r).group().lower().replace('_', '-')\n"
             "needed = {name(r): d.metadata['Name'] for d in m.distributions() for r in d.requires or []\n"
             "          if 'extra ==' not in r}\n"
             "for n in sys.argv[1:]:\n"
             "    try: m.version(n)\n"
             "    except m.PackageNotFoundError: continue\n"
             "    print(n, needed.get(n, '-'))\n")
    result = stack.run_once("python", "-c", probe, *test_only)
    expect(result.returncode == 0, result.stderr)
    found = dict(line.split() for line in result.stdout.splitlines())
    unneeded = [package for package, by in found.items() if by == "-"]
    expect(not unneeded, f"installed and needed by no runtime package: {unneeded}")
    kept = "; ".join(f"{package} (needed by {by})" for package, by in found.items())
    return f"none of {', '.join(p for p in test_only if p not in found)}" + (f"; {kept}" if kept else "")


def both_ocr_engines_load_in_the_image(stack: Stack, _figures) -> str:
    """both OCR engines the README offers (OCR_ENGINE=tesseract, rapidocr) load in the image"""
    probe = ("import pytesseract; print(pytesseract.get_tesseract_version()); "
             "from rapidocr_onnxruntime import RapidOCR; print('rapidocr')")
    result = stack.run_once("python", "-c", probe)
    expect(result.returncode == 0, result.stderr[-1500:])
    return "Tesseract " + result.stdout.split()[0] + " and RapidOCR"


@fatal
def migrations_run_from_the_image(stack: Stack, figures) -> str:
    """`statex db upgrade` from the image migrates a fresh PostgreSQL database"""
    start = time.monotonic()
    result = stack.run_once("db", "upgrade")
    expect(result.returncode == 0, result.stdout + result.stderr)
    figures["migrate_seconds"] = round(time.monotonic() - start, 1)
    import psycopg

    from deploy.image.stack import POSTGRES

    with psycopg.connect(f"{POSTGRES}/{stack.database}") as conn:
        revision = conn.execute("select version_num from alembic_version").fetchone()[0]
    return f"at {revision} in {figures['migrate_seconds']}s"


@fatal
def processes_start_and_get_ready(stack: Stack, figures) -> str:
    """web, the ai and notifications workers and the scheduler start with the manifests' args, and get ready"""
    web = stack.run("web", *_manifest_args(stack, "web"))
    workers = {queue: stack.run(queue, *_manifest_args(stack, queue)) for queue in ("ai", "notifications")}
    scheduler = stack.run("scheduler", *_manifest_args(stack, "scheduler"))
    ready = {}
    readyz = f"http://127.0.0.1:{stack.web_port}/readyz"
    ready["web"] = _ready_after(web, lambda: http_status(readyz) == 200)
    for queue, container in workers.items():
        probe = _exec_probe(queue)
        ready[queue] = _ready_after(container, lambda c=container, p=probe: c.exec(*p).returncode == 0)
    ready["scheduler"] = _ready_after(scheduler, lambda: "relaying the outbox" in scheduler.logs())
    figures["ready_seconds"] = ready
    late = {role: c.logs()[-2000:] for role, c in stack.containers.items() if ready.get(role) is None}
    expect(not late, f"not ready within 120 s: {late}")
    return ", ".join(f"{role} {seconds:.1f}s" for role, seconds in ready.items())


def _manifest_args(stack: Stack, role: str) -> list[str]:
    """The Deployment's args, on loopback and free ports: on the host's network all pods share one."""
    args = list(manifests()[ROLES[role]]["containers"][0]["args"])
    for n, arg in enumerate(args[:-1]):
        if arg == "--port":
            args[n + 1] = str(stack.web_port)
        elif arg == "--host":
            args[n + 1] = "127.0.0.1"  # the pod's 0.0.0.0 would be every address of this machine
        elif arg == "--metrics-port":
            args[n + 1] = str(free_port())
    return args


def _ready_after(container, predicate, timeout: float = 120) -> float | None:
    if wait_until(lambda: predicate() or container.state()["Status"] != "running", timeout) is None:
        return None
    if container.state()["Status"] != "running":
        return None
    container.ready_after = time.monotonic() - container.started
    return round(container.ready_after, 1)


def _exec_probe(queue: str) -> list[str]:
    container = manifests()[ROLES[queue]]["containers"][0]
    return container["livenessProbe"]["exec"]["command"]


def every_process_runs_as_non_root(stack: Stack, _figures) -> str:
    """every process in every container runs as a non-root user"""
    seen = {}
    for role, container in stack.containers.items():
        from deploy.image.stack import docker

        rows = docker("top", container.name, "-eo", "pid,uid,comm").stdout.splitlines()[1:]
        uids = {row.split()[1] for row in rows}
        expect(uids and "0" not in uids, f"{role}: {rows}")
        seen[role] = f"{len(rows)} process(es) as uid {','.join(sorted(uids))}"
    return "; ".join(f"{role} {what}" for role, what in seen.items())


def the_manifests_probes_answer_inside_the_containers(stack: Stack, _figures) -> str:
    """the health and readiness probes the Kubernetes manifests name answer inside the containers"""
    web = manifests()[ROLES["web"]]["containers"][0]
    paths = sorted({web[probe]["httpGet"]["path"] for probe in ("startupProbe", "livenessProbe", "readinessProbe")})
    answered = []
    for path in paths:
        code = ("import urllib.request, sys; "
                f"sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:{stack.web_port}{path}', timeout=4)"
                ".status == 200 else 1)")
        result = stack.containers["web"].exec("python", "-c", code)
        expect(result.returncode == 0, f"web {path}: {result.stderr}")
        answered.append(f"web {path}")
    healthcheck = stack_image_config(stack)["Healthcheck"]["Test"]
    result = stack.containers["web"].exec(*healthcheck[1:])
    expect(healthcheck[0] == "CMD" and result.returncode == 0, f"HEALTHCHECK {healthcheck}: {result.stderr}")
    answered.append("the image's HEALTHCHECK")
    for queue in ("ai", "notifications"):
        probe = _exec_probe(queue)
        result = stack.containers[queue].exec(*probe)
        expect(result.returncode == 0, f"{queue}: {' '.join(probe)}: {result.stderr}")
        answered.append(" ".join(probe[1:]))
    return "; ".join(answered)


def stack_image_config(stack: Stack) -> dict:
    from deploy.image.stack import docker

    return json.loads(docker("image", "inspect", "--format", "{{json .Config}}", stack.image).stdout)


@fatal
def a_request_with_a_pdf_and_a_voice_recording_completes(stack: Stack, figures) -> str:
    """a request with a PDF and a voice recording, sent through the API, completes"""
    web = stack.containers["web"]
    created = web.exec("statex", "users", "create", "--email", CLIENT, "--password", "a long passphrase 1")
    expect(created.returncode == 0, created.stderr)
    token = web.exec("statex", "tokens", "create", "--email", CLIENT).stdout.strip().splitlines()[-1]
    stack.token = token
    files = {"invoice.pdf": samples.pdf(), "message.webm": samples.speech("webm")}
    stack.uploaded = {name: hashlib.sha256(data).hexdigest() for name, data in files.items()}
    start = time.monotonic()
    response = requests.post(f"http://127.0.0.1:{stack.web_port}/api/v1/submissions",
                             headers={"Authorization": f"Bearer {token}"}, timeout=30,
                             data={"description": DESCRIPTION},
                             files=[("files", ("invoice.pdf", files["invoice.pdf"], "application/pdf")),
                                    ("voice", ("message.webm", files["message.webm"], "audio/webm"))])
    expect(response.status_code == 201, f"{response.status_code} {response.text[:500]}")
    stack.submission = response.json()["id"]
    body = wait_until(lambda: _final(stack, stack.submission), timeout=300, interval=1)
    expect(body is not None, f"not finished in 300 s: {_get(stack, stack.submission)}")
    expect(body["status"] == "completed", f"{body['status']}: {body['status_message']}")
    figures["request_seconds"] = round(time.monotonic() - start, 1)
    stack.result = body
    return f"completed in {figures['request_seconds']}s"


def _get(stack: Stack, submission: str) -> dict:
    return requests.get(f"http://127.0.0.1:{stack.web_port}/api/v1/submissions/{submission}",
                        headers={"Authorization": f"Bearer {stack.token}"}, timeout=10).json()


def _final(stack: Stack, submission: str) -> dict | None:
    body = _get(stack, submission)
    return body if body["status"] in ("completed", "failed", "cancelled") else None


def the_recording_and_the_pdf_were_read(stack: Stack, _figures) -> str:
    """the recording's transcription and the PDF's extraction ran"""
    extractions = {item["name"]: item["extraction"] or {} for item in stack.result["files"]}
    for name in stack.uploaded:
        expect(extractions.get(name, {}).get("status") == "completed", f"{name}: {extractions.get(name)}")
    expect("Invoice" in extractions["invoice.pdf"]["text"], extractions["invoice.pdf"])
    voice = extractions["message.webm"]
    return f"recording by {voice['method']}: {len(voice['text'] or '')} characters; PDF by " \
           f"{extractions['invoice.pdf']['method']}"


def the_files_are_in_the_bucket(stack: Stack, _figures) -> str:
    """the request's files are in the S3 bucket, byte for byte"""
    s3 = stack.s3()
    keys = [item["Key"] for item in s3.list_objects_v2(Bucket=stack.bucket).get("Contents", [])]
    stored = {hashlib.sha256(s3.get_object(Bucket=stack.bucket, Key=key)["Body"].read()).hexdigest()
              for key in keys}
    missing = [name for name, digest in stack.uploaded.items() if digest not in stored]
    expect(not missing, f"not in the bucket: {missing} (keys {keys})")
    return f"{len(keys)} object(s) in {stack.bucket}"


def its_email_reaches_the_smtp_server(stack: Stack, _figures) -> str:
    """the client's email about the request reaches the SMTP server"""
    found = wait_until(lambda: [m for m in stack.smtp.messages if CLIENT in str(m["To"])], timeout=60)
    expect(found, f"no mail to {CLIENT}; received {[(m['To'], m['Subject']) for m in stack.smtp.messages]}")
    return f"{len(found)} message(s): " + "; ".join(str(m["Subject"]) for m in found)


def web_finishes_a_request_in_flight_when_stopped(stack: Stack, figures) -> str:
    """`docker stop` of web lets a request in flight finish, then ends cleanly within the grace period"""
    body, boundary = _multipart({"description": DESCRIPTION}, ("files", "notes.txt", b"slow upload\n" * 4000))
    head = (f"POST /api/v1/submissions HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {stack.token}\r\n"
            f"Content-Type: multipart/form-data; boundary={boundary}\r\nContent-Length: {len(body)}\r\n"
            "Connection: close\r\n\r\n").encode()
    half = len(body) // 2
    with socket.create_connection(("127.0.0.1", stack.web_port), timeout=60) as sock:
        sock.sendall(head + body[:half])
        time.sleep(0.5)
        stopped = {}
        stopper = threading.Thread(target=lambda: stopped.update(zip(("seconds", "code"),
                                                                      stack.containers["web"].stop(_grace("web")))))
        stopper.start()
        time.sleep(2)  # SIGTERM has reached gunicorn: the rest of the body arrives after it
        sock.sendall(body[half:])
        answer = _read_all(sock)
    stopper.join()
    status = answer.split(b"\r\n", 1)[0].decode(errors="replace")
    expect(" 201 " in status, f"the request in flight got {answer[:300]!r}")
    expect(stopped["code"] == 0 and stopped["seconds"] < _grace("web"), f"stop: {stopped}")
    figures.setdefault("stop_seconds", {})["web"] = round(stopped["seconds"], 1)
    return f"{status}; exited 0 after {stopped['seconds']:.1f}s (grace {_grace('web')}s)"


def _multipart(fields: dict[str, str], upload: tuple[str, str, bytes]) -> tuple[bytes, str]:
    boundary = "statex-image-check"
    parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
             for k, v in fields.items()]
    field_name, filename, data = upload
    parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{field_name}"; filename="{filename}"\r\n'
                 f"Content-Type: text/plain\r\n\r\n".encode() + data + b"\r\n")
    return b"".join(parts) + f"--{boundary}--\r\n".encode(), boundary


def _read_all(sock: socket.socket) -> bytes:
    chunks = []
    while chunk := sock.recv(65536):
        chunks.append(chunk)
    return b"".join(chunks)


def a_worker_stopped_mid_job_finishes_or_requeues_it(stack: Stack, figures) -> str:
    """`docker stop` of the ai worker mid-job ends it cleanly in its grace period; the request still completes"""
    stack.run("web", *_manifest_args(stack, "web"))
    wait_until(lambda: http_status(f"http://127.0.0.1:{stack.web_port}/readyz") == 200, 120)
    response = requests.post(f"http://127.0.0.1:{stack.web_port}/api/v1/submissions",
                             headers={"Authorization": f"Bearer {stack.token}"}, timeout=30,
                             data={"description": DESCRIPTION},
                             files=[("voice", ("again.webm", samples.speech("webm", samples.SPEECH * 3),
                                               "audio/webm"))])
    expect(response.status_code == 201, response.text[:300])
    submission = response.json()["id"]
    registry = StartedJobRegistry("ai", connection=stack.redis())
    expect(wait_until(lambda: registry.get_job_ids(), timeout=60, interval=0.05), "no ai job started in 60 s")
    seconds, code = stack.containers["ai"].stop(_grace("ai"))
    expect(code == 0 and seconds < _grace("ai"), f"exit code {code} after {seconds:.1f}s")
    figures.setdefault("stop_seconds", {})["ai"] = round(seconds, 1)
    stack.run("ai", *_manifest_args(stack, "ai"))
    body = wait_until(lambda: _final(stack, submission), timeout=300, interval=1)
    expect(body and body["status"] == "completed", f"after the restart: {body or _get(stack, submission)}")
    return f"exited 0 after {seconds:.1f}s (grace {_grace('ai')}s); the request completed"


def idle_processes_stop_cleanly(stack: Stack, figures) -> str:
    """`docker stop` ends the notifications worker, the scheduler and web cleanly within their grace periods"""
    done = []
    for role in ("notifications", "scheduler", "ai", "web"):
        seconds, code = stack.containers[role].stop(_grace(role))
        expect(code == 0 and seconds < _grace(role), f"{role}: exit code {code} after {seconds:.1f}s")
        figures.setdefault("stop_seconds", {}).setdefault(role, round(seconds, 1))
        done.append(f"{role} {seconds:.1f}s")
    return "exited 0: " + ", ".join(done)


def statex_up_runs_from_the_image_on_embedded_defaults(stack: Stack, figures) -> str:
    """`statex up` runs the whole platform from the image on embedded defaults"""
    port = stack.web_port
    container = stack.run("up", "statex", "up", env={"PORT": str(port)})
    seconds = _ready_after(container, lambda: http_status(f"http://127.0.0.1:{port}/readyz") == 200)
    expect(seconds is not None, container.logs()[-3000:])
    figures.setdefault("ready_seconds", {})["statex up"] = seconds
    pages = {path: http_status(f"http://127.0.0.1:{port}{path}") for path in ("/", "/portal/login", "/healthz")}
    expect(all(code == 200 for code in pages.values()), f"{pages}")
    stopped, code = container.stop(30)
    expect(code == 0, f"exit code {code}: {container.logs()[-2000:]}")
    return f"ready in {seconds:.1f}s; {', '.join(pages)} answer 200; stopped in {stopped:.1f}s"


ALL = [image_runs_as_non_root, image_has_no_compilers, image_has_no_test_dependencies,
       both_ocr_engines_load_in_the_image,
       migrations_run_from_the_image, processes_start_and_get_ready, every_process_runs_as_non_root,
       the_manifests_probes_answer_inside_the_containers, a_request_with_a_pdf_and_a_voice_recording_completes,
       the_recording_and_the_pdf_were_read, the_files_are_in_the_bucket, its_email_reaches_the_smtp_server,
       web_finishes_a_request_in_flight_when_stopped, a_worker_stopped_mid_job_finishes_or_requeues_it,
       idle_processes_stop_cleanly, statex_up_runs_from_the_image_on_embedded_defaults]

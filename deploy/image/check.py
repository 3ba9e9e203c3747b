"""`make image-check`: run the platform from the image against real services on loopback.

Migrations, the web process, an `ai` and a `notifications` worker and the scheduler run as separate
containers (`--network host`, read-only root, /tmp writable, no capabilities: as the Kubernetes
manifests run them) against a fresh PostgreSQL database, a Redis server of its own, moto's S3
server and an SMTP server (aiosmtpd). A request with a PDF and a voice recording goes through the
API; then what a careful operator checks: non-root processes, no compilers or test packages, the
manifests' probes, a clean `docker stop` of each process within its grace period, and `statex up`.
One line per check; the last line counts them. Usage: check.py [--image statex:dev] [--json FILE]
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
import uuid
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from deploy.image.checks import ALL, Report  # noqa: E402
from deploy.image.stack import Stack  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--image", default="statex:dev")
    parser.add_argument("--json", type=Path, help="write the start-up and stop times here")
    args = parser.parse_args()
    # moto's server logs every request, botocore warns of its own deprecations: keep to the checks.
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    logging.getLogger("mail.log").setLevel(logging.ERROR)
    warnings.simplefilter("ignore")
    report = Report()
    with Stack(args.image, tag=uuid.uuid4().hex[:8]) as stack:
        for check in ALL:
            report.run(check, stack)
            if report.fatal:
                break
    if args.json:
        args.json.write_text(json.dumps(report.figures, indent=2) + "\n")
    return report.close()


if __name__ == "__main__":
    sys.exit(main())

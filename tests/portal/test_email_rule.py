"""One rule for email addresses: whatever the command line or sign-up takes, every form takes too."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from statex import emails
from tests.conftest import PASSWORD
from tests.portal.served import Visitor, serve

ROOT = Path(__file__).resolve().parents[2]
FORMS = ["/portal/login/link", "/portal/password/forgot"]


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "cli", *args], cwd=ROOT, env=dict(os.environ),
                          capture_output=True, text=True, check=False)


@pytest.fixture
def portal(app):
    with serve(app) as base:
        yield base


@pytest.mark.parametrize("email", ["admin@statex.local", "ops@build.test"])
def test_an_address_the_command_line_creates_signs_in_and_gets_links(portal, email):
    made = _cli("users", "create", "--email", email, "--password", PASSWORD, "--role", "staff")
    assert made.returncode == 0, made.stderr
    visitor = Visitor(portal)
    assert visitor.login(email).status_code == 302
    for path in FORMS:
        answer = Visitor(portal).form(path, {"email": email})
        assert answer.status_code == 200 and f"If {email} has an account" in answer.text


def test_sign_up_takes_such_an_address_too(portal):
    answer = Visitor(portal).form("/portal/signup", {"name": "Eva", "email": "eva@team.local", "password": PASSWORD})
    assert answer.status_code == 200 and "eva@team.local" in answer.text


@pytest.mark.parametrize("email", ["eva@team.invalid", "eva@localhost", "eva at team.local"])
def test_an_address_outside_the_rule_is_refused_everywhere_with_the_same_words(portal, email):
    made = _cli("users", "create", "--email", email, "--password", PASSWORD)
    assert made.returncode != 0 and "like name@example.com" in made.stderr
    for path, data in [("/portal/login", {"password": PASSWORD}),
                       ("/portal/signup", {"name": "Eva", "password": PASSWORD}),
                       *((path, {}) for path in FORMS)]:
        answer = Visitor(portal).form(path, {"email": email, **data}, page=path.split("?")[0])
        assert answer.status_code == 422 and "like name@example.com" in answer.text, path


def test_the_rule_keeps_what_email_validator_checks_and_lower_cases():
    assert emails.check("  Admin@Statex.LOCAL ") == "admin@statex.local"
    assert emails.check("Ann@Example.com") == "ann@example.com"
    for wrong in ("a@-team.local", "a..b@team.local", "a@local", "a@x.onion"):
        with pytest.raises(emails.InvalidEmail):
            emails.check(wrong)
